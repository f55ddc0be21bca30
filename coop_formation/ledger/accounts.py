"""Accounts: get-or-create per owner (safe under concurrency), and balances read from them.

Who may go below zero (the money model, kept as simple as the design allows):

* **issuance** — one per cluster, no floor: the only source of new credits for companies.
* **company** — floor 0. A company's contribution to the fund ("points de formation") is two
  transfers in one transaction: issuance → company (``allocation``, the company's points are
  created) then company → fund (``contribution``). The company account therefore shows every
  contribution and never goes negative.
* **fund** — the cooperative's solidarity fund, no floor: the solidarity rule says it *always*
  covers a session's deficit and pays each welcome grant, so it may carry a (collective)
  negative balance that company contributions and session surpluses replenish.
* **member** — floor and ceiling from the cluster policy (mutual credit, default −5 CF).

Whatever the flows, each transfer debits one account and credits another by the same amount,
so the sum of all balances is zero at all times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coop_formation.ledger.models import Account, AccountKind
from coop_formation.ledger.policy import current_policy
from coop_formation.people.models import Company, Member


@dataclass(frozen=True)
class Balance:
    """What an account holds: ``posted`` balance, reservations, and what may still be spent."""

    posted: int
    pending_debits: int
    pending_credits: int
    available: int


def account_balance(account: Account) -> Balance:
    """Pure: balance = credits − debits posted; available = balance − pending debits."""
    posted = (account.credits_posted or 0) - (account.debits_posted or 0)
    pending_debits = account.debits_pending or 0
    return Balance(
        posted=posted,
        pending_debits=pending_debits,
        pending_credits=account.credits_pending or 0,
        available=posted - pending_debits,
    )


def dialect_insert(session: Session) -> Any:
    """``INSERT`` with ``ON CONFLICT`` support for the session's backend."""
    name = session.get_bind(Account).dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise RuntimeError(f"unsupported database for the ledger: {name}")


def _get_or_create(
    session: Session, where: sa.ColumnElement[bool], values: dict[str, Any]
) -> Account:
    stmt = sa.select(Account).where(where)
    account = session.scalars(stmt).first()
    if account is not None:
        return account
    # A concurrent creator makes our INSERT do nothing; the second SELECT then sees its row.
    session.execute(dialect_insert(session)(Account).values(**values).on_conflict_do_nothing())
    return session.scalars(stmt).one()


def member_account(session: Session, member: Member) -> Account:
    """The member's account, created on first use with the policy's floor and ceiling."""
    policy = current_policy(session, member.cluster_id)
    return _get_or_create(
        session,
        Account.member_id == member.id,
        {
            "cluster_id": member.cluster_id,
            "kind": AccountKind.MEMBER,
            "member_id": member.id,
            "floor": policy.floor,
            "ceiling": policy.ceiling,
        },
    )


def company_account(session: Session, company: Company) -> Account:
    """The company's account (floor 0: companies give what issuance allocates them)."""
    return _get_or_create(
        session,
        Account.company_id == company.id,
        {
            "cluster_id": company.cluster_id,
            "kind": AccountKind.COMPANY,
            "company_id": company.id,
            "floor": 0,
        },
    )


def _singleton(session: Session, cluster_id: int, kind: AccountKind) -> Account:
    return _get_or_create(
        session,
        sa.and_(Account.cluster_id == cluster_id, Account.kind == kind),
        {"cluster_id": cluster_id, "kind": kind, "floor": None},
    )


def fund_account(session: Session, cluster_id: int) -> Account:
    """The cluster's solidarity fund (no floor: it always covers deficits and welcome grants)."""
    return _singleton(session, cluster_id, AccountKind.FUND)


def issuance_account(session: Session, cluster_id: int) -> Account:
    """The cluster's issuance account, the source of new credits (no floor)."""
    return _singleton(session, cluster_id, AccountKind.ISSUANCE)


def find_member_account(session: Session, member: Member) -> Account | None:
    """The member's account if it exists (reading never creates one)."""
    return session.scalars(sa.select(Account).where(Account.member_id == member.id)).first()
