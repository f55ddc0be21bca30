"""``nothing_written``: the proof that a refused action changed nothing.

It snapshots the number of rows of every table and every account's balance columns,
runs the block, and asserts both are exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from coop_formation.extensions import db


def snapshot(session: Any) -> dict[str, Any]:
    session.flush()
    counts = {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    accounts = db.metadata.tables["ledger_accounts"]
    balances = session.execute(
        sa.select(
            accounts.c.id,
            accounts.c.debits_pending,
            accounts.c.debits_posted,
            accounts.c.credits_pending,
            accounts.c.credits_posted,
        ).order_by(accounts.c.id)
    ).all()
    return {"rows": counts, "balances": [tuple(row) for row in balances]}


@contextmanager
def nothing_written(session: Any) -> Iterator[None]:
    """``with nothing_written(db_session): client.post(...)`` fails if any row moved."""
    before = snapshot(session)
    yield
    session.expire_all()
    after = snapshot(session)
    changed = {
        name: (before["rows"][name], count)
        for name, count in after["rows"].items()
        if before["rows"].get(name) != count
    }
    assert not changed, f"rows written by a refused action: {changed}"
    assert after["balances"] == before["balances"], "balances moved on a refused action"
