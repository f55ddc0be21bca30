"""Suggestions for a need: active offers and willing trainers, ranked, each with its reasons.

The score only orders the list for the people in charge of the need; it is never shown and
never stored. Members appear only when they opted in (``MatchingPreference.suggest_me``).
Every call runs a fixed number of SQL statements, whatever the size of the cluster.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload, selectinload

from coop_formation.errors import NotFound
from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    Offer,
    OfferStatus,
    Skill,
    SkillRelation,
    SkillStatus,
    offer_skills,
)
from coop_formation.matching import permissions as perms
from coop_formation.matching.models import MatchingPreference
from coop_formation.matching.text import common_words, likeness, significant_words, text_candidates
from coop_formation.people.models import Member

# Weights of each reason in the ordering (documented so the ordering can be explained).
W_SHARED = 3.0
W_RELATED = 1.0
W_TEXT = 2.0
W_AVAILABILITY = 0.5
MAX_SKILL_ROWS = 400
MAX_RELATED = 40
MAX_TEXT_ROWS = 100


@dataclass
class Suggestion:
    """One offer or one willing member for a need, with plain-language reasons."""

    kind: str  # "offer" or "member"
    member: Member
    offer: Offer | None
    score: float
    reasons: list[str] = field(default_factory=list)
    same_company: bool = False

    @property
    def company_name(self) -> str:
        return self.member.company.name if self.member.company else ""


def get_need_for_suggestions(session: Session, actor: Member, need_id: int) -> Need:
    need = session.get(Need, need_id, options=[selectinload(Need.skills), joinedload(Need.company)])
    if need is None:
        raise NotFound()
    perms.require(actor, perms.SUGGESTIONS_READ, need)
    return need


def _related_skills(session: Session, need: Need) -> dict[int, str]:
    """Skills sharing a parent domain with one of the need's skills (the tree's neighbours)."""
    direct = {s.id for s in need.skills}
    parents = {s.parent_id for s in need.skills if s.parent_id is not None}
    if not parents:
        return {}
    rows = session.execute(
        sa.select(Skill.id, Skill.label)
        .where(
            Skill.parent_id.in_(parents),
            Skill.status == SkillStatus.APPROVED,
            Skill.id.not_in(direct) if direct else sa.true(),
        )
        .order_by(Skill.id)
        .limit(MAX_RELATED)
    )
    return {row.id: row.label for row in rows}


def _skill_reasons(shared: list[str], related: list[str]) -> list[str]:
    reasons = []
    if shared:
        reasons.append(_("Compétences communes : %(s)s", s=", ".join(sorted(shared))))
    if related:
        reasons.append(
            _("Compétences voisines dans le référentiel : %(s)s", s=", ".join(sorted(related)))
        )
    return reasons


def _company_reason(same: bool) -> str:
    return _("Même entreprise") if same else _("Une autre entreprise de la grappe")


def _offer_suggestions(
    session: Session, need: Need, direct: dict[int, str], related: dict[int, str], words: dict
) -> list[Suggestion]:
    dialect = session.get_bind().dialect.name
    skill_ids = [*direct, *related]
    base = sa.select(Offer.id).where(
        Offer.cluster_id == need.cluster_id,
        Offer.status == OfferStatus.ACTIVE,
        Offer.trainer_id != need.author_id,
    )
    ids: set[int] = set()
    if skill_ids:
        ids.update(
            session.scalars(
                base.join(offer_skills, offer_skills.c.offer_id == Offer.id)
                .where(offer_skills.c.skill_id.in_(skill_ids))
                .order_by(Offer.id.desc())
                .limit(MAX_SKILL_ROWS)
            )
        )
    where, order = text_candidates(Offer.search_text, list(words.values()), dialect)
    stmt = base.where(where).limit(MAX_TEXT_ROWS)
    stmt = (
        stmt.order_by(order, Offer.id.desc())
        if order is not None
        else stmt.order_by(Offer.id.desc())
    )
    ids.update(session.scalars(stmt))
    if not ids:
        return []
    offers = session.scalars(
        sa.select(Offer)
        .where(Offer.id.in_(ids))
        .options(
            joinedload(Offer.trainer).joinedload(Member.company),
            selectinload(Offer.skills),
        )
    ).unique()
    results = []
    for offer in offers:
        if offer.trainer.is_closed:
            continue
        offer_skill_ids = {s.id for s in offer.skills}
        shared = [direct[i] for i in offer_skill_ids & direct.keys()]
        near = [related[i] for i in offer_skill_ids & related.keys()]
        offer_words = significant_words(offer.search_text)
        text = likeness(words, offer_words)
        same = offer.trainer.company_id == need.company_id
        reasons = _skill_reasons(shared, near)
        if text > 0:
            reasons.append(
                _("Mots en commun : %(w)s", w=", ".join(common_words(words, offer_words)[:6]))
            )
        if offer.availability.strip():
            reasons.append(
                _("Disponibilités indiquées : %(a)s", a=offer.availability.strip()[:120])
            )
        reasons.append(_company_reason(same))
        score = (
            W_SHARED * len(shared)
            + W_RELATED * len(near)
            + W_TEXT * text
            + (W_AVAILABILITY if offer.availability.strip() else 0)
        )
        if score > 0:
            results.append(Suggestion("offer", offer.trainer, offer, score, reasons, same))
    return results


def _member_suggestions(
    session: Session,
    need: Need,
    direct: dict[int, str],
    related: dict[int, str],
    skip_members: set[int],
) -> list[Suggestion]:
    skill_ids = [*direct, *related]
    if not skill_ids:
        return []
    rows = session.execute(
        sa.select(MemberSkill.member_id, MemberSkill.skill_id)
        .join(MatchingPreference, MatchingPreference.member_id == MemberSkill.member_id)
        .join(Member, Member.id == MemberSkill.member_id)
        .where(
            MemberSkill.relation == SkillRelation.CAN_TEACH,
            MemberSkill.skill_id.in_(skill_ids),
            MatchingPreference.suggest_me.is_(True),
            Member.cluster_id == need.cluster_id,
            Member.company_id.is_not(None),
            Member.closed_at.is_(None),
            Member.id != need.author_id,
        )
        .order_by(MemberSkill.member_id.desc())
        .limit(MAX_SKILL_ROWS)
    ).all()
    by_member: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        if row.member_id not in skip_members:
            by_member[row.member_id].add(row.skill_id)
    if not by_member:
        return []
    loaded = session.execute(
        sa.select(Member, MatchingPreference.availability)
        .join(MatchingPreference, MatchingPreference.member_id == Member.id)
        .where(Member.id.in_(by_member))
        .options(joinedload(Member.company))
    ).all()
    results = []
    for member, availability in loaded:
        skills = by_member[member.id]
        shared = [direct[i] for i in skills & direct.keys()]
        near = [related[i] for i in skills & related.keys()]
        same = member.company_id == need.company_id
        reasons = _skill_reasons(shared, near)
        reasons.insert(0, _("A déclaré pouvoir transmettre et accepte d'être suggéré"))
        if availability.strip():
            reasons.append(_("Disponibilités indiquées : %(a)s", a=availability.strip()[:120]))
        reasons.append(_company_reason(same))
        score = (
            W_SHARED * len(shared)
            + W_RELATED * len(near)
            + (W_AVAILABILITY if availability.strip() else 0)
        )
        results.append(Suggestion("member", member, None, score, reasons, same))
    return results


def rank_for_need(session: Session, need: Need, limit: int = 10) -> list[Suggestion]:
    """Rank without permission checks (callers checked them): offers first on ties."""
    direct = {s.id: s.label for s in need.skills}
    related = _related_skills(session, need)
    words = significant_words(f"{need.title} {need.description}")
    offers = _offer_suggestions(session, need, direct, related, words)
    with_offer = {s.member.id for s in offers}
    members = _member_suggestions(session, need, direct, related, with_offer)
    ranked = sorted(
        [*offers, *members],
        key=lambda s: (-s.score, s.kind != "offer", -(s.offer.id if s.offer else s.member.id)),
    )
    return ranked[:limit]


def suggestions_for_need(
    session: Session, actor: Member, need: Need, limit: int = 10
) -> list[Suggestion]:
    """Offers and opted-in trainers for ``need``, best first; only for those in charge of it."""
    perms.require(actor, perms.SUGGESTIONS_READ, need)
    return rank_for_need(session, need, limit)
