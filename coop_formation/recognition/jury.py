"""Validation of a collaborative skill by a jury of peers before the badge is awarded.

A jury has at least two members from at least two different companies, never the
candidate; every juror must approve for the badge to be awarded, one refusal closes
the validation. The award happens in the same transaction as the last approval.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Conflict, InvalidInput, NotFound
from coop_formation.people.models import Member
from coop_formation.recognition import rules
from coop_formation.recognition.awarding import awardable_achievement, open_member
from coop_formation.recognition.issuing import issue_credential
from coop_formation.recognition.models import (
    AchievementKind,
    JuryStatus,
    JuryValidation,
    JuryVote,
)

MIN_JURORS = 2
MIN_COMPANIES = 2


def open_validation(
    session: Session,
    actor: Member,
    *,
    achievement_id: int,
    candidate_id: int,
    juror_ids: Iterable[int],
    evidence: str,
) -> JuryValidation:
    """Ask a jury to validate ``candidate``'s collaborative skill."""
    achievement = awardable_achievement(session, actor, achievement_id)
    if achievement.kind != AchievementKind.COLLABORATIVE_SKILL:
        raise InvalidInput(_("Seules les compétences collaboratives passent devant un jury."))
    candidate = open_member(session, candidate_id)
    rules.require(actor, Permission.JURY_OPEN, candidate)
    if not evidence.strip():
        raise InvalidInput(_("Décrivez ce que le jury doit examiner."), field="evidence")
    jurors = [open_member(session, juror_id) for juror_id in sorted(set(juror_ids))]
    if any(j.id == candidate.id for j in jurors):
        raise InvalidInput(
            _("La personne candidate ne peut pas faire partie du jury."), field="juror_ids"
        )
    if any(j.cluster_id != candidate.cluster_id or j.company_id is None for j in jurors):
        raise InvalidInput(
            _("Les jurés sont des membres des entreprises de la grappe."), field="juror_ids"
        )
    companies = {j.company_id for j in jurors}
    if len(jurors) < MIN_JURORS or len(companies) < MIN_COMPANIES:
        raise InvalidInput(
            _("Un jury compte au moins deux membres venant d'au moins deux entreprises."),
            field="juror_ids",
        )
    validation = JuryValidation(
        cluster_id=candidate.cluster_id,
        achievement_id=achievement.id,
        candidate_id=candidate.id,
        requested_by_id=actor.id,
        evidence=evidence.strip(),
        votes=[JuryVote(juror_id=j.id) for j in jurors],
    )
    session.add(validation)
    session.flush()
    return validation


def get_validation(session: Session, actor: Member, validation_id: int) -> JuryValidation:
    """A validation visible to one of its jurors, its candidate or whoever opened it."""
    validation = session.execute(
        sa.select(JuryValidation)
        .where(JuryValidation.id == validation_id)
        .options(selectinload(JuryValidation.votes).selectinload(JuryVote.juror))
    ).scalar_one_or_none()
    if validation is None or validation.cluster_id != actor.cluster_id:
        raise NotFound(_("Validation introuvable."))
    involved = {validation.candidate_id, validation.requested_by_id}
    involved |= {v.juror_id for v in validation.votes}
    if actor.id not in involved and not actor.is_admin:
        raise NotFound(_("Validation introuvable."))
    return validation


def cast_vote(
    session: Session,
    actor: Member,
    validation_id: int,
    *,
    approve: bool,
    comment: str = "",
    now: datetime | None = None,
) -> JuryValidation:
    """Record a juror's decision; the last approval awards the badge, a refusal closes."""
    now = now or utcnow()
    validation = session.execute(
        sa.select(JuryValidation).where(JuryValidation.id == validation_id).with_for_update()
    ).scalar_one_or_none()
    if validation is None:
        raise NotFound(_("Validation introuvable."))
    rules.require(actor, Permission.JURY_VOTE, validation)
    vote = next(v for v in validation.votes if v.juror_id == actor.id)
    if vote.approve is not None:
        raise Conflict(_("Vous avez déjà donné votre avis."))
    vote.approve, vote.comment, vote.voted_at = bool(approve), comment.strip(), now
    if not approve:
        validation.move_to(JuryStatus.REJECTED)
        validation.decided_at = now
    elif all(v.approve for v in validation.votes):
        credential = issue_credential(
            session,
            achievement=validation.achievement,
            recipient=validation.candidate,
            awarded_by=None,
            evidence=(
                f"{validation.evidence}\n\nValidé par un jury de {len(validation.votes)} pairs "
                f"de {len({v.juror.company_id for v in validation.votes})} entreprises."
            ),
            source_key=f"jury:{validation.id}",
            now=now,
        )
        validation.move_to(JuryStatus.APPROVED)
        validation.credential_id = credential.id
        validation.decided_at = now
    session.flush()
    return validation


def awaits_vote_of(actor: Member, validation: JuryValidation) -> bool:
    """Whether the vote form is for ``actor``: a juror allowed to vote who has not yet."""
    return authz.can(actor, Permission.JURY_VOTE, validation) and any(
        v.juror_id == actor.id and v.approve is None for v in validation.votes
    )


def pending_votes(session: Session, actor: Member) -> list[JuryValidation]:
    """Validations waiting for ``actor``'s decision."""
    return list(
        session.execute(
            sa.select(JuryValidation)
            .join(JuryVote, JuryVote.validation_id == JuryValidation.id)
            .where(
                JuryVote.juror_id == actor.id,
                JuryVote.approve.is_(None),
                JuryValidation.status == JuryStatus.PENDING,
            )
            .options(selectinload(JuryValidation.achievement))
            .order_by(JuryValidation.created_at)
        ).scalars()
    )
