"""The currency's tables: accounts (TigerBeetle-style balance columns), immutable transfers,
and the per-cluster policy with its history.

Balances are never edited on their own: the four integer columns of an account change only
in the transaction that inserts the transfer row justifying the change (see
:mod:`coop_formation.ledger.transfers`). Database CHECK constraints repeat the limits so that
even a bug in the services cannot leave an account past its floor or ceiling.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coop_formation.db import str_enum, utcnow
from coop_formation.extensions import Model


class AccountKind(enum.StrEnum):
    MEMBER = "member"
    COMPANY = "company"
    FUND = "fund"
    ISSUANCE = "issuance"


class TransferState(enum.StrEnum):
    """A transfer row is created in one state and never changes.

    ``pending`` reserves an amount; a later row in state ``posted`` (with ``pending_id``)
    or ``voided`` (always with ``pending_id``) resolves it, at most once (UNIQUE pending_id).
    """

    PENDING = "pending"
    POSTED = "posted"
    VOIDED = "voided"


class TransferKind(enum.StrEnum):
    """Kinds the ledger itself writes; other domains may use their own (e.g. ``session_fee``)."""

    SESSION_FEE = "session_fee"
    TEACHING = "teaching"
    WELCOME = "welcome"
    ALLOCATION = "allocation"
    CONTRIBUTION = "contribution"
    DIRECT = "direct"
    REVERSAL = "reversal"


_SINGLETON_KINDS = sa.text("kind IN ('fund', 'issuance')")


class Account(Model):
    """One account per member, per company, plus one fund and one issuance account per cluster."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        sa.CheckConstraint(
            "debits_pending >= 0 AND debits_posted >= 0 AND credits_pending >= 0"
            " AND credits_posted >= 0",
            name="non_negative_columns",
        ),
        sa.CheckConstraint(
            "floor IS NULL OR credits_posted - debits_posted - debits_pending >= floor",
            name="floor",
        ),
        sa.CheckConstraint(
            "ceiling IS NULL OR credits_posted + credits_pending - debits_posted <= ceiling",
            name="ceiling",
        ),
        sa.CheckConstraint(
            "(kind = 'member' AND member_id IS NOT NULL AND company_id IS NULL)"
            " OR (kind = 'company' AND company_id IS NOT NULL AND member_id IS NULL)"
            " OR (kind IN ('fund', 'issuance') AND member_id IS NULL AND company_id IS NULL)",
            name="owner_matches_kind",
        ),
        sa.CheckConstraint("kind <> 'issuance' OR floor IS NULL", name="issuance_has_no_floor"),
        sa.Index(
            "uq_ledger_accounts_cluster_singleton",
            "cluster_id",
            "kind",
            unique=True,
            sqlite_where=_SINGLETON_KINDS,
            postgresql_where=_SINGLETON_KINDS,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    kind: Mapped[AccountKind] = mapped_column(str_enum(AccountKind, "account_kind"))
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"), unique=True)
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id"), unique=True)
    floor: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    ceiling: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    debits_pending: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    debits_posted: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    credits_pending: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    credits_posted: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    last_transfer_hash: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Account {self.id} {self.kind}>"


class Transfer(Model):
    """An immutable movement of ``amount`` minor units from ``debit`` to ``credit``.

    Each row links to the previous row of its debit account and of its credit account
    (``prev_debit_hash``/``prev_credit_hash``) and carries its own ``hash``: two hash chains
    per row, one per account, verified by ``coop-formation ledger check``.
    """

    __tablename__ = "ledger_transfers"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("debit_account_id <> credit_account_id", name="distinct_accounts"),
        sa.CheckConstraint(
            "(state = 'pending' AND pending_id IS NULL)"
            " OR (state = 'voided' AND pending_id IS NOT NULL AND reversal_of_id IS NULL)"
            " OR (state = 'posted' AND (pending_id IS NULL OR reversal_of_id IS NULL))",
            name="state_machine",
        ),
        sa.Index("ix_ledger_transfers_debit", "debit_account_id", "id"),
        sa.Index("ix_ledger_transfers_credit", "credit_account_id", "id"),
        sa.Index("ix_ledger_transfers_reference", "reference_type", "reference_id"),
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    # Copied from the accounts (which reference clusters). No foreign key here on purpose: on
    # PostgreSQL every insert would take a shared lock on the one cluster row, a point of
    # contention between all concurrent transfers of the cluster.
    cluster_id: Mapped[int] = mapped_column(index=True)
    debit_account_id: Mapped[int] = mapped_column(sa.ForeignKey("ledger_accounts.id"))
    credit_account_id: Mapped[int] = mapped_column(sa.ForeignKey("ledger_accounts.id"))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    kind: Mapped[str] = mapped_column(sa.String(40))
    reference_type: Mapped[str | None] = mapped_column(sa.String(40), default=None)
    reference_id: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    idempotency_key: Mapped[str] = mapped_column(sa.String(160), unique=True)
    memo: Mapped[str] = mapped_column(sa.String(500), default="")
    state: Mapped[TransferState] = mapped_column(str_enum(TransferState, "transfer_state"))
    pending_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ledger_transfers.id"), unique=True, default=None
    )
    reversal_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ledger_transfers.id"), unique=True, default=None
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    prev_debit_hash: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    prev_credit_hash: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    hash: Mapped[str] = mapped_column(sa.String(64))

    def __repr__(self) -> str:
        return f"<Transfer {self.id} {self.kind} {self.state} {self.amount}>"


