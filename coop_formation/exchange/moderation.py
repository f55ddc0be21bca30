"""Moderating skill proposals: approve (possibly renamed), rename, reject, merge.

A merge re-points every need, offer and member declaration to the target skill without
creating duplicates, and re-indexes the search text of what it touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import Conflict, InvalidInput, NotFound
from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    Offer,
    Skill,
    SkillKind,
    SkillStatus,
    need_skills,
    offer_skills,
)
from coop_formation.exchange.search import item_search_text, skill_search_text
from coop_formation.exchange.skills import _clean_label, _domain, _existing_with_label
from coop_formation.people.models import Member


def pending_proposals(session: Session, actor: Member) -> list[tuple[Skill, str]]:
    """Proposals from the moderator's cluster, oldest first, with the proposer's name."""
    authz.require(actor, Permission.SKILL_MODERATE)
    rows = session.execute(
        sa.select(Skill, Member.display_name)
        .join(Member, Member.id == Skill.proposed_by_id)
        .where(Skill.status == SkillStatus.PROPOSED, Member.cluster_id == actor.cluster_id)
        .order_by(Skill.created_at, Skill.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def _proposal(session: Session, actor: Member, skill_id: int) -> Skill:
    authz.require(actor, Permission.SKILL_MODERATE)
    skill = session.get(Skill, skill_id)
    if skill is None or skill.status != SkillStatus.PROPOSED:
        raise NotFound()
    proposer = session.get(Member, skill.proposed_by_id) if skill.proposed_by_id else None
    if proposer is not None and proposer.cluster_id != actor.cluster_id:
        raise NotFound()
    return skill


def rename_skill(
    session: Session, actor: Member, skill_id: int, label: str, parent_id: int | None = None
) -> Skill:
    """Rename a proposal (it stays proposed); needs and offers using it are re-indexed."""
    skill = _proposal(session, actor, skill_id)
    _apply_label(session, skill, label, parent_id)
    return skill


def approve_skill(
    session: Session,
    actor: Member,
    skill_id: int,
    label: str | None = None,
    parent_id: int | None = None,
) -> Skill:
    """Approve a proposal, optionally under a better name and domain."""
    skill = _proposal(session, actor, skill_id)
    _apply_label(session, skill, label if label is not None else skill.label, parent_id)
    skill.status = SkillStatus.APPROVED
    session.flush()
    return skill


def reject_skill(session: Session, actor: Member, skill_id: int) -> Skill:
    skill = _proposal(session, actor, skill_id)
    skill.status = SkillStatus.REJECTED
    session.flush()
    return skill


def _apply_label(session: Session, skill: Skill, label: str, parent_id: int | None) -> None:
    label = _clean_label(label)
    other = _existing_with_label(session, label, exclude=skill.id)
    if other is not None:
        raise InvalidInput(
            _("« %(label)s » existe déjà : fusionnez plutôt la proposition.", label=other.label),
            field="label",
        )
    if parent_id is not None:
        skill.parent_id = _domain(session, parent_id).id  # type: ignore[union-attr]
    skill.label = label
    skill.search_text = skill_search_text(skill)
    session.flush()
    reindex_items_with_skill(session, [skill.id])


def merge_skill(session: Session, actor: Member, skill_id: int, target_id: int | None) -> Skill:
    """Merge a proposal into an approved skill: every use is re-pointed, without duplicates."""
    source = _proposal(session, actor, skill_id)
    target = session.get(Skill, target_id) if target_id else None
    if (
        target is None
        or target.id == source.id
        or target.status != SkillStatus.APPROVED
        or target.kind != SkillKind.SKILL
    ):
        raise InvalidInput(
            _("Choisissez la compétence existante dans laquelle fusionner."), field="target_id"
        )
    repoint_skill(session, source.id, target.id)
    source.status = SkillStatus.MERGED
    source.merged_into_id = target.id
    session.flush()
    return target


def repoint_skill(session: Session, source_id: int, target_id: int) -> None:
    """Move every need, offer and member declaration from ``source`` to ``target``."""
    session.flush()
    affected_needs = list(
        session.scalars(sa.select(need_skills.c.need_id).where(need_skills.c.skill_id == source_id))
    )
    affected_offers = list(
        session.scalars(
            sa.select(offer_skills.c.offer_id).where(offer_skills.c.skill_id == source_id)
        )
    )
    for table, owner in ((need_skills, "need_id"), (offer_skills, "offer_id")):
        owner_col = table.c[owner]
        already = sa.select(owner_col).where(table.c.skill_id == target_id).scalar_subquery()
        session.execute(
            sa.delete(table).where(table.c.skill_id == source_id, owner_col.in_(already))
        )
        session.execute(
            sa.update(table).where(table.c.skill_id == source_id).values(skill_id=target_id)
        )
    twin = sa.orm.aliased(MemberSkill)
    duplicate = (
        sa.select(twin.id)
        .where(
            twin.member_id == MemberSkill.member_id,
            twin.relation == MemberSkill.relation,
            twin.skill_id == target_id,
        )
        .exists()
    )
    session.execute(
        sa.delete(MemberSkill)
        .where(MemberSkill.skill_id == source_id, duplicate)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        sa.update(MemberSkill)
        .where(MemberSkill.skill_id == source_id)
        .values(skill_id=target_id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        sa.update(Skill)
        .where(Skill.parent_id == source_id)
        .values(parent_id=target_id)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    _reindex(session, affected_needs, affected_offers)


def reindex_items_with_skill(session: Session, skill_ids: list[int]) -> None:
    """Recompute search_text of needs and offers tagged with these skills."""
    if not skill_ids:
        return
    need_ids = list(
        session.scalars(
            sa.select(need_skills.c.need_id).where(need_skills.c.skill_id.in_(skill_ids))
        )
    )
    offer_ids = list(
        session.scalars(
            sa.select(offer_skills.c.offer_id).where(offer_skills.c.skill_id.in_(skill_ids))
        )
    )
    _reindex(session, need_ids, offer_ids)


def _reindex(session: Session, need_ids: list[int], offer_ids: list[int]) -> None:
    if need_ids:
        for need in session.scalars(
            sa.select(Need).where(Need.id.in_(need_ids)).options(selectinload(Need.skills))
        ):
            need.search_text = item_search_text(need.title, need.description, need.skills)
    if offer_ids:
        for offer in session.scalars(
            sa.select(Offer).where(Offer.id.in_(offer_ids)).options(selectinload(Offer.skills))
        ):
            offer.search_text = item_search_text(offer.title, offer.description, offer.skills)
    session.flush()


def moderate(
    session: Session,
    actor: Member,
    skill_id: int,
    action: str,
    label: str = "",
    parent_id: int | None = None,
    target_id: int | None = None,
) -> Skill:
    """Dispatch one moderation decision (approve, rename, reject, merge)."""
    if action == "approve":
        return approve_skill(session, actor, skill_id, label or None, parent_id)
    if action == "rename":
        return rename_skill(session, actor, skill_id, label, parent_id)
    if action == "reject":
        return reject_skill(session, actor, skill_id)
    if action == "merge":
        return merge_skill(session, actor, skill_id, target_id)
    raise Conflict(_("Action inconnue."))
