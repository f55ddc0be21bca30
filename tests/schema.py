"""The test application and its database schema, built by the Alembic migrations.

Tests run on the schema production gets from ``flask db upgrade``, not on ``create_all()``:
a model change without its migration fails the suite.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from coop_formation import create_app
from coop_formation.config import normalise_database_url
from coop_formation.extensions import db

TEST_DATABASE_URL = os.environ.get("COOP_TEST_DATABASE_URL")


def app_config(root: Path, database_url: str) -> dict[str, Any]:
    """The configuration every test app shares; files live under ``root``."""
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(root / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_OUTBOX": str(root / "outbox"),
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
    }


def make_test_app(root: Path, database_url: str) -> Flask:
    """An app on ``database_url``, emptied then migrated to head (savepoints work on SQLite)."""
    app = create_app(app_config(root, database_url))
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            make_sqlite_savepoints_work(engine)
        drop_everything(engine)
        upgrade(directory=app.extensions["migrate"].directory)
        db.session.remove()
    return app


def dispose_test_app(app: Flask) -> None:
    """Leave the database empty (PostgreSQL keeps it between runs) and close its pool."""
    with app.app_context():
        db.session.remove()
        drop_everything(db.engine)
        db.engine.dispose()


def drop_everything(engine: sa.Engine) -> None:
    """Drop every table the database holds, ``alembic_version`` and leftovers included."""
    metadata = sa.MetaData()
    metadata.reflect(bind=engine)
    with engine.begin() as connection:
        metadata.drop_all(bind=connection)


def make_sqlite_savepoints_work(engine: sa.Engine) -> None:
    """pysqlite manages transactions itself; let SQLAlchemy do it (SAVEPOINT support)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, connection_record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")

    engine.dispose()


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty database on the server of ``COOP_TEST_DATABASE_URL``; the
    database is dropped afterwards."""
    url = sa.make_url(normalise_database_url(TEST_DATABASE_URL or ""))
    name = f"{prefix}_{secrets.token_hex(4)}"
    server = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
