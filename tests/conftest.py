"""Test fixtures: one app per run, each test isolated in a transaction rolled back at the end.

The database is SQLite in a temporary folder, or the PostgreSQL named by
``COOP_TEST_DATABASE_URL``. Views commit as usual; their commits only release a savepoint
inside the test's outer transaction, which is rolled back afterwards.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_sqlalchemy.session import Session as FlaskSession

from coop_formation import create_app
from coop_formation.extensions import db
from tests.clock import FROZEN_NOW

TEST_DATABASE_URL = os.environ.get("COOP_TEST_DATABASE_URL")


def _test_database_url(tmp_root: Path) -> str:
    if TEST_DATABASE_URL:
        from coop_formation.config import normalise_database_url

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


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    root = tmp_path_factory.mktemp("coop")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(root / "instance"),
            "SQLALCHEMY_DATABASE_URI": _test_database_url(root),
            "SECRET_KEY": "test-secret-key-not-for-production",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_OUTBOX": str(root / "outbox"),
            "BASE_URL": "http://localhost",
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _make_sqlite_savepoints_work(engine)
        db.drop_all()
        _drop_leftovers(engine)
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _drop_leftovers(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def _make_sqlite_savepoints_work(engine: sa.Engine) -> None:
    """pysqlite manages transactions itself; let SQLAlchemy do it (SAVEPOINT support)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, connection_record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")

    engine.dispose()


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
    from tests.unchanged import nothing_written as _nothing_written

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
def login_as(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Sign ``member`` in through the real login form (password set by the factories)."""

    def _login(member) -> FlaskClient:  # type: ignore[no-untyped-def]
        login(client, member.email)
        return client

    return _login


@pytest.fixture()
def count_queries(app: Flask):  # type: ignore[no-untyped-def]
    """Count SQL statements issued while a block runs: ``with count_queries() as n: ...``."""
    from contextlib import contextmanager

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
