"""People services: a member's own data (profile, skills, export, closure) and what others see.

Fields of a profile are only handed to a viewer the member chose as audience
(:func:`coop_formation.people.permissions.can_read_field`); templates receive nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.i18n import LANGUAGES
from coop_formation.people import mobility
from coop_formation.people import permissions as perms
from coop_formation.people.auth import verify_password
from coop_formation.people.models import CharterAcceptance, Member, OneTimeToken, Visibility

CLOSED_NAME = "Ancien membre"
PROFILE_FIELDS = ("job_title", "bio", "phone")
FIELD_LIMITS = {"display_name": 120, "job_title": 160, "bio": 4000, "phone": 40}


def set_locale(session: Session, actor: Member, lang: str) -> None:
    """Remember the member's interface language (None or one of LANGUAGES)."""
    if lang and lang not in LANGUAGES:
        raise InvalidInput(_("Langue inconnue."))
    actor.locale = lang or None
    session.flush()


# Skills ----------------------------------------------------------------------------------


def approved_skills(session: Session) -> list[Any]:
    """Skills a member may declare (approved entries of the framework), by label."""
    from coop_formation.exchange.models import Skill, SkillKind, SkillStatus

    return list(
        session.scalars(
            sa.select(Skill)
            .where(Skill.status == SkillStatus.APPROVED, Skill.kind == SkillKind.SKILL)
            .options(selectinload(Skill.parent))
            .order_by(Skill.label)
        )
    )


def member_skills(session: Session, member: Member) -> dict[str, list[Any]]:
    """The member's declared skills by relation value (practises, can_teach, wants_to_learn)."""
    from coop_formation.exchange.models import MemberSkill, SkillRelation

    result: dict[str, list[Any]] = {relation.value: [] for relation in SkillRelation}
    rows = session.scalars(
        sa.select(MemberSkill)
        .where(MemberSkill.member_id == member.id)
        .options(selectinload(MemberSkill.skill))
    )
    for row in rows:
        result[row.relation.value].append(row.skill)
    for skills in result.values():
        skills.sort(key=lambda skill: skill.label.lower())
    return result


def _replace_skills(session: Session, member: Member, wanted: dict[str, set[int]]) -> None:
    from coop_formation.exchange.models import MemberSkill, SkillRelation

    allowed = {skill.id for skill in approved_skills(session)}
    for ids in wanted.values():
        if not ids <= allowed:
            raise InvalidInput(_("Choisissez des compétences parmi la liste proposée."))
    current = list(
        session.scalars(sa.select(MemberSkill).where(MemberSkill.member_id == member.id))
    )
    have = {(row.relation.value, row.skill_id): row for row in current}
    for (relation, skill_id), row in have.items():
        if skill_id not in wanted.get(relation, set()):
            session.delete(row)
    for relation, ids in wanted.items():
        for skill_id in ids - {sid for (rel, sid) in have if rel == relation}:
            session.add(
                MemberSkill(
                    member_id=member.id, skill_id=skill_id, relation=SkillRelation(relation)
                )
            )


# Profile -----------------------------------------------------------------------------------


@dataclass
class ProfileChanges:
    """What the profile form may change; visibilities are ``Visibility`` values."""

    display_name: str
    job_title: str = ""
    bio: str = ""
    phone: str = ""
    job_title_visibility: str = Visibility.COMPANY.value
    bio_visibility: str = Visibility.PRIVATE.value
    phone_visibility: str = Visibility.PRIVATE.value
    skills_visibility: str = Visibility.CLUSTER.value
    learning_visibility: str = Visibility.PRIVATE.value
    locale: str = ""
    skills: dict[str, set[int]] = field(default_factory=dict)


def update_profile(session: Session, actor: Member, changes: ProfileChanges) -> None:
    """Save the actor's own profile: fields, their audiences, declared skills, language."""
    if actor.is_closed:
        raise NotFound()
    values = {
        name: (getattr(changes, name) or "").strip()
        for name in ("display_name", "job_title", "bio", "phone")
    }
    if not values["display_name"]:
        raise InvalidInput(
            _("Indiquez le nom sous lequel les autres vous voient."), field="display_name"
        )
    for name, limit in FIELD_LIMITS.items():
        if len(values[name]) > limit:
            raise InvalidInput(_("%(n)s caractères au plus.", n=limit), field=name)
    visibilities = {}
    for name in ("job_title", "bio", "phone", "skills", "learning"):
        raw = getattr(changes, f"{name}_visibility")
        try:
            visibilities[f"{name}_visibility"] = Visibility(raw)
        except ValueError:
            raise InvalidInput(
                _("Choix de visibilité inconnu."), field=f"{name}_visibility"
            ) from None
    actor.display_name = values["display_name"]
    actor.job_title = values["job_title"] or None
    actor.bio = values["bio"] or None
    actor.phone = values["phone"] or None
    for name, visibility in visibilities.items():
        setattr(actor, name, visibility)
    set_locale(session, actor, changes.locale)
    _replace_skills(session, actor, changes.skills)
    session.flush()


@dataclass
class PublicProfile:
    """A member as one viewer may see them: absent keys are fields this viewer may not read."""

    member: Member
    company_name: str | None
    is_self: bool
    fields: dict[str, str]
    skills: dict[str, list[Any]]


