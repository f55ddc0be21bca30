"""The demo cluster, seeded inside each test's rolled-back transaction.

``db_session`` is redefined here: the shared fixture passes ``bind=connection`` to a
Flask-SQLAlchemy session, whose ``get_bind`` ignores it and hands out a pooled engine
connection, so view commits escape the test's outer transaction (reported to the lead).
This version binds every statement to the test's connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession

from coop_formation.demo.cluster import DemoCluster, seed_demo
from coop_formation.extensions import db
from coop_formation.people.auth import hash_password


class ConnectionBoundSession(FlaskSession):
    """A session that always uses the connection it was given (the test's transaction)."""

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kw: Any) -> Any:
        return bind if bind is not None else self.bind


@pytest.fixture()
def db_session(app: Flask) -> Iterator[sa.orm.scoped_session]:
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionBoundSession,
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            if outer.is_active:
                outer.rollback()
            connection.close()


@pytest.fixture(scope="session")
def demo_password_hash() -> str:
    return hash_password("demo-coop")


@pytest.fixture()
def demo(db_session, demo_password_hash) -> DemoCluster:  # type: ignore[no-untyped-def]
    return seed_demo(db_session, password_hash=demo_password_hash)
