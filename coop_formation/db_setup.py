"""Engine settings per backend."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def sqlite_engine_options() -> dict[str, Any]:
    # SQLite serialises writers; a generous busy timeout makes concurrent writers wait
    # instead of failing with "database is locked".
    return {"connect_args": {"timeout": 30, "check_same_thread": False}}


def postgresql_engine_options() -> dict[str, Any]:
    # Short OLTP queries: JIT compilation costs more than it saves (seen on the HR aggregates).
    return {"pool_pre_ping": True, "connect_args": {"options": "-c jit=off"}}


@sa.event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MB page cache: the HR aggregates read large parts of members/member_skills.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()
