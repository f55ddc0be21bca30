"""People test fixtures.

Two shared fixtures are redefined here (reported to the lead):

- ``db_session``: Flask-SQLAlchemy 3.1's ``Session.get_bind`` ignores the
  ``bind=connection`` the shared fixture passes, so its rollback did not isolate tests.
  This version routes every statement through the test's connection.
- ``client``: requests run inside the test's app context, so what Flask-Login and
  Flask-Babel cache on ``g`` (the user, the locale) leaked from one request (and one
  client) to the next; each request now starts clean.

Services called directly by a test (outside any request) run with the French locale forced:
``coop_formation.i18n.select_locale`` reads the request session and fails without a request.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_sqlalchemy.session import Session as FlaskSession

from coop_formation.extensions import db
from coop_formation.people import auth
from tests.factories import TEST_PASSWORD


class _ConnectionBoundSession(FlaskSession):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):  # type: ignore[no-untyped-def]
        if bind is not None:
            return bind
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, **kwargs)


@pytest.fixture()
def db_session(app: Flask) -> Iterator[sa.orm.scoped_session]:
    """A session whose commits are savepoints inside a transaction rolled back after the test."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": _ConnectionBoundSession,
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


_REQUEST_CACHED = ("_login_user", "_flask_babel")


class IsolatedClient(FlaskClient):
    """A test client whose requests do not inherit the signed-in user of an earlier one."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        saved = {key: g.pop(key) for key in _REQUEST_CACHED if key in g}
        try:
            return super().open(*args, **kwargs)
        finally:
            for key in _REQUEST_CACHED:
                g.pop(key, None)
            for key, value in saved.items():
                setattr(g, key, value)


@pytest.fixture()
def new_client(app: Flask):  # type: ignore[no-untyped-def]
    """Make another browser (its own cookies), e.g. a second device of the same member."""

    def _make() -> FlaskClient:
        return IsolatedClient(app, app.response_class, use_cookies=True)

    return _make


@pytest.fixture()
def client(app: Flask, db_session: sa.orm.scoped_session, new_client) -> FlaskClient:  # type: ignore[no-untyped-def]
    return new_client()


@pytest.fixture(autouse=True)
def _french_outside_requests(db_session):  # type: ignore[no-untyped-def]
    with force_locale("fr"):
        yield


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with minimal cost: each sign-in otherwise takes ~0.4 s on a busy machine."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", cheap)
    monkeypatch.setattr(auth, "_DUMMY_HASH", cheap.hash("not-a-real-password"))


@pytest.fixture()
def world(world, _cheap_password_hashing):  # type: ignore[no-untyped-def]
    """The shared world with cheap password hashes, committed (a savepoint released) so
    that a view's rollback does not undo it."""
    cheap_hash = auth.hash_password(TEST_PASSWORD)
    for name in (
        "member_alpha",
        "other_alpha",
        "correspondent_alpha",
        "member_beta",
        "correspondent_beta",
        "hr",
        "admin",
    ):
        getattr(world, name).password_hash = cheap_hash
    db.session.commit()
    return world
