"""Row locks in a fixed order, and the limit checks made while holding them."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation.errors import LimitExceeded, NotFound
from coop_formation.ledger.models import Account, AccountKind
from coop_formation.ledger.money import format_amount
from coop_formation.ledger.policy import current_policy


def lock_accounts(session: Session, account_ids: list[int]) -> dict[int, Account]:
    """Lock the accounts (lowest id first) and load their current values."""
    ids = sorted(set(account_ids))
    table = Account.__table__
    if session.get_bind(Account).dialect.name == "sqlite":
        session.execute(
            sa.update(table).where(table.c.id.in_(ids)).values(debits_posted=table.c.debits_posted)
        )
    stmt = (
        sa.select(Account)
        .where(Account.id.in_(ids))
        .order_by(Account.id)
        .with_for_update(key_share=True)  # FOR NO KEY UPDATE: keys never change
        .execution_options(populate_existing=True)
    )
    accounts = {account.id: account for account in session.scalars(stmt)}
    missing = [i for i in ids if i not in accounts]
    if missing:
        raise NotFound(_("Compte introuvable."))
    return accounts


def _fmt(session: Session, account: Account, amount: int | None) -> str:
    policy = current_policy(session, account.cluster_id)
    return format_amount(amount or 0, policy.minor_per_unit, policy.unit_code)


def check_limits(session: Session, debit: Account, credit: Account, amount: int) -> None:
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
                "Plafond atteint : ce transfert de %(amount)s porterait le compte bénéficiaire "
                "à %(total)s, au-dessus de son plafond de %(ceiling)s.",
                amount=_fmt(session, credit, amount),
                total=_fmt(session, credit, reach + amount),
                ceiling=_fmt(session, credit, credit.ceiling),
            ),
            field="amount",
        )
