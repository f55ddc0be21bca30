"""Who may do what with notifications (decided here, and only here)."""

from __future__ import annotations

from typing import Any

from coop_formation.people.models import Member

NOTIFICATION_READ = "notification:read"
POLICY_EDIT = "notification-policy:edit"


def can(actor: Member, permission: str, target: Any = None) -> bool:
    """A member reads only their own notifications; a coop admin edits their cluster's hours."""
    if actor is None or actor.is_closed:
        return False
    if permission == NOTIFICATION_READ:
        return target is not None and target.recipient_id == actor.id
    if permission == POLICY_EDIT:
        return bool(actor.is_admin) and (target is None or target == actor.cluster_id)
    return False
