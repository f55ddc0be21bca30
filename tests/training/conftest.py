"""Training test fixtures.

``db_session`` and ``client`` are redefined here as tests/people and tests/ledger do (their
reasons, reported to the lead): Flask-SQLAlchemy 3.1's ``Session.get_bind`` ignores
``bind=connection``, so the shared fixture's rollback did not isolate tests that commit; and
what Flask-Login and Flask-Babel cache on ``g`` leaked between requests. Services translate
their messages, which needs a request context.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from coop_formation.extensions import db
from tests.factories import OfferFactory
from tests.training.factories import make_session


class _ConnectionBoundSession(FlaskSession):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):  # type: ignore[no-untyped-def]
        if bind is not None:
            return bind
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, **kwargs)


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
    """A test client whose requests do not inherit what an earlier request cached on ``g``."""

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
def client(app: Flask, db_session: sa.orm.scoped_session) -> FlaskClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture(autouse=True)
def request_context(app: Flask, db_session: sa.orm.scoped_session) -> Iterator[None]:
    """Services translate their messages, which needs a request (for the locale)."""
    with app.test_request_context():
        yield


@pytest.fixture()
def signed_in(app: Flask, db_session: sa.orm.scoped_session):  # type: ignore[no-untyped-def]
    """A fresh browser (own cookies) signed in as ``member``: several people in one test."""
    from tests.conftest import login

    def _make(member) -> FlaskClient:  # type: ignore[no-untyped-def]
        browser = IsolatedClient(app, app.response_class, use_cookies=True)
        login(browser, member.email)
        return browser

    return _make


def new_key() -> str:
    return secrets.token_urlsafe(24)


@pytest.fixture()
def offer(world):  # type: ignore[no-untyped-def]
    """An offer to teach by Paul (Alpha)."""
    return OfferFactory(trainer=world.other_alpha, title="Tableurs avancés", capacity=6)


@pytest.fixture()
def planned(world):  # type: ignore[no-untyped-def]
    """A 2-hour remote session taught by Paul (Alpha) in ten days, two seats (price 2 CF)."""
    return make_session(world.other_alpha, capacity=2)
