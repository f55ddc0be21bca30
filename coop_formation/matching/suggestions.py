"""Suggestions for a need: active offers and willing trainers, ranked, each with its reasons.

The score only orders the list for the people in charge of the need; it is never shown and
never stored. Members appear only when they opted in (``MatchingPreference.suggest_me``).
Every call runs a fixed number of SQL statements, whatever the size of the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import QueryableAttribute, Session, joinedload, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
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
from coop_formation.matching.models import MatchingPreference
from coop_formation.matching.text import (
    common_words,
    likeness,
    significant_words,
    stored_words,
    text_candidates,
)
from coop_formation.people.models import Member

# Weights of each reason in the ordering (documented so the ordering can be explained).
W_SHARED = 3.0
W_RELATED = 1.0
W_TEXT = 2.0
W_AVAILABILITY = 0.5
MIN_CANDIDATES = 40  # per kind; at least 4 × the requested number of suggestions
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
    authz.require(actor, Permission.SUGGESTIONS_READ, need)
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


@dataclass
class _Candidate:
    """What scoring needs about an offer or a member, before any ORM object is loaded."""

    kind: str
    id: int  # offer id or member id
    member_id: int
    skills: set[int]
    availability: str
    words: dict[str, str] = field(default_factory=dict)
    score: float = 0.0


def _skill_score(
    skill_col: sa.ColumnElement[int] | QueryableAttribute[int], direct: dict[int, str]
) -> sa.ColumnElement:
    """SQL: the skill part of the score (shared skills weigh W_SHARED, neighbours W_RELATED)."""
    if not direct:
        return sa.func.count() * W_RELATED
    return sa.func.sum(sa.case((skill_col.in_(list(direct)), W_SHARED), else_=W_RELATED))


def _offer_candidates(
    session: Session,
    need: Need,
    direct: dict[int, str],
    related: dict[int, str],
    words: dict[str, str],
    size: int,
) -> list[_Candidate]:
    """Best offers by skills (top ``size`` in SQL) plus offers sharing words, in one query."""
    skill_ids = [*direct, *related]
    active = sa.and_(
        Offer.cluster_id == need.cluster_id,
        Offer.status == OfferStatus.ACTIVE,
        Offer.trainer_id != need.author_id,
    )
    by_text = (
        sa.select(Offer.id)
        .where(active, text_candidates(Offer.search_text, list(words)))
        .order_by(Offer.id.desc())
        .limit(MAX_TEXT_ROWS)
    )
    chosen: sa.Select[Any] | sa.CompoundSelect[Any] = sa.select(by_text.subquery().c.id)
    if skill_ids:
        points = (
            sa.select(
                offer_skills.c.offer_id.label("offer_id"),
                _skill_score(offer_skills.c.skill_id, direct).label("points"),
            )
            .where(offer_skills.c.skill_id.in_(skill_ids))
            .group_by(offer_skills.c.offer_id)
            .subquery("points")
        )
        by_skill = (
            sa.select(points.c.offer_id)
            .join(Offer, Offer.id == points.c.offer_id)
            .where(active)
            .order_by(points.c.points.desc(), points.c.offer_id.desc())
            .limit(size)
        )
        chosen = sa.union(chosen, sa.select(by_skill.subquery().c.offer_id))
    linked = offer_skills.c.skill_id.in_(skill_ids) if skill_ids else sa.false()
    rows = session.execute(
        sa.select(
            Offer.id,
            Offer.trainer_id,
            Offer.search_text,
            Offer.availability,
            offer_skills.c.skill_id,
        )
        .join(Member, Member.id == Offer.trainer_id)
        .outerjoin(offer_skills, sa.and_(offer_skills.c.offer_id == Offer.id, linked))
        .where(Offer.id.in_(chosen), Member.closed_at.is_(None))
    )
    found: dict[int, _Candidate] = {}
    for row in rows:
        candidate = found.get(row.id)
        if candidate is None:
            candidate = found[row.id] = _Candidate(
                "offer", row.id, row.trainer_id, set(), row.availability.strip()
            )
            candidate.words = stored_words(row.search_text or "")
        if row.skill_id is not None:
            candidate.skills.add(row.skill_id)
    for candidate in found.values():
        candidate.score = (
            _skill_points(candidate, direct, related)
            + W_TEXT * likeness(words, candidate.words)
            + (W_AVAILABILITY if candidate.availability else 0)
        )
    return [c for c in found.values() if c.score > 0]


def _member_candidates(
    session: Session, need: Need, direct: dict[int, str], related: dict[int, str], size: int
) -> list[_Candidate]:
    """Top ``size`` opted-in trainers by declared skills, ranked in SQL, in one query."""
    skill_ids = [*direct, *related]
    if not skill_ids:
        return []
    teaches = sa.and_(
        MemberSkill.relation == SkillRelation.CAN_TEACH, MemberSkill.skill_id.in_(skill_ids)
    )
    # Aggregate member_skills alone first (index on skill_id, relation, member_id), then
    # filter: otherwise SQLite starts from every member of the cluster.
    taught = (
        sa.select(
            MemberSkill.member_id.label("member_id"),
            _skill_score(MemberSkill.skill_id, direct).label("points"),
        )
        .where(teaches)
        .group_by(MemberSkill.member_id)
        .subquery("taught")
    )
    has_time = sa.case((MatchingPreference.availability != "", W_AVAILABILITY), else_=0)
    best = (
        sa.select(taught.c.member_id)
        .join(MatchingPreference, MatchingPreference.member_id == taught.c.member_id)
        .join(Member, Member.id == taught.c.member_id)
        .where(
            MatchingPreference.suggest_me.is_(True),
            Member.cluster_id == need.cluster_id,
            Member.company_id.is_not(None),
            Member.closed_at.is_(None),
            Member.id != need.author_id,
        )
        .order_by((taught.c.points + has_time).desc(), taught.c.member_id.desc())
        .limit(size)
        .subquery("best")
    )
    rows = session.execute(
        sa.select(MemberSkill.member_id, MemberSkill.skill_id, MatchingPreference.availability)
        .join(best, best.c.member_id == MemberSkill.member_id)
        .join(MatchingPreference, MatchingPreference.member_id == MemberSkill.member_id)
        .where(teaches)
    )
    found: dict[int, _Candidate] = {}
    for row in rows:
        candidate = found.get(row.member_id)
        if candidate is None:
            candidate = found[row.member_id] = _Candidate(
                "member", row.member_id, row.member_id, set(), row.availability.strip()
            )
        candidate.skills.add(row.skill_id)
    for candidate in found.values():
        candidate.score = _skill_points(candidate, direct, related) + (
            W_AVAILABILITY if candidate.availability else 0
        )
    return list(found.values())


def _skill_points(candidate: _Candidate, direct: dict[int, str], related: dict[int, str]) -> float:
    return W_SHARED * len(candidate.skills & direct.keys()) + W_RELATED * len(
        candidate.skills & related.keys()
    )


def _explain(
    candidate: _Candidate,
    member: Member,
    offer: Offer | None,
    need: Need,
    direct: dict[int, str],
    related: dict[int, str],
    words: dict[str, str],
) -> Suggestion:
    """The suggestion as shown: plain-language reasons, built only for the kept few."""
    shared = [direct[i] for i in candidate.skills & direct.keys()]
    near = [related[i] for i in candidate.skills & related.keys()]
    same = member.company_id == need.company_id
    reasons = _skill_reasons(shared, near)
    if offer is None:
        reasons.insert(0, _("A déclaré pouvoir transmettre et accepte d'être suggéré"))
    elif likeness(words, candidate.words) > 0:
        reasons.append(
            _("Mots en commun : %(w)s", w=", ".join(common_words(words, candidate.words)[:6]))
        )
    if candidate.availability:
        reasons.append(_("Disponibilités indiquées : %(a)s", a=candidate.availability[:120]))
    reasons.append(_company_reason(same))
    return Suggestion(candidate.kind, member, offer, candidate.score, reasons, same)


def rank_for_need(session: Session, need: Need, limit: int = 10) -> list[Suggestion]:
    """Rank without permission checks (callers checked them): offers first on ties.

    Candidates are preselected in SQL (best skill scores, shared words), scored on light rows,
    and only the ``limit`` kept are loaded as objects: cost does not grow with the cluster.
    """
    direct = {s.id: s.label for s in need.skills}
    related = _related_skills(session, need)
    words = significant_words(f"{need.title} {need.description}")
    size = max(MIN_CANDIDATES, 4 * limit)
    offers = _offer_candidates(session, need, direct, related, words, size)
    with_offer = {c.member_id for c in offers}
    members = [
        c
        for c in _member_candidates(session, need, direct, related, size)
        if c.member_id not in with_offer
    ]
    kept = sorted([*offers, *members], key=lambda c: (-c.score, c.kind != "offer", -c.id))[:limit]
    offer_ids = [c.id for c in kept if c.kind == "offer"]
    member_ids = [c.id for c in kept if c.kind == "member"]
    # Both loads always run (even for an empty list): the query count never varies.
    loaded_offers = {
        o.id: o
        for o in session.scalars(
            sa.select(Offer)
            .where(Offer.id.in_(offer_ids))
            .options(joinedload(Offer.trainer).joinedload(Member.company))
        )
    }
    loaded_members = {
        m.id: m
        for m in session.scalars(
            sa.select(Member).where(Member.id.in_(member_ids)).options(joinedload(Member.company))
        )
    }
    results = []
    for c in kept:
        offer = loaded_offers.get(c.id) if c.kind == "offer" else None
        member = offer.trainer if offer is not None else loaded_members.get(c.id)
        if member is not None:
            results.append(_explain(c, member, offer, need, direct, related, words))
    return results


def suggestions_for_need(
    session: Session, actor: Member, need: Need, limit: int = 10
) -> list[Suggestion]:
    """Offers and opted-in trainers for ``need``, best first; only for those in charge of it."""
    authz.require(actor, Permission.SUGGESTIONS_READ, need)
    return rank_for_need(session, need, limit)
