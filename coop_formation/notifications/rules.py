"""Who may do what with notifications, registered in the permission registry.

A member reads only their own notifications; a coop admin edits their cluster's working
hours. Closed (and never activated) accounts are refused by the registry before these run.
"""

from __future__ import annotations

from typing import Any

from coop_formation.authz import Permission, rule
from coop_formation.people.models import Member


@rule(Permission.NOTIFICATION_READ)
def may_read_notification(actor: Member, notification: Any) -> bool:
    """Target: a Notification."""
    return notification is not None and notification.recipient_id == actor.id


@rule(Permission.NOTIFICATION_POLICY_EDIT)
def may_edit_policy(actor: Member, cluster_id: Any) -> bool:
    """Target: a cluster id, or None for the actor's own cluster."""
    return bool(actor.is_admin) and (cluster_id is None or cluster_id == actor.cluster_id)
