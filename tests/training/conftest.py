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
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import IsolatedClient
from tests.factories import OfferFactory
from tests.training.factories import make_session


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
