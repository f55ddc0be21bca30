"""Training test fixtures: an offer, a planned session, request keys.

Signed-in browsers come from the shared ``client_for(member)`` (tests/conftest.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.factories import OfferFactory
from tests.training.factories import make_session


@pytest.fixture(autouse=True)
def request_context(app: Flask, db_session: sa.orm.scoped_session) -> Iterator[None]:
    """Services translate their messages, which needs a request (for the locale)."""
    with app.test_request_context():
        yield


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
