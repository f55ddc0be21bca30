"""Fixtures for exchange tests.

Two shared fixtures are redefined here, as in ``tests/people/conftest.py`` (reported to
the lead, who owns ``tests/conftest.py``):

- ``db_session``: Flask-SQLAlchemy 3.1's ``Session.get_bind`` ignores the ``bind`` the shared
  fixture passes, so requests committed for real and data leaked between tests; this
  version sends every statement through the test's connection.
- ``client``: requests run inside the test's app context, so the user Flask-Login caches
  on ``g`` leaked from one request (and one client) to the next; each request starts clean.

``client_for(member)`` gives one signed-in browser per member.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_sqlalchemy.session import Session as FlaskSession

from coop_formation.extensions import db
from tests.conftest import login


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
            with force_locale("fr"):
                yield db.session
        finally:
            db.session.remove()
            db.session = original
            if outer.is_active:
                outer.rollback()
            connection.close()


_REQUEST_CACHED = ("_login_user", "_flask_babel")


class IsolatedClient(FlaskClient):
    """A test client whose requests do not inherit the user cached by an earlier request."""

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


@pytest.fixture()
def client_for(app: Flask, db_session):  # type: ignore[no-untyped-def]
    """``client_for(member)``: a test client signed in as that member (one per member)."""
    clients: dict[int, FlaskClient] = {}

    def _client(member) -> FlaskClient:  # type: ignore[no-untyped-def]
        if member.id not in clients:
            client = IsolatedClient(app, app.response_class, use_cookies=True)
            login(client, member.email)
            clients[member.id] = client
        return clients[member.id]

    return _client
