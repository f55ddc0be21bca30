"""Company contributions to the solidarity fund ("points de formation") and corrections.

A contribution is two transfers in one transaction: issuance → company (``allocation``) then
company → fund (``contribution``); see :mod:`coop_formation.ledger.accounts` for why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation.authz import Permission, require
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.ledger.accounts import company_account, fund_account, issuance_account
from coop_formation.ledger.models import Account, Transfer, TransferKind, TransferState
from coop_formation.ledger.rules import refusal
from coop_formation.ledger.transfers import create_transfer, reverse_transfer
from coop_formation.ledger.wallet import FORM_TOKEN
from coop_formation.people.models import Company, Member


def contributing_companies(session: Session, actor: Member) -> list[Company]:
    """Companies of the actor's cluster, for the contribution form."""
    require(actor, Permission.RECORD_CONTRIBUTION, message=refusal())
    stmt = sa.select(Company).where(Company.cluster_id == actor.cluster_id).order_by(Company.name)
    return list(session.scalars(stmt))


class _SharedFields(TypedDict):
    """The fields both transfers of a contribution share."""

    amount: int
    reference_type: str
    reference_id: int
    memo: str
    actor_id: int


def record_contribution(
    session: Session,
    actor: Member,
    *,
    company_id: int,
    amount: int,
    memo: str,
    form_token: str,
) -> Transfer:
    """Record points de formation a company gives the fund; a resubmitted form applies once."""
    require(actor, Permission.RECORD_CONTRIBUTION, message=refusal())
    if not FORM_TOKEN.match(form_token or ""):
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    company = session.get(Company, company_id)
    if company is None or company.cluster_id != actor.cluster_id:
        raise NotFound(_("Entreprise introuvable."))
    memo = (memo or "").strip()
    if not memo or len(memo) > 200:
        raise InvalidInput(_("Écrivez un motif de 1 à 200 caractères."), field="memo")
    issuance = issuance_account(session, actor.cluster_id)
    account = company_account(session, company)
    fund = fund_account(session, actor.cluster_id)
    key = f"contribution:{actor.id}:{form_token}"
    common: _SharedFields = {
        "amount": amount,
        "reference_type": "company",
        "reference_id": company.id,
        "memo": memo,
        "actor_id": actor.id,
    }
    create_transfer(
        session,
        debit_account_id=issuance.id,
        credit_account_id=account.id,
        kind=TransferKind.ALLOCATION.value,
        idempotency_key=f"{key}:allocation",
        **common,
    )
    return create_transfer(
        session,
        debit_account_id=account.id,
        credit_account_id=fund.id,
        kind=TransferKind.CONTRIBUTION.value,
        idempotency_key=key,
        **common,
    )


@dataclass(frozen=True)
class ContributionLine:
    created_at: datetime
    company: str
    amount: int
    memo: str


def recent_contributions(
    session: Session, actor: Member, *, limit: int = 50
) -> list[ContributionLine]:
    """The cluster's latest contributions (companies are named; people are not)."""
    require(actor, Permission.RECORD_CONTRIBUTION, message=refusal())
    rows = session.execute(
        sa.select(Transfer, Company.name)
        .join(Account, Account.id == Transfer.debit_account_id)
        .join(Company, Company.id == Account.company_id)
        .where(
            Transfer.cluster_id == actor.cluster_id,
            Transfer.kind == TransferKind.CONTRIBUTION.value,
            Transfer.state == TransferState.POSTED,
        )
        .order_by(Transfer.id.desc())
        .limit(limit)
    ).all()
    return [ContributionLine(t.created_at, name, t.amount, t.memo) for t, name in rows]


def correct_transfer(
    session: Session, actor: Member, transfer_id: int, *, memo: str, form_token: str
) -> Transfer:
    """A coop admin's correction: a reversing transfer (nothing is edited or deleted)."""
    require(actor, Permission.CORRECT_TRANSFER, message=refusal())
    original = session.get(Transfer, transfer_id)
    if original is None or original.cluster_id != actor.cluster_id:
        raise NotFound(_("Transfert introuvable."))
    if not FORM_TOKEN.match(form_token or ""):
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    memo = (memo or "").strip()
    if not memo or len(memo) > 200:
        raise InvalidInput(_("Expliquez la correction en 1 à 200 caractères."), field="memo")
    return reverse_transfer(
        session,
        transfer_id,
        idempotency_key=f"reversal:{actor.id}:{form_token}",
        memo=memo,
        actor_id=actor.id,
    )
