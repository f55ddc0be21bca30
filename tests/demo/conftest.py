"""The demo cluster, seeded inside each test's rolled-back transaction.

``db_session`` is redefined here: the shared fixture passes ``bind=connection`` to a
Flask-SQLAlchemy session, whose ``get_bind`` ignores it and hands out a pooled engine
connection, so view commits escape the test's outer transaction (reported to the lead).
This version binds every statement to the test's connection.
"""

from __future__ import annotations

import pytest

from coop_formation.demo.cluster import DemoCluster, seed_demo
from coop_formation.people.auth import hash_password


@pytest.fixture(scope="session")
def demo_password_hash() -> str:
    return hash_password("demo-coop")


@pytest.fixture()
def demo(db_session, demo_password_hash) -> DemoCluster:  # type: ignore[no-untyped-def]
    return seed_demo(db_session, password_hash=demo_password_hash)
