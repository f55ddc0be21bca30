"""Matching: members' consent to be suggested or called, pools of similar needs, calls.

Consent is opt-in (every flag defaults to False); a pool ("besoin mutualisé") groups needs
of several companies that one session can serve; a call opens a company need to the cluster.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import str_enum, utcnow
from coop_formation.exchange.models import Need
from coop_formation.extensions import Model
from coop_formation.people.models import Member


class MatchingPreference(Model):
    """What a member agreed to: be suggested as a trainer, be told of calls for trainers."""

    __tablename__ = "matching_preferences"

    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    suggest_me: Mapped[bool] = mapped_column(default=False, index=True)
    accept_calls: Mapped[bool] = mapped_column(default=False)
    availability: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PoolStatus(enum.StrEnum):
    OPEN = "open"
    SCHEDULED = "scheduled"


class Pool(Model):
    """Similar needs of the cluster gathered so that one session serves them all."""

    __tablename__ = "pools"
    __table_args__ = (sa.Index("ix_pools_cluster_status", "cluster_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[PoolStatus] = mapped_column(
        str_enum(PoolStatus, "pool_status"), default=PoolStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[Member] = relationship()
    needs: Mapped[list[Need]] = relationship(secondary="pool_needs", order_by=Need.id)


pool_needs = sa.Table(
    "pool_needs",
    Model.metadata,
    sa.Column("pool_id", sa.ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    # A need belongs to one pool at most: pooling it twice would promise it twice.
    sa.Column("need_id", sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True),
    sa.UniqueConstraint("need_id", name="uq_pool_needs_need"),
)


class NeedCall(Model):
    """A company need opened to the whole cluster, with who opened it (once per need)."""

    __tablename__ = "need_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), unique=True)
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    notified: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
