"""A throw-away PostgreSQL database for tests that need real commits from many connections.

Concurrency tests cannot use the savepoint isolation of ``db_session``: each worker needs its
own connection and its own committed transactions. They get a fresh database, created from
the models and dropped afterwards, on the server named by ``COOP_TEST_DATABASE_URL``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
import sqlalchemy as sa

from coop_formation.config import normalise_database_url
from coop_formation.extensions import db

BASE_URL = os.environ.get("COOP_TEST_DATABASE_URL", "")


def skip_module_unless_postgres() -> None:
    """Skip the calling test module on SQLite, where writers are serialised anyway."""
    if not BASE_URL.startswith(("postgres://", "postgresql")):
        pytest.skip(
            "concurrency tests need PostgreSQL (set COOP_TEST_DATABASE_URL); "
            "on SQLite writers are serialised, so there is nothing concurrent to test",
            allow_module_level=True,
        )


@contextmanager
def scratch_engine(prefix: str, pool_size: int) -> Iterator[sa.Engine]:
    """An engine on a new database holding the models' schema; the database is dropped after."""
    url = sa.make_url(normalise_database_url(BASE_URL))
    name = f"{prefix}_{secrets.token_hex(4)}"
    server = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = sa.create_engine(url.set(database=name), pool_size=pool_size, max_overflow=4)
    try:
        db.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
