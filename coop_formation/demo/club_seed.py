"""The HR club's side of the demo: visible aggregates and one pooled external training.

Aggregates mask every cell under 5 people (the rest is rounded to base 5 by cell key, see
club/kanon.py), so a demo drawn at random would show many "< 5". This step adds, through
ordinary rows, what a lively cluster has: colleagues declaring a widely shared skill they can teach,
colleagues saying "moi aussi" to their company's needs. It counts with the club's own
queries, then tops up each (company, skill) cell of 1 to 4 people to 5, so a few skills and
every company's participation are visible. The pooled training goes through the services.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.club import pooled_trainings
from coop_formation.club.filters import ClubFilters, default_period
from coop_formation.club.kanon import K
from coop_formation.club.models import PooledTraining
from coop_formation.club.participation import _events, participants_by_company
from coop_formation.club.skills_map import _demand_pairs, _supply_pairs
from coop_formation.db import utcnow
from coop_formation.demo.cluster import DemoCluster
from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    NeedStatus,
    NeedSupporter,
    SkillRelation,
    need_skills,
)
from coop_formation.people.models import Member

# Widely shared skills many people can pass on: their supply is made visible.
SUPPLY_SKILLS = (
    "Utiliser un tableur",
    "Travailler de manière ergonomique",
    "Appliquer les règles de santé et de sécurité",
    "Règles de sécurité électrique",
    "Utiliser des instruments de mesure de précision",
)
# Skills whose demand (needs written or joined) is made visible.
DEMAND_SKILLS = ("Règles de sécurité électrique", "Utiliser un tableur")
# Share of each company's active members who took part in something over the year.
PARTICIPATION_SHARE = 0.45


class PooledTrainingText(TypedDict):
    provider: str
    title: str
    description: str
    price: str
    seats: int | None


POOLED_TRAINING: PooledTrainingText = {
    "provider": "Loire Énergie Formation (organisme agréé)",
    "title": "Habilitation électrique B1V – BR : formation initiale",
    "description": (
        "Trois jours en centre agréé à Blois, théorie et pratique sur maquettes, avis "
        "d'habilitation remis à l'employeur. Prix de groupe pour douze stagiaires au plus, "
        "partagé entre les entreprises selon le nombre de places prises."
    ),
    "price": "4 800,00",
    "seats": 12,
}
# (company slug, seats, who reserves: a demo account, or None for the HR club)
SEATS = (
    ("alpha", 3, "correspondant@alpha.demo"),
    ("beta", 2, "correspondant@beta.demo"),
    ("ondelec", 2, None),
    ("conserverie-coteaux", 2, None),
)


def _filters(demo: DemoCluster) -> ClubFilters:
    start, end = default_period()
    companies = tuple(sorted(demo.companies.values(), key=lambda c: c.name))
    return ClubFilters(demo.cluster.id, start, end, companies, companies)


def _cells(
    session: Session, pairs: sa.Select[Any] | sa.CompoundSelect, skill_ids: list[int]
) -> dict[tuple[int, int], int]:
    """(skill, company) → distinct people, as the skills map counts them."""
    sub = pairs.subquery()
    rows = session.execute(
        sa.select(sub.c.skill_id, sub.c.company_id, sa.func.count(sa.distinct(sub.c.member_id)))
        .where(sub.c.skill_id.in_(skill_ids))
        .group_by(sub.c.skill_id, sub.c.company_id)
    )
    return {(skill, company): count for skill, company, count in rows}


def _active(demo: DemoCluster, company_id: int) -> list[Member]:
    slug = next(s for s, c in demo.companies.items() if c.id == company_id)
    return [
        m
        for m in demo.members_by_company[slug]
        if m.password_hash is not None and m.email not in demo.accounts
    ]


def top_up_supply(session: Session, rng: random.Random, demo: DemoCluster) -> int:
    """More colleagues declare they can teach a shared skill where 1–4 of them had."""
    assert demo.skills is not None
    skill_ids = demo.skills.resolve(SUPPLY_SKILLS)
    cells = _cells(session, _supply_pairs(_filters(demo)), skill_ids)
    existing = set(
        session.execute(
            sa.select(MemberSkill.member_id, MemberSkill.skill_id).where(
                MemberSkill.relation == SkillRelation.CAN_TEACH,
                MemberSkill.skill_id.in_(skill_ids),
            )
        ).tuples()
    )
    rows: list[dict[str, object]] = []
    now = utcnow() - timedelta(days=30)
    for (skill_id, company_id), count in sorted(cells.items()):
        if count >= K:
            continue
        free = [m for m in _active(demo, company_id) if (m.id, skill_id) not in existing]
        for member in rng.sample(free, min(K - count, len(free))):
            rows.append(
                {
                    "member_id": member.id,
                    "skill_id": skill_id,
                    "relation": SkillRelation.CAN_TEACH,
                    "created_at": now,
                }
            )
    if rows:
        session.execute(sa.insert(MemberSkill), rows)
    return len(rows)


def _support(session: Session, need: Need, members: list[Member], days_ago: int) -> int:
    at = utcnow() - timedelta(days=days_ago)
    added = 0
    for member in members:
        session.add(NeedSupporter(need_id=need.id, member_id=member.id, created_at=at))
        added += 1
    need.supporters_count = (need.supporters_count or 0) + added
    return added


def _people_on(session: Session, need: Need) -> set[int]:
    supporters = set(
        session.scalars(sa.select(NeedSupporter.member_id).where(NeedSupporter.need_id == need.id))
    )
    return supporters | {need.author_id}


def top_up_demand(session: Session, rng: random.Random, demo: DemoCluster) -> int:
    """Colleagues join a need ("moi aussi") where 1–4 people of their company asked for a skill."""
    assert demo.skills is not None
    skill_ids = demo.skills.resolve(DEMAND_SKILLS)
    session.flush()
    cells = _cells(session, _demand_pairs(_filters(demo)), skill_ids)
    added = 0
    for (skill_id, company_id), count in sorted(cells.items()):
        if count >= K:
            continue
        need = session.scalars(
            sa.select(Need)
            .join(need_skills, need_skills.c.need_id == Need.id)
            .where(
                need_skills.c.skill_id == skill_id,
                Need.status == NeedStatus.OPEN,
                Need.cluster_id == demo.cluster.id,
                sa.or_(
                    Need.company_id == company_id,
                    Need.id.in_(
                        sa.select(NeedSupporter.need_id)
                        .join(Member, Member.id == NeedSupporter.member_id)
                        .where(Member.company_id == company_id)
                    ),
                ),
            )
            .order_by(Need.id)
            .limit(1)
        ).first()
        if need is None:
            continue
        taken = _people_on(session, need)
        free = [m for m in _active(demo, company_id) if m.id not in taken]
        added += _support(session, need, rng.sample(free, min(K - count, len(free))), 12)
        session.flush()
    return added


def top_up_participation(session: Session, rng: random.Random, demo: DemoCluster) -> int:
    """Colleagues join their company's needs so every company shows its participation."""
    session.flush()
    filters = _filters(demo)
    counts = participants_by_company(
        session, demo.cluster.id, filters.company_ids, filters.start_at, filters.end_at
    )
    added = 0
    for _slug, company in sorted(demo.companies.items()):
        active = _active(demo, company.id)
        wanted = max(K + 1, round(PARTICIPATION_SHARE * len(active)))
        missing = wanted - counts.get(company.id, 0)
        if missing <= 0:
            continue
        needs = list(
            session.scalars(
                sa.select(Need)
                .where(Need.company_id == company.id, Need.status == NeedStatus.OPEN)
                .order_by(Need.id)
            )
        )
        participants = _participants(session, company.id, filters)
        newcomers = [m for m in active if m.id not in participants]
        rng.shuffle(newcomers)
        for position, member in enumerate(newcomers[:missing]):
            need = needs[position % len(needs)]
            if member.id in _people_on(session, need):
                continue
            added += _support(session, need, [member], 5 + 7 * position)
            session.flush()
    return added


