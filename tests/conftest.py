"""Test fixtures: one app per run, each test isolated in a transaction rolled back at the end.

The database is SQLite in a temporary folder, or the PostgreSQL named by
``COOP_TEST_DATABASE_URL``; its schema is built by the Alembic migrations (``tests/schema.py``).
Views commit as usual; their commits only release a savepoint inside the test's outer
transaction, which is rolled back afterwards.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_sqlalchemy.session import Session as FlaskSession

from coop_formation.config import normalise_database_url
from coop_formation.extensions import db, limiter
from tests.clock import FROZEN_NOW
from tests.schema import (
    TEST_DATABASE_URL,
    dispose_test_app,
    make_test_app,
    scratch_postgres_database,
)
from tests.unchanged import nothing_written as _nothing_written


def _test_database_url(tmp_root: Path) -> str:
    if TEST_DATABASE_URL:
        return normalise_database_url(TEST_DATABASE_URL)
    return f"sqlite:///{tmp_root / 'test.sqlite3'}"


_SESSION_CLOCK = time_machine.travel(FROZEN_NOW, tick=True)


def pytest_configure(config: pytest.Config) -> None:
    """The clock is moved before collection, so even module-level dates are the frozen ones."""
    _SESSION_CLOCK.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    _SESSION_CLOCK.stop()
    # The rate limiter's in-memory storage keeps a non-daemon 10 ms Timer
    # alive; when the system clock itself is faked (faketime), its wait can
    # outlive the suite and the interpreter would never exit.
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    """Every test starts at ``FROZEN_NOW`` whatever the system date; ``clock.move_to(...)``
    moves it (time keeps flowing from there)."""
    with time_machine.travel(FROZEN_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _limiter_as_configured(app: Flask) -> Iterator[None]:
    """The rate limiter is one object shared by every app a test builds (a CLI test's
    ``create_app()`` turns it on): each test starts with the test app's setting and no
    counted attempts, since the frozen clock would otherwise never let a window expire."""
    limiter.enabled = bool(app.config.get("RATELIMIT_ENABLED", False))
    yield
    limiter.enabled = bool(app.config.get("RATELIMIT_ENABLED", False))


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app of the whole run; its schema is built by the Alembic migrations.

    Under pytest-xdist each worker on PostgreSQL gets a scratch database of its own (each
    empties and migrates its database first); on SQLite each has its own temporary folder.
    """
    root = tmp_path_factory.mktemp("coop")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if TEST_DATABASE_URL and worker:
        with scratch_postgres_database(
            f"{sa.make_url(TEST_DATABASE_URL).database}_{worker}"
        ) as url:
            app = make_test_app(root, url)
            yield app
            dispose_test_app(app)
        return
    app = make_test_app(root, _test_database_url(root))
    yield app
    dispose_test_app(app)


class _ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks its engine itself; send everything to our connection."""

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
            # Services called outside a request still translate (French, the default).
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
    """A test client whose requests do not inherit what an earlier request cached on ``g``.

    Requests run inside the test's app context (pushed by ``db_session``), so the user
    Flask-Login caches on ``g`` would otherwise leak from one request, and one client, to the
    next.
    """

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
            new_client = IsolatedClient(app, app.response_class, use_cookies=True)
            login(new_client, member.email)
            clients[member.id] = new_client
        return clients[member.id]

    return _client


@pytest.fixture()
def nothing_written(db_session):  # type: ignore[no-untyped-def]
    """``with nothing_written(): client.post(...)``: a refused action wrote no row, moved no
    balance (see ``tests/unchanged.py``)."""
    return lambda: _nothing_written(db_session)


@pytest.fixture()
def outbox(app: Flask) -> Iterator[Path]:
    """The folder where e-mails are written in tests; emptied before each test."""
    path = Path(app.config["MAIL_OUTBOX"])
    path.mkdir(parents=True, exist_ok=True)
    for item in path.iterdir():
        item.unlink()
    yield path


def login(client: FlaskClient, email: str, password: str = "demo-coop-test") -> None:
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture()
def count_queries(app: Flask):  # type: ignore[no-untyped-def]
    """Count SQL statements issued while a block runs: ``with count_queries() as n: ...``."""

    @contextmanager
    def _counter() -> Iterator[list[str]]:
        statements: list[str] = []

        def _before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", _before)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", _before)

    return _counter


from tests.factories import *  # noqa: E402,F403  (fixtures that build objects)