def view_profile(session: Session, viewer: Member, member_id: int) -> PublicProfile:
    """The member page as ``viewer`` may see it; closed accounts and other clusters are 404."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound()
    perms.require(viewer, perms.MEMBER_READ_PROFILE, member)
    fields: dict[str, str] = {}
    for name in PROFILE_FIELDS:
        value = getattr(member, name)
        if value and perms.can_read_field(viewer, member, getattr(member, f"{name}_visibility")):
            fields[name] = value
    skills: dict[str, list[Any]] = {}
    show_practice = perms.can_read_field(viewer, member, member.skills_visibility)
    show_learning = perms.can_read_field(viewer, member, member.learning_visibility)
    if show_practice or show_learning:
        declared = member_skills(session, member)
        if show_practice:
            skills["practises"] = declared["practises"]
            skills["can_teach"] = declared["can_teach"]
        if show_learning:
            skills["wants_to_learn"] = declared["wants_to_learn"]
    return PublicProfile(
        member=member,
        company_name=member.company.name if member.company else None,
        is_self=viewer.id == member.id,
        fields=fields,
        skills=skills,
    )


# Export and closure -----------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _exchange_export(session: Session, member: Member) -> dict[str, Any]:
    try:
        from coop_formation.exchange.services import export_for_member
    except ImportError:
        return {"unavailable": "exchange export not installed"}
    return export_for_member(session, member)


def _relations_export(session: Session, member: Member) -> dict[str, Any]:
    try:
        from coop_formation.relations.services import export_for_member
    except ImportError:
        return {"unavailable": "relations export not installed"}
    return export_for_member(session, member)


def export_member_data(session: Session, actor: Member) -> dict[str, Any]:
    """Everything the platform holds on the actor (and nothing on anyone else), as JSON data."""
    tokens = session.scalars(
        sa.select(OneTimeToken).where(OneTimeToken.member_id == actor.id).order_by(OneTimeToken.id)
    )
    acceptances = session.scalars(
        sa.select(CharterAcceptance)
        .where(CharterAcceptance.member_id == actor.id)
        .options(selectinload(CharterAcceptance.charter))
        .order_by(CharterAcceptance.accepted_at)
    )
    declared = member_skills(session, actor)
    return {
        "format": "coop-formation-member-export/1",
        "exported_at": _iso(utcnow()),
        "member": {
            "id": actor.id,
            "email": actor.email,
            "display_name": actor.display_name,
            "job_title": actor.job_title,
            "job_title_visibility": actor.job_title_visibility.value,
            "bio": actor.bio,
            "bio_visibility": actor.bio_visibility.value,
            "phone": actor.phone,
            "phone_visibility": actor.phone_visibility.value,
            "skills_visibility": actor.skills_visibility.value,
            "learning_visibility": actor.learning_visibility.value,
            "locale": actor.locale,
            "cluster": {"id": actor.cluster.id, "name": actor.cluster.name},
            "company": (
                {"id": actor.company.id, "name": actor.company.name} if actor.company else None
            ),
            "roles": {
                "correspondent": actor.is_correspondent,
                "hr_club": actor.is_hr_club,
                "admin": actor.is_admin,
            },
            "created_at": _iso(actor.created_at),
            "activated_at": _iso(actor.activated_at),
            "last_login_at": _iso(actor.last_login_at),
        },
        "skills": [
            {"relation": relation, "skill_id": skill.id, "label": skill.label, "uri": skill.uri}
            for relation, skills in declared.items()
            for skill in skills
        ],
        "charter_acceptances": [
            {
                "version": row.charter.version,
                "title": row.charter.title,
                "accepted_at": _iso(row.accepted_at),
            }
            for row in acceptances
        ],
        "one_time_links": [
            {
                "purpose": row.purpose.value,
                "created_at": _iso(row.created_at),
                "expires_at": _iso(row.expires_at),
                "used_at": _iso(row.used_at),
            }
            for row in tokens
        ],
        "exchange": _exchange_export(session, actor),
        # Only ever the actor's own wishes: nobody else's export contains them.
        "mobility_wishes": mobility.export_for_member(session, actor),
        "relations": _relations_export(session, actor),
    }


def close_account(session: Session, actor: Member, password: str) -> None:
    """Erase the actor's identity after checking their password; contributions stay, anonymised.

    Needs, offers and supports keep pointing at the row, now named "Ancien membre"; declared
    skills and one-time links are deleted; every session ends.
    """
    from coop_formation.exchange.models import MemberSkill

    if actor.is_closed:
        raise NotFound()
    if not verify_password(actor.password_hash, password or ""):
        raise InvalidInput(
            _("Mot de passe incorrect : le compte n'a pas été fermé."), field="password"
        )
    session.execute(sa.delete(MemberSkill).where(MemberSkill.member_id == actor.id))
    session.execute(sa.delete(OneTimeToken).where(OneTimeToken.member_id == actor.id))
    # Private career plans leave with the person; consents to be helped end.
    from coop_formation.people.models import MobilityWish, MobilityWishReader
    from coop_formation.relations.models import AssistConsent

    wish_ids = sa.select(MobilityWish.id).where(MobilityWish.member_id == actor.id)
    session.execute(sa.delete(MobilityWishReader).where(MobilityWishReader.wish_id.in_(wish_ids)))
    session.execute(sa.delete(MobilityWish).where(MobilityWish.member_id == actor.id))
    session.execute(
        sa.update(AssistConsent)
        .where(AssistConsent.member_id == actor.id, AssistConsent.withdrawn_at.is_(None))
        .values(withdrawn_at=utcnow())
    )
    actor.email = f"closed-{actor.id}@invalid.local"
    actor.display_name = CLOSED_NAME
    actor.job_title = actor.bio = actor.phone = None
    actor.password_hash = None
    actor.locale = None
    actor.is_correspondent = actor.is_hr_club = actor.is_admin = False
    actor.closed_at = utcnow()
    actor.session_version += 1
    session.flush()
