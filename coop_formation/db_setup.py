"""Engine settings per backend."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def sqlite_engine_options() -> dict[str, Any]:
    # SQLite serialises writers; a generous busy timeout makes concurrent writers wait
    # instead of failing with "database is locked".
    return {"connect_args": {"timeout": 30, "check_same_thread": False}}


@sa.event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
