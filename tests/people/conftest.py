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

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from coop_formation.extensions import db
from coop_formation.people import auth
from tests.conftest import IsolatedClient
from tests.factories import TEST_PASSWORD


@pytest.fixture()
def new_client(app: Flask):  # type: ignore[no-untyped-def]
    """Make another browser (its own cookies), e.g. a second device of the same member."""

    def _make() -> FlaskClient:
        return IsolatedClient(app, app.response_class, use_cookies=True)

    return _make


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
