"""Row locks in a fixed order, and the limit checks made while holding them.

The transfer engine's hot path uses Core statements built once (compiled forms cached by
SQLAlchemy) on the session's connection, not ORM loading: the lock is one ``SELECT … FOR NO
KEY UPDATE`` of both accounts returning only the columns decisions need.
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coop_formation.errors import LimitExceeded, NotFound
from coop_formation.ledger.models import Account, AccountKind
from coop_formation.ledger.policy import current_policy
from coop_formation.money import format_amount

_ACCOUNTS = cast(sa.Table, Account.__table__)  # a mapped class's table is a Table
# What decisions need; the other columns (owner, creation time) never change.
_COLUMNS = (
    "id",
    "cluster_id",
    "kind",
    "floor",
    "ceiling",
    "debits_pending",
    "debits_posted",
    "credits_pending",
    "credits_posted",
    "last_transfer_hash",
)
_PAIR: list[sa.BindParameter[Any]] = [sa.bindparam("a"), sa.bindparam("b")]
_SELECT_PAIR = (
    sa.select(*(_ACCOUNTS.c[n] for n in _COLUMNS))
    .where(_ACCOUNTS.c.id.in_(_PAIR))
    .order_by(_ACCOUNTS.c.id)
)
# FOR NO KEY UPDATE: keys never change, so inserts referencing the rows are not blocked.
_LOCK_PAIR = _SELECT_PAIR.with_for_update(key_share=True)
# SQLite has no FOR UPDATE: a no-op UPDATE first takes its single writer lock.
_SQLITE_WRITE_LOCK = (
    sa.update(_ACCOUNTS)
    .where(_ACCOUNTS.c.id.in_(_PAIR))
    .values(debits_posted=_ACCOUNTS.c.debits_posted)
)


def lock_account_rows(
    session: Session, first: int, second: int
) -> tuple[Connection, dict[int, Any]]:
    """Lock two accounts (lowest id first); return the connection and their rows by id.

    Account objects already in the session are refreshed with the values read under the lock.
    """
    session.flush()  # what an ORM query would have autoflushed
    conn = session.connection()
    params = {"a": first, "b": second}
    if conn.dialect.name == "sqlite":
        conn.execute(_SQLITE_WRITE_LOCK, params)
    rows = {row.id: row for row in conn.execute(_LOCK_PAIR, params)}
    if first not in rows or second not in rows:
        raise NotFound(_("Compte introuvable."))
    identity_map = session.identity_map
    for row in rows.values():
        obj = identity_map.get((Account, (row.id,), None))
        if obj is not None:
            for name, value in zip(_COLUMNS, row, strict=True):
                set_committed_value(obj, name, value)
    return conn, rows


def _fmt(session: Session, account: Any, amount: int | None) -> str:
    policy = current_policy(session, account.cluster_id)
    return format_amount(amount or 0, policy.minor_per_unit, policy.unit_code)


def check_limits(session: Session, debit: Any, credit: Any, amount: int) -> None:
    """Raise LimitExceeded when the debit would pass its floor or the credit its ceiling."""
    available = debit.credits_posted - debit.debits_posted - debit.debits_pending
    if debit.floor is not None and available - amount < debit.floor:
        spendable = max(available - debit.floor, 0)
        args = {
            "left": _fmt(session, debit, spendable),
            "amount": _fmt(session, debit, amount),
            "floor": _fmt(session, debit, debit.floor),
        }
        if debit.kind == AccountKind.MEMBER:
            message = _(
                "Solde disponible insuffisant : il vous reste %(left)s, ce transfert de "
                "%(amount)s vous ferait passer sous le plancher de %(floor)s.",
                **args,
            )
        else:
            message = _(
                "Solde disponible insuffisant : ce compte peut encore donner %(left)s, ce "
                "transfert de %(amount)s le ferait passer sous son plancher de %(floor)s.",
                **args,
            )
        raise LimitExceeded(message, field="amount")
    reach = credit.credits_posted + credit.credits_pending - credit.debits_posted
    if credit.ceiling is not None and reach + amount > credit.ceiling:
        raise LimitExceeded(
            _(
                "Plafond atteint : le compte bénéficiaire ne peut pas recevoir ce transfert de "
                "%(amount)s sans dépasser son plafond de %(ceiling)s.",
                amount=_fmt(session, credit, amount),
                ceiling=_fmt(session, credit, credit.ceiling),
            ),
            field="amount",
        )
