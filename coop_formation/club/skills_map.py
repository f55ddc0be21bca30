"""The skills map: supply against demand per skill and per domain of the skills tree.

Supply = distinct members of the chosen companies who declared they can teach the skill
(declared before the end of the period) or who teach an active offer tagged with it.
Demand = distinct members who wrote a need tagged with the skill, opened during the period
and still open, or joined such a need ("moi aussi"). A domain is the root of the skill's
branch in the tree. Every count goes through :mod:`coop_formation.club.kanon` (threshold, then
cell-key rounding to base 5; a domain is rounded on its own, never summed); a skill
whose cells are all under 5 is not listed at all (its mere presence would reveal someone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import CTE, CompoundSelect, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from coop_formation.authz import Permission, require
from coop_formation.club import kanon
from coop_formation.club.filters import ClubFilters
from coop_formation.club.rules import refusal
from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    NeedStatus,
    NeedSupporter,
    Offer,
    OfferStatus,
    Skill,
    SkillRelation,
    need_skills,
    offer_skills,
)
from coop_formation.people.models import Member


@dataclass
class SkillRow:
    skill_id: int
    label: str
    supply: kanon.Cell
    demand: kanon.Cell


@dataclass
class DomainRow:
    domain_id: int
    label: str
    supply: kanon.Cell
    demand: kanon.Cell
    skills: list[SkillRow] = field(default_factory=list)


@dataclass
class SkillsMap:
    filters: ClubFilters
    domains: list[DomainRow]

    @property
    def skill_rows(self) -> list[SkillRow]:
        return [row for domain in self.domains for row in domain.skills]


def _supply_pairs(filters: ClubFilters) -> CompoundSelect:
    declared = (
        select(
            MemberSkill.skill_id.label("skill_id"),
            MemberSkill.member_id.label("member_id"),
            Member.company_id.label("company_id"),
        )
        .join(Member, Member.id == MemberSkill.member_id)
        .where(
            MemberSkill.relation == SkillRelation.CAN_TEACH,
            MemberSkill.created_at < filters.end_at,
            Member.cluster_id == filters.cluster_id,
            Member.closed_at.is_(None),
            Member.company_id.in_(filters.company_ids),
        )
    )
    offered = (
        select(offer_skills.c.skill_id, Offer.trainer_id, Member.company_id)
        .join(Offer, Offer.id == offer_skills.c.offer_id)
        .join(Member, Member.id == Offer.trainer_id)
        .where(
            Offer.status == OfferStatus.ACTIVE,
            Offer.cluster_id == filters.cluster_id,
            Offer.created_at < filters.end_at,
            Member.company_id.in_(filters.company_ids),
        )
    )
    # UNION ALL: the counts are DISTINCT anyway; a UNION would sort every pair once more.
    return union_all(declared, offered)


def _demand_pairs(filters: ClubFilters) -> CompoundSelect:
    need_filter = (
        Need.cluster_id == filters.cluster_id,
        Need.status == NeedStatus.OPEN,
        Need.created_at >= filters.start_at,
        Need.created_at < filters.end_at,
        Need.company_id.in_(filters.company_ids),
    )
    authors = (
        select(
            need_skills.c.skill_id.label("skill_id"),
            Need.author_id.label("member_id"),
            Member.company_id.label("company_id"),
        )
        .join(Need, Need.id == need_skills.c.need_id)
        .join(Member, Member.id == Need.author_id)
        .where(*need_filter, Member.company_id.in_(filters.company_ids))
    )
    supporters = (
        select(need_skills.c.skill_id, NeedSupporter.member_id, Member.company_id)
        .join(Need, Need.id == need_skills.c.need_id)
        .join(NeedSupporter, NeedSupporter.need_id == Need.id)
        .join(Member, Member.id == NeedSupporter.member_id)
        .where(*need_filter, Member.company_id.in_(filters.company_ids))
    )
    return union_all(authors, supporters)


def _skill_roots() -> CTE:
    """Recursive CTE (id, root_id): each skill with the root of its branch (its domain)."""
    roots = (
        select(Skill.id.label("id"), Skill.id.label("root_id"))
        .where(Skill.parent_id.is_(None))
        .cte("skill_roots", recursive=True)
    )
    child = aliased(Skill)
    return roots.union_all(
        select(child.id, roots.c.root_id).join(roots, child.parent_id == roots.c.id)
    )


People = dict[int, set[int]]  # skill or domain id -> the distinct members it counts


def _counts(session: Session, pairs: CompoundSelect, roots: CTE) -> tuple[People, People]:
    """Distinct members per skill and per domain, in ONE statement (ids, never published).

    The pairs are computed once (a CTE used twice is materialised by SQLite and PostgreSQL)
    and read twice; a domain counts each member once, however many of its skills they have.
    """
    sub = pairs.cte("pairs")
    by_skill = select(
        literal(0).label("level"), sub.c.skill_id.label("key"), sub.c.member_id
    ).distinct()
    by_domain = (
        select(literal(1).label("level"), roots.c.root_id, sub.c.member_id)
        .join(roots, roots.c.id == sub.c.skill_id)
        .distinct()
    )
    per_skill: People = {}
    per_domain: People = {}
    for level, key, member_id in session.execute(union_all(by_skill, by_domain)):
        (per_domain if level else per_skill).setdefault(key, set()).add(member_id)
    return per_skill, per_domain


def skills_map(session: Session, actor: Member, filters: ClubFilters) -> SkillsMap:
    """Supply and demand per skill and domain, k-anonymised; three queries whatever the size."""
    require(actor, Permission.CLUB_READ, message=refusal())
    roots = _skill_roots()
    supply_skill, supply_domain = _counts(session, _supply_pairs(filters), roots)
    demand_skill, demand_domain = _counts(session, _demand_pairs(filters), roots)
    skill_ids = set(supply_skill) | set(demand_skill)
    if not skill_ids:
        return SkillsMap(filters, [])
    root_skill = aliased(Skill)
    labelled = session.execute(
        select(Skill.id, Skill.label, roots.c.root_id, root_skill.label)
        .join(roots, roots.c.id == Skill.id)
        .join(root_skill, root_skill.id == roots.c.root_id)
        .where(Skill.id.in_(skill_ids))
    ).all()
    domains: dict[int, DomainRow] = {}
    for skill_id, label, root_id, root_label in labelled:
        domain = domains.get(root_id)
        if domain is None:
            domain = domains[root_id] = DomainRow(
                root_id, root_label, kanon.Cell(None), kanon.Cell(None)
            )
        domain.skills.append(
            SkillRow(
                skill_id,
                label,
                kanon.people_cell(supply_skill.get(skill_id, ())),
                kanon.people_cell(demand_skill.get(skill_id, ())),
            )
        )
    for domain in domains.values():
        domain.skills.sort(key=lambda row: (row.label.casefold(), row.skill_id))
        domain.supply = kanon.people_cell(supply_domain.get(domain.domain_id, ()))
        domain.demand = kanon.people_cell(demand_domain.get(domain.domain_id, ()))
    return SkillsMap(filters, _published(domains.values()))


def _published(domains: Iterable[DomainRow]) -> list[DomainRow]:
    """Drop rows whose every cell is under 5: listing them would say "someone, here"."""
    kept = []
    for domain in sorted(domains, key=lambda d: (d.label.casefold(), d.domain_id)):
        domain.skills = [r for r in domain.skills if not (r.supply.masked and r.demand.masked)]
        small = kanon.SMALL
        if domain.skills or domain.supply.reason != small or domain.demand.reason != small:
            kept.append(domain)
    return kept


# -- the picture ------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    supply: kanon.Cell
    demand: kanon.Cell
    y: int
    supply_width: int
    demand_width: int
    is_domain: bool


@dataclass
class Chart:
    width: int
    height: int
    label_width: int
    bar_area: int
    bars: list[Bar]


ROW_HEIGHT = 34
LABEL_WIDTH = 260
BAR_AREA = 420
TOP = 40


def chart(rows: list[tuple[str, kanon.Cell, kanon.Cell, bool]]) -> Chart:
    """Geometry of the paired-bar chart; masked cells get no bar (the text says "< 5")."""
    visible = [c.value for _, s, d, _ in rows for c in (s, d) if c.value is not None]
    scale = max(visible, default=1) or 1
    bars = []
    for index, (label, supply, demand, is_domain) in enumerate(rows):
        bars.append(
            Bar(
                label=label,
                supply=supply,
                demand=demand,
                y=TOP + index * ROW_HEIGHT,
                supply_width=round(BAR_AREA * (supply.value or 0) / scale),
                demand_width=round(BAR_AREA * (demand.value or 0) / scale),
                is_domain=is_domain,
            )
        )
    return Chart(
        width=LABEL_WIDTH + BAR_AREA + 80,
        height=TOP + len(rows) * ROW_HEIGHT + 10,
        label_width=LABEL_WIDTH,
        bar_area=BAR_AREA,
        bars=bars,
    )


def map_chart(skills: SkillsMap) -> Chart:
    """One row per domain, followed by its skills."""
    rows: list[tuple[str, kanon.Cell, kanon.Cell, bool]] = []
    for domain in skills.domains:
        rows.append((domain.label, domain.supply, domain.demand, True))
        rows.extend((row.label, row.supply, row.demand, False) for row in domain.skills)
    return chart(rows)
