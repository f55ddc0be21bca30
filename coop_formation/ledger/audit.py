"""The ledger audit behind ``coop-formation ledger check``.

One streaming pass over the transfers (by id, which is each account's chain order: a row
gets its id while both its account rows are locked) recomputes every hash, follows each
account's chain, and sums what each account's columns should hold; then every account is
compared with those sums and with its limits, and the balances must sum to zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.ledger.hashing import BALANCE_COLUMNS, compute_hash
from coop_formation.ledger.models import Account, Transfer

Progress = Callable[[int], None]


@dataclass
class AuditResult:
    accounts: int = 0
    transfers: int = 0
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


def count_work(session: Session) -> int:
    """How many rows the audit will read (for a progress bar)."""
    accounts = session.scalar(sa.select(sa.func.count()).select_from(Account)) or 0
    transfers = session.scalar(sa.select(sa.func.count()).select_from(Transfer)) or 0
    return int(accounts) + int(transfers)


def _check_resolution(row: sa.Row, pending: sa.Row | None, out: list[str]) -> None:
    if pending is None:
        out.append(
            f"transfert {row.id} : résout la réservation {row.pending_id}, "
            "introuvable ou déjà résolue"
        )
        return
    if (row.debit_account_id, row.credit_account_id) != (
        pending.debit_account_id,
        pending.credit_account_id,
    ):
        out.append(
            f"transfert {row.id} : comptes différents de ceux de la réservation {pending.id}"
        )
    if row.state == "voided" and row.amount != pending.amount:
        out.append(f"transfert {row.id} : l'annulation ne porte pas sur le montant réservé")
    if row.state == "posted" and row.amount > pending.amount:
        out.append(f"transfert {row.id} : valide plus que le montant réservé")


def check_ledger(
    session: Session, progress: Progress | None = None, chunk: int = 2000
) -> AuditResult:
    """Every violation of the ledger's invariants, one French line each (empty when sound)."""
    result = AuditResult()
    out = result.violations
    heads: dict[int, str | None] = {}
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BALANCE_COLUMNS, 0))
    open_pending: dict[int, sa.Row] = {}
    posted_by_id: dict[int, tuple[int, int, int]] = {}
    table = Transfer.__table__
    stream = session.execute(
        sa.select(table).order_by(table.c.id).execution_options(yield_per=chunk)
    )
    for row in stream:
        result.transfers += 1
        if compute_hash(row._mapping) != row.hash:
            out.append(f"transfert {row.id} : empreinte recalculée différente (ligne modifiée)")
        for account_id, prev in (
            (row.debit_account_id, row.prev_debit_hash),
            (row.credit_account_id, row.prev_credit_hash),
        ):
            if heads.get(account_id) != prev:
                out.append(f"compte {account_id} : chaîne rompue au transfert {row.id}")
            heads[account_id] = row.hash
        debit, credit = sums[row.debit_account_id], sums[row.credit_account_id]
        if row.pending_id is not None:
            pending = open_pending.pop(row.pending_id, None)
            _check_resolution(row, pending, out)
            if pending is not None:
                sums[pending.debit_account_id]["debits_pending"] -= pending.amount
                sums[pending.credit_account_id]["credits_pending"] -= pending.amount
        if row.state == "pending":
            open_pending[row.id] = row
            debit["debits_pending"] += row.amount
            credit["credits_pending"] += row.amount
        elif row.state == "posted":
            debit["debits_posted"] += row.amount
            credit["credits_posted"] += row.amount
            posted_by_id[row.id] = (row.debit_account_id, row.credit_account_id, row.amount)
        if row.reversal_of_id is not None:
            original = posted_by_id.get(row.reversal_of_id)
            if original != (row.credit_account_id, row.debit_account_id, row.amount):
                out.append(
                    f"transfert {row.id} : ne reflète pas le transfert corrigé {row.reversal_of_id}"
                )
        if progress is not None and result.transfers % chunk == 0:
            progress(chunk)
    if progress is not None:
        progress(result.transfers % chunk)
    _check_accounts(session, result, heads, sums, progress)
    return result


def _check_accounts(
    session: Session,
    result: AuditResult,
    heads: dict[int, str | None],
    sums: dict[int, dict[str, int]],
    progress: Progress | None,
) -> None:
    out = result.violations
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    table = Account.__table__
    known: set[int] = set()
    for row in session.execute(sa.select(table).order_by(table.c.id)):
        result.accounts += 1
        known.add(row.id)
        expected = sums.get(row.id, dict.fromkeys(BALANCE_COLUMNS, 0))
        for name in BALANCE_COLUMNS:
            if getattr(row, name) != expected[name]:
                out.append(
                    f"compte {row.id} : {name} enregistré {getattr(row, name)}, "
                    f"somme des transferts {expected[name]}"
                )
        if row.last_transfer_hash != heads.get(row.id):
            out.append(f"compte {row.id} : tête de chaîne différente du dernier transfert")
        balance = row.credits_posted - row.debits_posted
        available = balance - row.debits_pending
        if row.floor is not None and available < row.floor:
            out.append(
                f"compte {row.id} : solde disponible {available} sous le plancher {row.floor}"
            )
        reach = balance + row.credits_pending
        if row.ceiling is not None and reach > row.ceiling:
            out.append(f"compte {row.id} : solde {reach} au-dessus du plafond {row.ceiling}")
        cluster = totals[row.cluster_id]
        cluster[0] += balance
        cluster[1] += row.debits_pending
        cluster[2] += row.credits_pending
        if progress is not None:
            progress(1)
    for account_id in set(sums) - known:
        out.append(f"compte {account_id} : a des transferts mais n'existe pas")
    for cluster_id, (balance, debits_pending, credits_pending) in sorted(totals.items()):
        if balance != 0:
            out.append(f"grappe {cluster_id} : la somme des soldes vaut {balance}, pas 0")
        if debits_pending != credits_pending:
            out.append(
                f"grappe {cluster_id} : réservations débitées {debits_pending} "
                f"≠ créditées {credits_pending}"
            )
