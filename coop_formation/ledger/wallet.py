"""A member's wallet: opening it (welcome grant), sending credits, reading the history.

Counterparties are named only when the other member's profile lets the reader see their
learning activity (``learning_visibility``: cluster, or company for colleagues); otherwise
the history says "un membre". Funds, issuance and companies are always named.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation.authz import Permission, require
from coop_formation.errors import InvalidInput
from coop_formation.ledger.accounts import (
    Balance,
    account_balance,
    find_member_account,
    fund_account,
    member_account,
)
from coop_formation.ledger.models import Account, AccountKind, Transfer, TransferKind, TransferState
from coop_formation.ledger.policy import current_policy
from coop_formation.ledger.rules import refusal
from coop_formation.ledger.transfers import create_transfer
from coop_formation.paging import Page
from coop_formation.people.models import Company, Member, Visibility

FORM_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def welcome_key(member: Member) -> str:
    """The idempotency key of a member's welcome grant: one grant per member, ever."""
    return f"welcome:{member.id}"


def grant_welcome(session: Session, member: Member) -> Transfer | None:
    """Pay the policy's welcome grant from the fund to ``member``, once (key ``welcome:<id>``).

    Idempotent: when the member already received it, the existing transfer is returned and
    nothing is written, even if the policy's amount has changed since.
    """
    account = member_account(session, member)
    existing = session.scalars(
        sa.select(Transfer).where(Transfer.idempotency_key == welcome_key(member))
    ).first()
    if existing is not None:
        return existing
    policy = current_policy(session, member.cluster_id)
    if policy.welcome_grant <= 0:
        return None
    fund = fund_account(session, member.cluster_id)
    return create_transfer(
        session,
        debit_account_id=fund.id,
        credit_account_id=account.id,
        amount=policy.welcome_grant,
        kind=TransferKind.WELCOME.value,
        reference_type="member",
        reference_id=member.id,
        idempotency_key=welcome_key(member),
        memo="Allocation de bienvenue",
    )


def open_wallet(session: Session, actor: Member) -> Account:
    """The actor's account, opened with the welcome grant on first visit (idempotent)."""
    require(actor, Permission.WALLET_READ, message=refusal())
    account = member_account(session, actor)
    grant_welcome(session, actor)
    return account


def send_credits(
    session: Session,
    actor: Member,
    *,
    recipient_email: str,
    amount: int,
    memo: str,
    form_token: str,
) -> Transfer:
    """A direct member-to-member transfer, within limits; a resubmitted form applies once."""
    require(actor, Permission.SEND_CREDITS, message=refusal())
    if not FORM_TOKEN.match(form_token or ""):
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    email = (recipient_email or "").strip().lower()
    recipient = session.scalars(
        sa.select(Member).where(
            sa.func.lower(Member.email) == email,
            Member.cluster_id == actor.cluster_id,
            Member.closed_at.is_(None),
        )
    ).first()
    if recipient is None:
        raise InvalidInput(
            _("Aucun membre actif de la grappe n'a cette adresse."), field="recipient_email"
        )
    if recipient.id == actor.id:
        raise InvalidInput(
            _("Vous ne pouvez pas vous envoyer des crédits."), field="recipient_email"
        )
    memo = (memo or "").strip()
    if not memo or len(memo) > 200:
        raise InvalidInput(_("Écrivez un message de 1 à 200 caractères."), field="memo")
    debit = member_account(session, actor)
    credit = member_account(session, recipient)
    return create_transfer(
        session,
        debit_account_id=debit.id,
        credit_account_id=credit.id,
        amount=amount,
        kind=TransferKind.DIRECT.value,
        idempotency_key=f"direct:{actor.id}:{form_token}",
        memo=memo,
        actor_id=actor.id,
    )


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    """One row of a wallet history, already phrased for the reader."""

    transfer_id: int
    created_at: datetime
    kind: str
    state: str
    incoming: bool
    amount: int
    effect: int  # change of the posted balance (0 for reservations and releases)
    counterparty: str
    reference_type: str | None
    reference_id: int | None
    memo: str


@dataclass(frozen=True)
class WalletView:
    account: Account | None
    balance: Balance
    history: Page[HistoryLine]
    unit_code: str
    minor_per_unit: int


