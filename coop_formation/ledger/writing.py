"""Writing a transfer: the row and both balance updates, in as few round trips as possible.

Guarantees: the row is inserted with ``ON CONFLICT DO NOTHING`` on its unique keys and the
balances move only when our row was inserted, in the same transaction; each account's chain
head becomes the new row's hash. On PostgreSQL the insert and both updates are one statement
(a data-modifying ``WITH``); elsewhere (SQLite) they are an ``INSERT … RETURNING id`` then one
``UPDATE`` of both rows. Callers hold both account rows locked (:mod:`.locking`).
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, configure_mappers, make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class, set_committed_value

from coop_formation.db import UTCDateTime, utcnow
from coop_formation.ledger.hashing import BALANCE_COLUMNS, HASH_FIELDS, compute_hash
from coop_formation.ledger.models import Account, Transfer

_TRANSFER_COLUMNS = (*HASH_FIELDS, "hash")
# Plain SQL understood alike by PostgreSQL and SQLite (≥ 3.35): SQLAlchemy cannot cache a
# compiled ``insert().on_conflict_do_nothing()``, and compiling it on every transfer cost
# more CPU than the rest of the transfer.
_TRANSFER_BINDS = (
    sa.bindparam("created_at", type_=UTCDateTime()),
    sa.bindparam("state", type_=Transfer.__table__.c.state.type),
)
_INSERT_TRANSFER = sa.text(
    f"INSERT INTO {Transfer.__tablename__} ({', '.join(_TRANSFER_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(':' + c for c in _TRANSFER_COLUMNS)}) "
    "ON CONFLICT DO NOTHING RETURNING id"
).bindparams(*_TRANSFER_BINDS)


_TRANSFER_MANAGER = manager_of_class(Transfer)
_ACCOUNTS = cast(sa.Table, Account.__table__)  # a mapped class's table is a Table


def _balance_sql(name: str) -> str:
    return f"{name} = {name} + CASE id WHEN :a THEN :a_{name} ELSE :b_{name} END"


_BALANCE_BINDS = [
    sa.bindparam(f"{side}_{name}", type_=sa.BigInteger)
    for side in ("a", "b")
    for name in BALANCE_COLUMNS
]
# Both accounts in one statement: each column gets the delta of the row it updates.
_SET_BALANCES = (
    f"UPDATE {_ACCOUNTS.name} SET "  # noqa: S608
    + ", ".join(_balance_sql(name) for name in BALANCE_COLUMNS)
    + ", last_transfer_hash = :head WHERE id IN (:a, :b)"
)
_UPDATE_BALANCES = sa.text(_SET_BALANCES).bindparams(*_BALANCE_BINDS)
# PostgreSQL: the insert and both balance updates in one statement (one round trip); the
# update runs only when the insert did (no unique key clash), as in the two-step path.
_WRITE_TRANSFER_PG = sa.text(
    f"WITH ins AS ({_INSERT_TRANSFER.text}), "  # noqa: S608
    f"upd AS ({_SET_BALANCES} AND EXISTS (SELECT 1 FROM ins)) "
    "SELECT id FROM ins"
).bindparams(*_TRANSFER_BINDS, *_BALANCE_BINDS)
# Dialects taking the one-statement path (tests empty it to exercise the two-step path).
COMBINED_WRITE_DIALECTS = {"postgresql"}

BalanceRow = tuple[Any, dict[str, int], str]


def _transfer_params(values: dict[str, Any]) -> dict[str, Any]:
    params = dict.fromkeys(_TRANSFER_COLUMNS) | values
    params["created_at"] = params["created_at"] or utcnow()
    params["memo"] = params["memo"] or ""
    params["hash"] = compute_hash(params)
    return params


_MAPPERS_READY = False


def _configure_mappers() -> None:
    global _MAPPERS_READY  # set once per process
    configure_mappers()
    _MAPPERS_READY = True


def _attach(session: Session, params: dict[str, Any], new_id: int) -> Transfer:
    """The row is already in the database: attach an equal object without reading it back
    (filled through its __dict__, which records no change to flush)."""
    if not _MAPPERS_READY:  # new_instance() needs configured mappers, as Transfer() would
        _configure_mappers()
    transfer = _TRANSFER_MANAGER.new_instance()
    transfer.__dict__.update(params, id=new_id)
    make_transient_to_detached(transfer)
    session.add(transfer)
    return transfer


def insert_transfer(session: Session, values: dict[str, Any]) -> Transfer | None:
    """Insert one transfer row, or return None when a unique key (idempotency, pending_id,
    reversal_of_id) is already taken: the caller then reads the existing row."""
    params = _transfer_params(values)
    new_id = session.connection().execute(_INSERT_TRANSFER, params).scalar()
    return None if new_id is None else _attach(session, params, new_id)


def _balance_params(rows: list[BalanceRow]) -> dict[str, Any]:
    first, *rest = rows
    second = rest[0] if rest else first
    params: dict[str, Any] = {"a": first[0].id, "b": second[0].id, "head": first[2]}
    for prefix, (_row, deltas, _head) in (("a", first), ("b", second)):
        for name in BALANCE_COLUMNS:
            params[f"{prefix}_{name}"] = deltas.get(name, 0)
    return params


def _sync_accounts(session: Session, rows: list[BalanceRow]) -> None:
    identity_map = session.identity_map
    for row, deltas, head in rows:
        obj = identity_map.get((Account, (row.id,), None))
        if obj is not None:
            for name in BALANCE_COLUMNS:
                set_committed_value(obj, name, getattr(row, name) + deltas.get(name, 0))
            set_committed_value(obj, "last_transfer_hash", head)


def apply_balance_updates(session: Session, rows: list[BalanceRow]) -> None:
    """Add the deltas to each locked account row and move its chain head (the same transfer
    hash for every row), in one UPDATE; Account objects held by the session are kept in step."""
    session.connection().execute(_UPDATE_BALANCES, _balance_params(rows))
    _sync_accounts(session, rows)


def write_transfer(
    session: Session,
    conn: Connection,
    values: dict[str, Any],
    debit: Any,
    debit_deltas: dict[str, int],
    credit: Any,
    credit_deltas: dict[str, int],
) -> Transfer | None:
    """Insert the transfer and add the deltas to its two locked accounts, or do nothing and
    return None when a unique key is already taken (the caller then reads the existing row)."""
    if conn.dialect.name not in COMBINED_WRITE_DIALECTS:
        transfer = insert_transfer(session, values)
        if transfer is not None:
            apply_balance_updates(
                session,
                [(debit, debit_deltas, transfer.hash), (credit, credit_deltas, transfer.hash)],
            )
        return transfer
    params = _transfer_params(values)
    rows = [(debit, debit_deltas, params["hash"]), (credit, credit_deltas, params["hash"])]
    new_id = conn.execute(_WRITE_TRANSFER_PG, params | _balance_params(rows)).scalar()
    if new_id is None:
        return None
    _sync_accounts(session, rows)
    return _attach(session, params, new_id)
