"""Who may do what with badges: the recognition rules of the permission registry.

Tenancy first: a target in another cluster, or (for a correspondent) a member of another
company, is *hidden* (404); a target in reach but beyond the actor's role is *forbidden*
(403). The coop admin acts cluster-wide; a correspondent acts for their own company. A
credential nobody hid is public: anyone, signed in or not, may read it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from coop_formation import authz
from coop_formation.authz import Decision, Permission, rule
from coop_formation.errors import Forbidden, NotFound
from coop_formation.people.models import Member
from coop_formation.recognition.models import (
    Achievement,
    Credential,
    JuryStatus,
    JuryValidation,
    RecipientChoice,
)


def _signed_in(actor: Member | None) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_authenticated", False))
        and bool(getattr(actor, "is_active", False))
    )


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


@rule(Permission.ACHIEVEMENT_MANAGE)
def manage_achievement(actor: Member, achievement: Achievement | None) -> Decision:
    """Correspondents and the admin manage their cluster's catalogue (None: create)."""
    if isinstance(achievement, Achievement) and achievement.cluster_id != actor.cluster_id:
        return Decision.HIDDEN
    return Decision.ALLOWED if (actor.is_admin or actor.is_correspondent) else Decision.FORBIDDEN


@rule(Permission.CREDENTIAL_AWARD, Permission.JURY_OPEN)
def manage_recipient(actor: Member, member: Member) -> Decision:
    return _manages_member(actor, member)


@rule(Permission.CREDENTIAL_REVOKE)
def revoke_credential(actor: Member, credential: Credential) -> Decision:
    return _manages_member(actor, credential.recipient)


@rule(Permission.CREDENTIAL_CHOOSE)
def choose_for_credential(actor: Member, credential: Credential) -> Decision:
    """Only the recipient accepts, hides or shows their name; others do not learn of it."""
    return Decision.ALLOWED if credential.recipient_id == actor.id else Decision.HIDDEN


@rule(Permission.CREDENTIAL_READ, anonymous=True)
def read_credential(actor: Member | None, credential: Credential) -> Decision:
    """A credential is public unless its recipient hid it; a hidden one stays readable by
    the recipient and those who manage it, and does not exist for anyone else."""
    if credential.recipient_choice != RecipientChoice.HIDDEN:
        return Decision.ALLOWED
    if actor is None or not _signed_in(actor):
        return Decision.HIDDEN
    if credential.recipient_id == actor.id:
        return Decision.ALLOWED
    managed = _manages_member(actor, credential.recipient)
    return Decision.ALLOWED if managed is Decision.ALLOWED else Decision.HIDDEN


@rule(Permission.JURY_VOTE)
def vote_in_jury(actor: Member, validation: JuryValidation) -> Decision:
    if validation.cluster_id != actor.cluster_id:
        return Decision.HIDDEN
    if not any(v.juror_id == actor.id for v in validation.votes):
        involved = actor.id in (validation.candidate_id, validation.requested_by_id)
        return Decision.FORBIDDEN if involved or actor.is_admin else Decision.HIDDEN
    if validation.status != JuryStatus.PENDING:
        return Decision.FORBIDDEN
    return Decision.ALLOWED


@rule(Permission.ENDORSE)
def endorse_member(actor: Member, member: Member) -> Decision:
    if member.cluster_id != actor.cluster_id or member.is_closed:
        return Decision.HIDDEN
    if member.id == actor.id or actor.company_id is None:
        return Decision.FORBIDDEN
    return Decision.ALLOWED


def require(actor: Member | None, permission: Permission, target: Any = None) -> None:
    """:func:`authz.require` with the recognition pages' wording for 404 and 403."""
    decision = authz.decide(actor, permission, target)
    if decision is Decision.HIDDEN:
        raise NotFound(_("Page introuvable."))
    if decision is Decision.FORBIDDEN:
        raise Forbidden(_("Vous n'avez pas accès à cette action."))
