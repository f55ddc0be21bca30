"""The demo tests run on a database of their own holding the demo cluster, seeded once.

Seeding the demo takes seconds; doing it for every test cost minutes. Here it is seeded and
committed once into a separate database (a SQLite file, or a scratch PostgreSQL database
when ``COOP_TEST_DATABASE_URL`` is set), migrated like the shared one. Every test still runs
inside the usual ``db_session`` transaction, rolled back afterwards, so a test that changes
the demo leaves it as it was for the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session

from coop_formation.demo.cluster import DemoCluster
from coop_formation.demo.seed import seed_demo
from coop_formation.demo.skills import SkillIndex
from coop_formation.exchange.models import Venue
from coop_formation.extensions import db
from coop_formation.people.auth import hash_password
from coop_formation.people.models import Charter, Cluster, Company, Member
from tests.clock import FROZEN_NOW
from tests.schema import TEST_DATABASE_URL, dispose_test_app, make_test_app
from tests.schema import scratch_postgres_database as scratch_database


@dataclass(frozen=True)
class SeededDemo:
    """The ids of what the seed made (objects are reloaded in each test's session)."""

    cluster_id: int
    charter_id: int
    companies: dict[str, int]
    accounts: dict[str, int]
    members_by_company: dict[str, list[int]]
    venues: dict[str, int]
    skills: SkillIndex | None


@pytest.fixture(scope="session")
def demo_password_hash() -> str:
    return hash_password("demo-coop")


@pytest.fixture(scope="package")
def demo_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if (TEST_DATABASE_URL or "").startswith(("postgres://", "postgresql")):
        with scratch_database("coop_demo") as url:
            yield url
        return
    yield f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"


@pytest.fixture(scope="package")
def app(tmp_path_factory: pytest.TempPathFactory, demo_database_url: str) -> Iterator[Flask]:
    """The app of the demo tests: its database already holds the demo (see ``seeded_demo``)."""
    app = make_test_app(tmp_path_factory.mktemp("coop-demo"), demo_database_url)
    yield app
    dispose_test_app(app)


@pytest.fixture(scope="package", autouse=True)
def seeded_demo(app: Flask, demo_password_hash: str) -> SeededDemo:
    """Seed the demo once, at the frozen date every test starts from, and commit it (every
    test of the folder runs next to the demo, whether it asks for ``demo`` or not)."""
    with app.app_context(), force_locale("fr"), time_machine.travel(FROZEN_NOW, tick=True):
        demo = seed_demo(db.session, password_hash=demo_password_hash)
        seeded = SeededDemo(
            cluster_id=demo.cluster.id,
            charter_id=demo.charter.id,
            companies={slug: c.id for slug, c in demo.companies.items()},
            accounts={email: m.id for email, m in demo.accounts.items()},
            members_by_company={
                slug: [m.id for m in group] for slug, group in demo.members_by_company.items()
            },
            venues={name: v.id for name, v in demo.venues.items()},
            skills=demo.skills,
        )
        db.session.commit()
        db.session.remove()
    return seeded


def _load(session: Session, model: type, ids: list[int]) -> dict[int, object]:
    rows = session.scalars(sa.select(model).where(model.id.in_(ids))) if ids else []
    return {row.id: row for row in rows}


@pytest.fixture()
def demo(seeded_demo: SeededDemo, db_session) -> DemoCluster:  # type: ignore[no-untyped-def]
    """The demo cluster, its objects loaded in this test's session."""
    seeded = seeded_demo
    member_ids = list(seeded.accounts.values()) + [
        member_id for group in seeded.members_by_company.values() for member_id in group
    ]
    members = _load(db_session, Member, member_ids)
    companies = _load(db_session, Company, list(seeded.companies.values()))
    venues = _load(db_session, Venue, list(seeded.venues.values()))
    return DemoCluster(
        cluster=db_session.get(Cluster, seeded.cluster_id),
        charter=db_session.get(Charter, seeded.charter_id),
        companies={slug: companies[i] for slug, i in seeded.companies.items()},
        accounts={email: members[i] for email, i in seeded.accounts.items()},
        members_by_company={
            slug: [members[i] for i in ids] for slug, ids in seeded.members_by_company.items()
        },
        venues={name: venues[i] for name, i in seeded.venues.items()},
        skills=seeded.skills,
    )
