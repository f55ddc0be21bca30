"""The demo's needs, offers and "moi aussi" supporters (texts from ``content.py``).

Rows are created through the models with ``search_text`` computed by the exchange's own
builder, so the demo's needs are found by the same search as those declared in the UI.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.db import utcnow
from coop_formation.demo.cluster import DemoCluster
from coop_formation.demo.content import NEEDS, OFFERS, NeedData, OfferData
from coop_formation.demo.skills import search_text_for
from coop_formation.exchange.models import (
    Format,
    Need,
    NeedStatus,
    NeedSupporter,
    NeedVisibility,
    Offer,
    Skill,
    Urgency,
)
from coop_formation.people.models import Member


def _skills(session: Session, demo: DemoCluster, hints: tuple[str, ...]) -> list[Skill]:
    ids = demo.skills.resolve(hints) if demo.skills is not None else []
    return [s for s in (session.get(Skill, i) for i in ids) if s is not None]


def _active(members: list[Member]) -> list[Member]:
    return [m for m in members if m.password_hash is not None]


def _author(rng: random.Random, demo: DemoCluster, item: NeedData) -> Member:
    if item.author:
        return demo.accounts[item.author]
    demo_emails = set(demo.accounts)
    pool = [m for m in _active(demo.members_by_company[item.company]) if m.email not in demo_emails]
    return rng.choice(pool)


def _wanted_period(rng: random.Random, urgency: Urgency) -> tuple[date | None, date | None]:
    today = date.today()
    if urgency is Urgency.URGENT:
        return today, today + timedelta(days=30)
    if urgency is Urgency.SOON:
        return today + timedelta(days=15), today + timedelta(days=rng.choice((60, 90)))
    if urgency is Urgency.THIS_YEAR and rng.random() < 0.5:
        return None, date(today.year, 12, 31) if today.month < 11 else today + timedelta(days=120)
    return None, None


def _supporters(
    rng: random.Random, demo: DemoCluster, need: Need, item: NeedData, author: Member
) -> list[NeedSupporter]:
    """Colleagues (or, for a cluster-wide need, anyone in the cluster) who said "moi aussi"."""
    if item.visibility == NeedVisibility.CLUSTER:
        pool = [m for group in demo.members_by_company.values() for m in _active(group)]
    else:
        pool = _active(demo.members_by_company[item.company])
    pool = [m for m in pool if m.id != author.id]
    chosen = rng.sample(pool, min(item.supporters, len(pool)))
    if item.title.startswith("Excel") and demo.accounts["membre@alpha.demo"] not in chosen:
        chosen[-1:] = [demo.accounts["membre@alpha.demo"]]  # Alpha's member said "moi aussi"
    return [
        NeedSupporter(need_id=need.id, member_id=m.id, anonymous=rng.random() < 0.2) for m in chosen
    ]


def seed_needs(session: Session, rng: random.Random, demo: DemoCluster) -> list[Need]:
    now = utcnow()
    needs: list[Need] = []
    for position, item in enumerate(NEEDS):
        author = _author(rng, demo, item)
        skills = _skills(session, demo, item.skills)
        urgency = Urgency(item.urgency)
        wanted_from, wanted_until = _wanted_period(rng, urgency)
        created = now - timedelta(days=90 - 2 * position, hours=rng.randint(0, 9))
        need = Need(
            cluster_id=demo.cluster.id,
            company_id=demo.companies[item.company].id,
            author_id=author.id,
            title=item.title,
            description=item.description,
            urgency=urgency,
            wanted_from=wanted_from,
            wanted_until=wanted_until,
            format=Format(item.format),
            visibility=NeedVisibility(item.visibility),
            anonymous=item.anonymous,
            status=NeedStatus.OPEN,
            created_at=created,
            updated_at=created,
            search_text=search_text_for(item.title, item.description, skills),
        )
        need.skills = skills
        session.add(need)
        session.flush()
        supporters = _supporters(rng, demo, need, item, author)
        session.add_all(supporters)
        need.supporters_count = len(supporters)
        needs.append(need)
    # A few needs have already found their trainer, one is closed.
    for need in needs[1::9]:
        need.status = NeedStatus.MATCHED
    needs[-3].status = NeedStatus.CLOSED
    session.flush()
    return needs


def _trainer(rng: random.Random, demo: DemoCluster, item: OfferData, taken: set[int]) -> Member:
    if item.trainer:
        return demo.accounts[item.trainer]
    demo_emails = set(demo.accounts)
    pool = [
        m
        for m in _active(demo.members_by_company[item.company])
        if m.email not in demo_emails and m.id not in taken
    ]
    trainer = rng.choice(pool)
    taken.add(trainer.id)
    return trainer


def seed_offers(session: Session, rng: random.Random, demo: DemoCluster) -> list[Offer]:
    now = utcnow()
    offers: list[Offer] = []
    taken: set[int] = set()
    for position, item in enumerate(OFFERS):
        trainer = _trainer(rng, demo, item, taken)
        skills = _skills(session, demo, item.skills)
        venue = demo.venues.get(item.venue) if item.venue else None
        created = now - timedelta(days=80 - 2 * position)
        offer = Offer(
            cluster_id=demo.cluster.id,
            company_id=trainer.company_id,
            trainer_id=trainer.id,
            title=item.title,
            description=item.description,
            format=Format(item.format),
            duration_minutes=item.duration_minutes,
            capacity=item.capacity,
            remote=item.remote,
            venue_id=venue.id if venue is not None else None,
            place_details=""
            if venue or item.remote
            else f"Dans les locaux de {trainer.company.name if trainer.company else 'la société'}",
            availability=item.availability,
            created_at=created,
            updated_at=created,
            search_text=search_text_for(item.title, item.description, skills),
        )
        offer.skills = skills
        session.add(offer)
        offers.append(offer)
    session.flush()
    return offers


def seed_needs_and_offers(session: Session, rng: random.Random, demo: DemoCluster) -> None:
    seed_needs(session, rng, demo)
    seed_offers(session, rng, demo)


def count_needs(session: Session, cluster_id: int) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count()).select_from(Need).where(Need.cluster_id == cluster_id)
        )
        or 0
    )
