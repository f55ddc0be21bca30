"""A throw-away PostgreSQL database for tests that need real commits from many connections.

Concurrency tests cannot use the savepoint isolation of ``db_session``: each worker needs its
own connection and its own committed transactions. They get a fresh database, created from
the models and dropped afterwards, on the server named by ``COOP_TEST_DATABASE_URL``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from coop_formation.extensions import db
from tests.schema import TEST_DATABASE_URL, scratch_postgres_database

BASE_URL = TEST_DATABASE_URL or ""


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
    with scratch_postgres_database(prefix) as url:
        engine = sa.create_engine(url, pool_size=pool_size, max_overflow=4)
        try:
            db.metadata.create_all(engine)
            yield engine
        finally:
            engine.dispose()
