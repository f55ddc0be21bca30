"""The whole demo cluster, seeded step by step through the rooms' services."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from coop_formation.demo import activity, club_seed, cooperation, data, exchange_seed
from coop_formation.demo.cluster import (
    DemoCluster,
    seed_member_skills,
    seed_people,
    seed_venues,
)
from coop_formation.demo.skills import SkillIndex, load_taxonomy
from coop_formation.people.auth import hash_password

__all__ = ["seed_demo"]


def seed_demo(session: Session, password_hash: str | None = None) -> DemoCluster:
    """Build the whole demo cluster in the session (flushes, never commits).

    The ledger and sessions are seeded too, then the cooperation between companies
    (matching, pools, relay, communities) and the HR club's visible aggregates.
    """
    rng = random.Random(data.RANDOM_SEED)
    password_hash = password_hash or hash_password(data.DEMO_PASSWORD)
    load_taxonomy(session)
    demo = seed_people(session, rng, password_hash)
    demo.skills = SkillIndex(session)
    seed_venues(session, demo)
    seed_member_skills(session, rng, demo)
    exchange_seed.seed_needs_and_offers(session, rng, demo)
    activity.seed_ledger_and_sessions(session, demo)
    cooperation.seed_cooperation(session, demo)
    club_seed.seed_club(session, demo)
    session.flush()
    return demo
