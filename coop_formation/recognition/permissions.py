"""Who may do what with badges, decided here and nowhere else.

Tenancy first: a target in another cluster, or (for a correspondent) a member of another
company, is *hidden* (404); a target in reach but beyond the actor's role is *forbidden*
(403). The coop admin acts cluster-wide; a correspondent acts for their own company.
"""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import gettext as _

from coop_formation.errors import Forbidden, NotFound
from coop_formation.people.models import Member
from coop_formation.recognition.models import (
    Achievement,
    Credential,
    JuryStatus,
    JuryValidation,
    RecipientChoice,
)

ACHIEVEMENT_MANAGE = "achievement:manage"  # target: Achievement, or None to create one
CREDENTIAL_AWARD = "credential:award"  # target: Member (the recipient)
CREDENTIAL_REVOKE = "credential:revoke"  # target: Credential
CREDENTIAL_CHOOSE = "credential:choose"  # target: Credential (accept, hide, make public)
CREDENTIAL_READ = "credential:read"  # target: Credential (its page, even when hidden)
JURY_OPEN = "jury:open"  # target: Member (the candidate)
JURY_VOTE = "jury:vote"  # target: JuryValidation
ENDORSE = "endorsement:create"  # target: Member (the endorsed colleague)


class Decision(enum.Enum):
    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"
    HIDDEN = "hidden"


def _manages_member(actor: Member, member: Member) -> Decision:
    """Award/revoke rule: admin of the cluster, or correspondent of the member's company."""
    if member.cluster_id != actor.cluster_id:
        return Decision.HIDDEN
    if actor.is_admin:
        return Decision.ALLOWED
    if actor.is_correspondent:
        if actor.company_id is not None and actor.company_id == member.company_id:
            return Decision.ALLOWED
        return Decision.HIDDEN
    return Decision.FORBIDDEN


def decide(actor: Member, permission: str, target: Any = None) -> Decision:
    """The single rule book of the recognition domain."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Decision.FORBIDDEN
    if permission == ACHIEVEMENT_MANAGE:
        if isinstance(target, Achievement) and target.cluster_id != actor.cluster_id:
            return Decision.HIDDEN
        return (
            Decision.ALLOWED if (actor.is_admin or actor.is_correspondent) else Decision.FORBIDDEN
        )
    if permission in (CREDENTIAL_AWARD, JURY_OPEN):
        return _manages_member(actor, target)
    if permission == CREDENTIAL_REVOKE:
        return _manages_member(actor, target.recipient)
    if permission == CREDENTIAL_CHOOSE:
        return Decision.ALLOWED if target.recipient_id == actor.id else Decision.HIDDEN
    if permission == CREDENTIAL_READ:
        credential: Credential = target
        if credential.recipient_id == actor.id:
            return Decision.ALLOWED
        if credential.recipient_choice == RecipientChoice.HIDDEN:
            managed = _manages_member(actor, credential.recipient)
            return Decision.ALLOWED if managed == Decision.ALLOWED else Decision.HIDDEN
        return Decision.ALLOWED
    if permission == JURY_VOTE:
        validation: JuryValidation = target
        if validation.cluster_id != actor.cluster_id:
            return Decision.HIDDEN
        if not any(v.juror_id == actor.id for v in validation.votes):
            involved = actor.id in (validation.candidate_id, validation.requested_by_id)
            return Decision.FORBIDDEN if involved or actor.is_admin else Decision.HIDDEN
        if validation.status != JuryStatus.PENDING:
            return Decision.FORBIDDEN
        return Decision.ALLOWED
    if permission == ENDORSE:
        member: Member = target
        if member.cluster_id != actor.cluster_id or member.is_closed:
            return Decision.HIDDEN
        if member.id == actor.id or actor.company_id is None:
            return Decision.FORBIDDEN
        return Decision.ALLOWED
    raise ValueError(f"unknown permission {permission!r}")


def can(actor: Member, permission: str, target: Any = None) -> bool:
    return decide(actor, permission, target) == Decision.ALLOWED


def require(actor: Member, permission: str, target: Any = None) -> None:
    """Raise :class:`NotFound` (hidden) or :class:`Forbidden` unless allowed."""
    decision = decide(actor, permission, target)
    if decision == Decision.HIDDEN:
        raise NotFound(_("Page introuvable."))
    if decision == Decision.FORBIDDEN:
        raise Forbidden(_("Vous n'avez pas accès à cette action."))
