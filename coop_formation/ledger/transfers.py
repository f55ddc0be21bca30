"""The transfer engine: every change of a balance goes through here, in a few round trips.

Guarantees (for each function; all flush, none commits):

* the two account rows are locked in a fixed order (lowest id first, ``SELECT … FOR UPDATE``)
  before anything is read for a decision, so concurrent transfers on an account queue up and
  never deadlock with each other; on SQLite, where ``FOR UPDATE`` does not exist, a no-op
  ``UPDATE`` of the same rows first takes SQLite's single writer lock, which serialises writers;
* limits are checked against the *available* balance (posted − pending debits) for the floor
  and against posted + pending credits for the ceiling; a refusal raises
  :class:`~coop_formation.errors.LimitExceeded` with a French reason and writes nothing;
* idempotency: the row is inserted with ``ON CONFLICT DO NOTHING`` on the unique keys; when
  the key already exists (a retry, or a concurrent twin that committed first), the existing
  transfer is returned if its parameters are the same, otherwise :class:`Conflict` is raised;
  the balances are updated only after our own row was inserted (:mod:`.writing`: on
  PostgreSQL, the row and both balances in one statement);
* each row extends the hash chain of both its accounts, whose heads live on the rows we
  already hold locked, so the audit trail adds no cluster-wide lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from coop_formation.ledger.hashing import BALANCE_COLUMNS, compute_hash
from coop_formation.ledger.locking import check_limits, lock_account_rows
from coop_formation.ledger.models import Transfer, TransferKind, TransferState
from coop_formation.ledger.writing import apply_balance_updates, insert_transfer, write_transfer

__all__ = [
    "BALANCE_COLUMNS",
    "apply_balance_updates",
    "check_limits",
    "compute_hash",
    "create_transfer",
    "insert_transfer",
    "lock_account_rows",
    "post_pending_transfer",
    "reverse_transfer",
    "void_pending_transfer",
    "write_transfer",
]


def _chain_values(debit: Any, credit: Any) -> dict[str, Any]:
    return {
        "cluster_id": debit.cluster_id,
        "debit_account_id": debit.id,
        "credit_account_id": credit.id,
        "prev_debit_hash": debit.last_transfer_hash,
        "prev_credit_hash": credit.last_transfer_hash,
    }


def _by_key(session: Session, key: str) -> Transfer | None:
    return session.scalars(sa.select(Transfer).where(Transfer.idempotency_key == key)).first()


def _same_request(existing: Transfer, wanted: Mapping[str, Any]) -> Transfer:
    for name, value in wanted.items():
        if getattr(existing, name) != value:
            raise Conflict(
                _(
                    "Cette opération a déjà été enregistrée avec d'autres données "
                    "(clé d'idempotence réutilisée)."
                )
            )
    return existing


def _validate(amount: Any, idempotency_key: str, kind: str = "x", memo: str = "") -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput(_("Le montant doit être un nombre entier positif."), field="amount")
    if not idempotency_key or len(idempotency_key) > 160:
        raise InvalidInput(
            _("Clé d'idempotence manquante ou trop longue."), field="idempotency_key"
        )
    if not kind or len(kind) > 40:
        raise InvalidInput(_("Type de transfert invalide."), field="kind")
    if len(memo or "") > 500:
        raise InvalidInput(_("Le message ne doit pas dépasser 500 caractères."), field="memo")


def create_transfer(
    session: Session,
    *,
    debit_account_id: int,
    credit_account_id: int,
    amount: int,
    kind: str,
    reference_type: str | None = None,
    reference_id: int | None = None,
    idempotency_key: str,
    memo: str = "",
    pending: bool = False,
    actor_id: int | None = None,
) -> Transfer:
    """Move ``amount`` (posted), or reserve it (``pending=True``), exactly once per key."""
    _validate(amount, idempotency_key, kind, memo)
    if debit_account_id == credit_account_id:
        raise InvalidInput(_("Un compte ne peut pas se payer lui-même."), field="credit_account_id")
    state = TransferState.PENDING if pending else TransferState.POSTED
    wanted = {
        "debit_account_id": debit_account_id,
        "credit_account_id": credit_account_id,
        "amount": amount,
        "kind": kind,
        "reference_type": reference_type,
        "reference_id": reference_id,
        "memo": memo or "",
        "state": state,
    }
    conn, accounts = lock_account_rows(session, debit_account_id, credit_account_id)
    debit, credit = accounts[debit_account_id], accounts[credit_account_id]
    if debit.cluster_id != credit.cluster_id:
        raise InvalidInput(_("Les deux comptes doivent appartenir à la même grappe."))
    try:
        check_limits(session, debit, credit, amount)
    except LimitExceeded:
        existing = _by_key(session, idempotency_key)
        if existing is not None:  # a retry of a transfer that already went through
            return _same_request(existing, wanted)
        raise
    values = (
        _chain_values(debit, credit)
        | wanted
        | {
            "idempotency_key": idempotency_key,
            "actor_id": actor_id,
        }
    )
    side = "pending" if pending else "posted"
    transfer = write_transfer(
        session,
        conn,
        values,
        debit,
        {f"debits_{side}": amount},
        credit,
        {f"credits_{side}": amount},
    )
    if transfer is None:
        existing = _by_key(session, idempotency_key)
        if existing is None:  # pragma: no cover - no other unique key can clash here
            raise Conflict(_("Ce transfert entre en conflit avec un autre."))
        return _same_request(existing, wanted)
    return transfer


def _load_pending(session: Session, pending_transfer_id: int) -> Transfer:
    pending = session.get(Transfer, pending_transfer_id)
    if pending is None:
        raise NotFound(_("Réservation introuvable."))
    if pending.state != TransferState.PENDING:
        raise InvalidInput(_("Ce transfert n'est pas une réservation."))
    return pending


def _resolution(session: Session, pending_id: int) -> Transfer | None:
    return session.scalars(sa.select(Transfer).where(Transfer.pending_id == pending_id)).first()


def _accept_existing_resolution(
    existing: Transfer, state: TransferState, amount: int | None, key: str
) -> Transfer:
    same_way = existing.state == state and (amount is None or existing.amount == amount)
    if same_way:
        return existing
    if existing.idempotency_key == key:
        raise Conflict(_("Cette opération a déjà été enregistrée avec d'autres données."))
    if existing.state == TransferState.VOIDED:
        raise Conflict(_("Cette réservation a déjà été annulée."))
    raise Conflict(_("Cette réservation a déjà été validée."))


def _resolve(
    session: Session,
    pending_transfer_id: int,
    state: TransferState,
    idempotency_key: str,
    amount: int | None,
    actor_id: int | None,
) -> Transfer:
    pending = _load_pending(session, pending_transfer_id)
    if amount is not None and amount > pending.amount:
        raise InvalidInput(_("On ne peut pas valider plus que le montant réservé."), field="amount")
    conn, accounts = lock_account_rows(session, pending.debit_account_id, pending.credit_account_id)
    debit, credit = accounts[pending.debit_account_id], accounts[pending.credit_account_id]
    existing = _resolution(session, pending.id)
    if existing is not None:
        return _accept_existing_resolution(existing, state, amount, idempotency_key)
    final = pending.amount if amount is None or state == TransferState.VOIDED else amount
    values = _chain_values(debit, credit) | {
        "amount": final,
        "kind": pending.kind,
        "reference_type": pending.reference_type,
        "reference_id": pending.reference_id,
        "memo": pending.memo,
        "state": state,
        "pending_id": pending.id,
        "idempotency_key": idempotency_key,
        "actor_id": actor_id,
    }
    posted = final if state == TransferState.POSTED else 0
    transfer = write_transfer(
        session,
        conn,
        values,
        debit,
        {"debits_pending": -pending.amount, "debits_posted": posted},
        credit,
        {"credits_pending": -pending.amount, "credits_posted": posted},
    )
    if transfer is None:
        existing = _resolution(session, pending.id)
        if existing is not None:
            return _accept_existing_resolution(existing, state, amount, idempotency_key)
        raise Conflict(_("Cette clé d'idempotence a déjà servi pour une autre opération."))
    return transfer


def post_pending_transfer(
    session: Session,
    pending_transfer_id: int,
    *,
    idempotency_key: str,
    amount: int | None = None,
    actor_id: int | None = None,
) -> Transfer:
    """Post a reservation (all of it, or ``amount`` ≤ reserved; the rest is released), once."""
    if amount is not None:
        _validate(amount, idempotency_key)
    else:
        _validate(1, idempotency_key)
    return _resolve(
        session, pending_transfer_id, TransferState.POSTED, idempotency_key, amount, actor_id
    )


def void_pending_transfer(
    session: Session, pending_transfer_id: int, *, idempotency_key: str, actor_id: int | None = None
) -> Transfer:
    """Release a reservation, once; Conflict when it was already posted."""
    _validate(1, idempotency_key)
    return _resolve(
        session, pending_transfer_id, TransferState.VOIDED, idempotency_key, None, actor_id
    )


def reverse_transfer(
    session: Session,
    transfer_id: int,
    *,
    idempotency_key: str,
    memo: str = "",
    actor_id: int | None = None,
) -> Transfer:
    """Correct a posted transfer by a new opposite transfer (at most one per transfer).

    Limits apply: a reversal that would push the original beneficiary past their floor is
    refused like any transfer (the coop admin then settles it with the member).
    """
    _validate(1, idempotency_key, memo=memo)
    original = session.get(Transfer, transfer_id)
    if original is None:
        raise NotFound(_("Transfert introuvable."))
    if original.state != TransferState.POSTED:
        raise InvalidInput(
            _("Seul un transfert effectué peut être corrigé ; une réservation s'annule.")
        )
    if original.kind == TransferKind.REVERSAL:
        raise Conflict(_("Ce transfert est déjà une correction : faites un nouveau transfert."))
    debit_id, credit_id = original.credit_account_id, original.debit_account_id
    conn, accounts = lock_account_rows(session, debit_id, credit_id)
    debit, credit = accounts[debit_id], accounts[credit_id]
    wanted = {"reversal_of_id": original.id, "memo": memo or ""}

    def existing_reversal() -> Transfer | None:
        stmt = sa.select(Transfer).where(Transfer.reversal_of_id == original.id)
        found = session.scalars(stmt).first()
        if found is not None and found.idempotency_key != idempotency_key:
            raise Conflict(_("Ce transfert a déjà été corrigé."))
        return _same_request(found, wanted) if found is not None else None

    already = existing_reversal()
    if already is not None:
        return already
    check_limits(session, debit, credit, original.amount)
    values = (
        _chain_values(debit, credit)
        | wanted
        | {
            "amount": original.amount,
            "kind": TransferKind.REVERSAL.value,
            "reference_type": original.reference_type,
            "reference_id": original.reference_id,
            "state": TransferState.POSTED,
            "idempotency_key": idempotency_key,
            "actor_id": actor_id,
        }
    )
    transfer = write_transfer(
        session,
        conn,
        values,
        debit,
        {"debits_posted": original.amount},
        credit,
        {"credits_posted": original.amount},
    )
    if transfer is None:
        found = existing_reversal()
        if found is None:
            raise Conflict(_("Cette clé d'idempotence a déjà servi pour une autre opération."))
        return found
    return transfer
