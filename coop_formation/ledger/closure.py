"""What the currency holds on a member, for their export (read only: nothing is created).

Counterparties are the fund, the issuance account, a company, or "un membre": another
person is never named in someone else's export, whatever their profile shows.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.db import iso_or_none
from coop_formation.ledger.accounts import account_balance, find_member_account
from coop_formation.ledger.models import Account, AccountKind, Transfer
from coop_formation.people.models import Company, Member


def _counterparty(account: Account, company: Company | None) -> str:
    if account.kind == AccountKind.FUND:
        return "fund"
    if account.kind == AccountKind.ISSUANCE:
        return "issuance"
    if account.kind == AccountKind.COMPANY:
        return f"company:{company.name}" if company is not None else "company"
    return "member"


def export_for_member(session: Session, member: Member) -> dict[str, Any] | None:
    """The member's account, balance and every transfer touching it, oldest first;
    ``None`` when the member never had an account."""
    account = find_member_account(session, member)
    if account is None:
        return None
    touching = sa.or_(
        Transfer.debit_account_id == account.id, Transfer.credit_account_id == account.id
    )
    transfers = session.scalars(sa.select(Transfer).where(touching).order_by(Transfer.id)).all()
    others = {
        t.debit_account_id if t.credit_account_id == account.id else t.credit_account_id
        for t in transfers
    }
    labels = {
        other.id: _counterparty(other, company)
        for other, company in session.execute(
            sa.select(Account, Company)
            .outerjoin(Company, Company.id == Account.company_id)
            .where(Account.id.in_(others))
        )
    }
    balance = account_balance(account)
    return {
        "account_id": account.id,
        "opened_at": iso_or_none(account.created_at),
        "floor": account.floor,
        "ceiling": account.ceiling,
        "balance": {
            "posted": balance.posted,
            "pending_debits": balance.pending_debits,
            "pending_credits": balance.pending_credits,
            "available": balance.available,
        },
        "amounts_in": "minor units",
        "transfers": [
            {
                "id": t.id,
                "created_at": iso_or_none(t.created_at),
                "kind": t.kind,
                "state": t.state.value,
                "direction": "in" if t.credit_account_id == account.id else "out",
                "amount": t.amount,
                "counterparty": labels.get(
                    t.debit_account_id
                    if t.credit_account_id == account.id
                    else t.credit_account_id,
                    "member",
                ),
                "reference_type": t.reference_type,
                "reference_id": t.reference_id,
                "resolves": t.pending_id,
                "memo": t.memo,
            }
            for t in transfers
        ],
    }