def _name_visible(viewer: Member, other: Member) -> bool:
    if other.id == viewer.id:
        return True
    visibility = other.learning_visibility
    if visibility == Visibility.CLUSTER:
        return other.cluster_id == viewer.cluster_id
    if visibility == Visibility.COMPANY:
        return other.company_id is not None and other.company_id == viewer.company_id
    return False


def counterparty_labels(session: Session, viewer: Member, account_ids: set[int]) -> dict[int, str]:
    """Labels for the accounts on the other side of a viewer's transfers (privacy-aware)."""
    if not account_ids:
        return {}
    rows = session.execute(
        sa.select(Account, Member, Company)
        .outerjoin(Member, Member.id == Account.member_id)
        .outerjoin(Company, Company.id == Account.company_id)
        .where(Account.id.in_(account_ids))
    ).all()
    labels: dict[int, str] = {}
    for account, member, company in rows:
        if account.kind == AccountKind.FUND:
            labels[account.id] = _("Fonds de solidarité")
        elif account.kind == AccountKind.ISSUANCE:
            labels[account.id] = _("Émission de la coopérative")
        elif account.kind == AccountKind.COMPANY and company is not None:
            labels[account.id] = company.name
        elif member is not None and _name_visible(viewer, member):
            labels[account.id] = member.display_name
        else:
            labels[account.id] = _("un membre")
    return labels


def _line(transfer: Transfer, account_id: int, labels: dict[int, str]) -> HistoryLine:
    incoming = transfer.credit_account_id == account_id
    other = transfer.debit_account_id if incoming else transfer.credit_account_id
    sign = 1 if incoming else -1
    effect = sign * transfer.amount if transfer.state == TransferState.POSTED else 0
    return HistoryLine(
        transfer_id=transfer.id,
        created_at=transfer.created_at,
        kind=transfer.kind,
        state=transfer.state.value,
        incoming=incoming,
        amount=transfer.amount,
        effect=effect,
        counterparty=labels.get(other, _("un membre")),
        reference_type=transfer.reference_type,
        reference_id=transfer.reference_id,
        memo=transfer.memo,
    )


def _touching(account_id: int) -> sa.ColumnElement[bool]:
    return sa.or_(Transfer.debit_account_id == account_id, Transfer.credit_account_id == account_id)


def wallet(session: Session, actor: Member, *, page: int = 1, per_page: int = 20) -> WalletView:
    """Balance, available, reservations and a page of history (newest first) for the actor."""
    require(actor, Permission.WALLET_READ, message=refusal())
    policy = current_policy(session, actor.cluster_id)
    account = find_member_account(session, actor)
    if account is None:
        empty = Balance(0, 0, 0, 0)
        return WalletView(
            None, empty, Page([], 1, per_page, 0), policy.unit_code, policy.minor_per_unit
        )
    total = session.scalar(sa.select(sa.func.count(Transfer.id)).where(_touching(account.id))) or 0
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, page), pages)
    transfers = list(
        session.scalars(
            sa.select(Transfer)
            .where(_touching(account.id))
            .order_by(Transfer.id.desc())
            .offset((number - 1) * per_page)
            .limit(per_page)
        )
    )
    lines = _lines(session, actor, account.id, transfers)
    return WalletView(
        account,
        account_balance(account),
        Page(lines, number, per_page, total),
        policy.unit_code,
        policy.minor_per_unit,
    )


def _lines(
    session: Session, actor: Member, account_id: int, transfers: list[Transfer]
) -> list[HistoryLine]:
    others = {
        t.debit_account_id if t.credit_account_id == account_id else t.credit_account_id
        for t in transfers
    }
    labels = counterparty_labels(session, actor, others)
    return [_line(t, account_id, labels) for t in transfers]


def full_history(session: Session, actor: Member) -> list[HistoryLine]:
    """Every line of the actor's history, oldest first (for the CSV export)."""
    require(actor, Permission.WALLET_READ, message=refusal())
    account = find_member_account(session, actor)
    if account is None:
        return []
    transfers = list(
        session.scalars(sa.select(Transfer).where(_touching(account.id)).order_by(Transfer.id))
    )
    return _lines(session, actor, account.id, transfers)
