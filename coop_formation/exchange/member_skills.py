"""Skills a member declares on their profile (practises, can teach, wants to learn).

The profile itself belongs to people; the declared skills are exchange rows. These
services save both in one action and show the skills only to the audience the member
chose (:func:`coop_formation.people.rules.can_read_field`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation.errors import InvalidInput
from coop_formation.exchange.models import MemberSkill, Skill, SkillKind, SkillRelation, SkillStatus
from coop_formation.people import services as people
from coop_formation.people.models import Member
from coop_formation.people.rules import can_read_field

SKILL_FIELDS = tuple(relation.value for relation in SkillRelation)


def declarable_skills(session: Session) -> list[Skill]:
    """Skills a member may declare (approved entries of the framework), by label."""
    return list(
        session.scalars(
            sa.select(Skill)
            .where(Skill.status == SkillStatus.APPROVED, Skill.kind == SkillKind.SKILL)
            .options(selectinload(Skill.parent))
            .order_by(Skill.label)
        )
    )


def declared_skills(session: Session, member: Member) -> dict[str, list[Skill]]:
    """The member's declared skills by relation value (practises, can_teach, wants_to_learn)."""
    result: dict[str, list[Skill]] = {relation.value: [] for relation in SkillRelation}
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


def replace_declared_skills(session: Session, member: Member, wanted: dict[str, set[int]]) -> None:
    """Make the member's declarations exactly ``wanted`` (relation value → skill ids)."""
    allowed = {skill.id for skill in declarable_skills(session)}
    for relation, ids in wanted.items():
        if not ids <= allowed:
            raise InvalidInput(
                _("Choisissez des compétences parmi la liste proposée."), field=relation
            )
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
    session.flush()


def save_profile(
    session: Session,
    actor: Member,
    changes: people.ProfileChanges,
    skills: dict[str, set[int]],
) -> None:
    """Save the actor's own profile (people) and their declared skills, as one action."""
    people.update_profile(session, actor, changes)
    replace_declared_skills(session, actor, skills)


def member_profile(session: Session, viewer: Member, member_id: int) -> people.PublicProfile:
    """The member page as ``viewer`` may see it, with the skills that viewer may read."""
    view = people.view_profile(session, viewer, member_id)
    member = view.member
    show_practice = can_read_field(viewer, member, member.skills_visibility)
    show_learning = can_read_field(viewer, member, member.learning_visibility)
    if show_practice or show_learning:
        declared = declared_skills(session, member)
        if show_practice:
            view.skills["practises"] = declared["practises"]
            view.skills["can_teach"] = declared["can_teach"]
        if show_learning:
            view.skills["wants_to_learn"] = declared["wants_to_learn"]
    return view


def export_declared_skills(session: Session, member: Member) -> list[dict[str, Any]]:
    """The ``skills`` section of a member's own data export."""
    return [
        {"relation": relation, "skill_id": skill.id, "label": skill.label, "uri": skill.uri}
        for relation, skills in declared_skills(session, member).items()
        for skill in skills
    ]


def forget_declared_skills(session: Session, member: Member) -> None:
    """A closed account declares nothing any more."""
    session.execute(sa.delete(MemberSkill).where(MemberSkill.member_id == member.id))
