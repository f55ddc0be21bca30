"""The achievements catalogue: badge definitions managed by correspondents and the coop
admin (members only read it). Images are checked by :mod:`.images` before storage."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.exchange.models import Skill, SkillStatus
from coop_formation.people.models import Member
from coop_formation.recognition import rules
from coop_formation.recognition.images import check_image
from coop_formation.recognition.issuers import cooperative_issuer
from coop_formation.recognition.models import Achievement, AchievementKind, Credential


@dataclass
class AchievementData:
    name: str
    description: str
    criteria: str
    kind: AchievementKind
    skill_ids: list[int] = field(default_factory=list)
    valid_days: int | None = None
    image: bytes | None = None  # None keeps the current picture
    remove_image: bool = False


def list_catalogue(
    session: Session, actor: Member, *, include_automatic: bool = False
) -> list[Achievement]:
    """The cluster's achievements, newest first (automatic ones on request)."""
    query = (
        sa.select(Achievement)
        .where(Achievement.cluster_id == actor.cluster_id, Achievement.archived.is_(False))
        .options(selectinload(Achievement.skills))
        .order_by(Achievement.name)
    )
    if not include_automatic:
        query = query.where(Achievement.source_key.is_(None))
    return list(session.execute(query).scalars())


def get_achievement(session: Session, actor: Member, achievement_id: int) -> Achievement:
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.cluster_id != actor.cluster_id:
        raise NotFound(_("Badge introuvable."))
    return achievement


def get_public_achievement(session: Session, public_id: str) -> Achievement:
    """For the public pages (the achievement's id URL and its image)."""
    achievement = session.execute(
        sa.select(Achievement).where(Achievement.public_id == public_id)
    ).scalar_one_or_none()
    if achievement is None:
        raise NotFound(_("Badge introuvable."))
    return achievement


def _validate(session: Session, data: AchievementData) -> list[Skill]:
    data.name, data.description, data.criteria = (
        data.name.strip(),
        data.description.strip(),
        data.criteria.strip(),
    )
    if not data.name:
        raise InvalidInput(_("Donnez un nom au badge."), field="name")
    if len(data.name) > 200:
        raise InvalidInput(_("Nom trop long (200 caractères au plus)."), field="name")
    if not data.description:
        raise InvalidInput(_("Décrivez le badge."), field="description")
    if not data.criteria:
        raise InvalidInput(_("Indiquez les critères d'obtention."), field="criteria")
    if data.valid_days is not None and not 0 < data.valid_days <= 36_500:
        raise InvalidInput(_("Durée de validité invalide."), field="valid_days")
    skills: list[Skill] = []
    if data.skill_ids:
        skills = list(
            session.execute(
                sa.select(Skill).where(
                    Skill.id.in_(data.skill_ids), Skill.status == SkillStatus.APPROVED
                )
            ).scalars()
        )
        if len(skills) != len(set(data.skill_ids)):
            raise InvalidInput(_("Compétence inconnue."), field="skill_ids")
    return skills


def _apply(achievement: Achievement, data: AchievementData, skills: list[Skill]) -> None:
    achievement.name = data.name
    achievement.description = data.description
    achievement.criteria = data.criteria
    achievement.valid_days = data.valid_days
    achievement.skills = skills
    if data.image is not None:
        achievement.image_type = check_image(data.image)
        achievement.image = data.image
    elif data.remove_image:
        achievement.image, achievement.image_type = None, None


def create_achievement(session: Session, actor: Member, data: AchievementData) -> Achievement:
    rules.require(actor, Permission.ACHIEVEMENT_MANAGE, None)
    skills = _validate(session, data)
    achievement = Achievement(
        cluster_id=actor.cluster_id,
        issuer_id=cooperative_issuer(session, actor.cluster_id).id,
        kind=data.kind,
        created_by_id=actor.id,
    )
    _apply(achievement, data, skills)
    session.add(achievement)
    session.flush()
    return achievement


def update_achievement(
    session: Session, actor: Member, achievement_id: int, data: AchievementData
) -> Achievement:
    """Edit a definition; credentials already issued keep the text they were signed with.
    The kind cannot change once a credential exists."""
    achievement = get_achievement(session, actor, achievement_id)
    rules.require(actor, Permission.ACHIEVEMENT_MANAGE, achievement)
    skills = _validate(session, data)
    if data.kind != achievement.kind:
        issued = session.execute(
            sa.select(Credential.id).where(Credential.achievement_id == achievement.id).limit(1)
        ).first()
        if issued is not None:
            raise InvalidInput(
                _("Ce badge a déjà été décerné : sa nature ne peut plus changer."), field="kind"
            )
        achievement.kind = data.kind
    _apply(achievement, data, skills)
    session.flush()
    return achievement


def archive_achievement(session: Session, actor: Member, achievement_id: int) -> Achievement:
    """Stop awarding a badge; credentials already issued stay valid."""
    achievement = get_achievement(session, actor, achievement_id)
    rules.require(actor, Permission.ACHIEVEMENT_MANAGE, achievement)
    achievement.archived = True
    session.flush()
    return achievement


def credentials_of_achievement(
    session: Session, actor: Member, achievement: Achievement
) -> list[Credential]:
    """The credentials of this badge that ``actor`` may manage (revoke)."""
    rows = session.execute(
        sa.select(Credential)
        .where(Credential.achievement_id == achievement.id)
        .options(selectinload(Credential.recipient))
        .order_by(Credential.issued_at.desc())
    ).scalars()
    return [c for c in rows if authz.can(actor, Permission.CREDENTIAL_REVOKE, c)]