class NoShowRule(enum.StrEnum):
    POST = "post"
    VOID = "void"


class LedgerPolicy(Model):
    """One version of a cluster's currency policy; the current one is the latest row.

    Rows are never edited: a change adds a row (``effective_from``, ``changed_by``), so the
    history shows who changed what and when, and past amounts can be read with the policy
    that was in force (e.g. the clearing report converts fees to hours with it).
    """

    __tablename__ = "ledger_policies"
    __table_args__ = (
        sa.CheckConstraint("minor_per_unit > 0", name="minor_per_unit_positive"),
        sa.CheckConstraint("price_per_hour >= 0", name="price_non_negative"),
        sa.CheckConstraint("trainer_rate_per_hour >= 0", name="rate_non_negative"),
        sa.CheckConstraint("preparation_minutes >= 0", name="preparation_non_negative"),
        sa.CheckConstraint("welcome_grant >= 0", name="welcome_non_negative"),
        sa.CheckConstraint("cancellation_deadline_hours >= 0", name="deadline_non_negative"),
        sa.CheckConstraint("floor IS NULL OR floor <= 0", name="floor_not_positive"),
        sa.CheckConstraint("ceiling IS NULL OR ceiling > 0", name="ceiling_positive"),
        sa.Index("ix_ledger_policies_current", "cluster_id", "effective_from", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"))
    unit_name: Mapped[str] = mapped_column(sa.String(60), default="crédit formation")
    unit_code: Mapped[str] = mapped_column(sa.String(8), default="CF")
    minor_per_unit: Mapped[int] = mapped_column(default=100)
    price_per_hour: Mapped[int] = mapped_column(sa.BigInteger, default=100)
    preparation_minutes: Mapped[int] = mapped_column(default=60)
    trainer_rate_per_hour: Mapped[int] = mapped_column(sa.BigInteger, default=100)
    floor: Mapped[int | None] = mapped_column(sa.BigInteger, default=-500)
    ceiling: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    welcome_grant: Mapped[int] = mapped_column(sa.BigInteger, default=1000)
    cancellation_deadline_hours: Mapped[int] = mapped_column(default=24)
    no_show_rule: Mapped[NoShowRule] = mapped_column(
        str_enum(NoShowRule, "no_show_rule"), default=NoShowRule.POST
    )
    effective_from: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"), default=None)
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    @classmethod
    def defaults(cls, cluster_id: int) -> LedgerPolicy:
        """The default policy (not added to any session): what a cluster has before any edit."""
        return cls(
            cluster_id=cluster_id,
            unit_name="crédit formation",
            unit_code="CF",
            minor_per_unit=100,
            price_per_hour=100,
            preparation_minutes=60,
            trainer_rate_per_hour=100,
            floor=-500,
            ceiling=None,
            welcome_grant=1000,
            cancellation_deadline_hours=24,
            no_show_rule=NoShowRule.POST,
            note="",
        )