def _participants(session: Session, company_id: int, filters: ClubFilters) -> set[int]:
    events = _events(filters.cluster_id, filters.start_at, filters.end_at).subquery()
    return set(
        session.scalars(
            sa.select(events.c.member_id)
            .join(Member, Member.id == events.c.member_id)
            .where(Member.company_id == company_id)
            .distinct()
        )
    )


def seed_pooled_training(session: Session, demo: DemoCluster) -> PooledTraining:
    """The HR club proposes an external training; four companies take seats."""
    hr = demo.accounts["rh@club.demo"]
    deadline = datetime.now(UTC).date() + timedelta(days=40)
    training = pooled_trainings.propose_training(session, hr, deadline=deadline, **POOLED_TRAINING)
    for slug, seats, email in SEATS:
        actor = demo.accounts[email] if email else hr
        pooled_trainings.reserve_seats(
            session,
            actor,
            training_id=training.id,
            company_id=demo.companies[slug].id,
            seats=seats,
        )
    return training


def seed_club(session: Session, demo: DemoCluster) -> dict[str, int]:
    """Visible aggregates and the pooled training; returns what was added, for the log."""
    rng = random.Random(61)
    report = {
        "can_teach_added": top_up_supply(session, rng, demo),
        "demand_supporters_added": top_up_demand(session, rng, demo),
        "participation_supporters_added": top_up_participation(session, rng, demo),
    }
    seed_pooled_training(session, demo)
    session.flush()
    return report


__all__ = ["POOLED_TRAINING", "SEATS", "seed_club"]
