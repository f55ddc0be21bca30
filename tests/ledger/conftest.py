"""Ledger test fixtures: keys, form tokens, a funded member.

Services called directly translate their messages and build URLs, which needs a request
context; pages are read through ``client_for(member)`` (tests/conftest.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

import coop_formation.ledger.models  # noqa: F401  (tables exist before the app creates the schema)
from coop_formation.ledger import services as ledger


@pytest.fixture(autouse=True)
def request_context(app: Flask, db_session: sa.orm.scoped_session) -> Iterator[None]:
    with app.test_request_context():
        yield


def new_key(prefix: str = "test") -> str:
    return f"{prefix}:{secrets.token_hex(8)}"


def form_token() -> str:
    return secrets.token_hex(16)


def fund_member(session, member, amount: int):  # type: ignore[no-untyped-def]
    """Give ``member`` ``amount`` from the fund (a posted welcome-like transfer)."""
    account = ledger.member_account(session, member)
    fund = ledger.fund_account(session, member.cluster_id)
    ledger.create_transfer(
        session,
        debit_account_id=fund.id,
        credit_account_id=account.id,
        amount=amount,
        kind="welcome",
        idempotency_key=new_key("fund"),
    )
    return account
