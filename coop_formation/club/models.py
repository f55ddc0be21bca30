"""Club: pooled external trainings bought together by the cluster's companies.

Money is stored in euro cents (integers). Seats are purchases made by a company, never
linked to the people who will use them.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import TimestampMixin, utcnow
from coop_formation.extensions import Model
from coop_formation.people.models import Company, Member


class PooledTraining(TimestampMixin, Model):
    """An external training proposed by the HR club, whose price the joining companies share."""

    __tablename__ = "pooled_trainings"
    __table_args__ = (
        sa.CheckConstraint("price_cents > 0", name="price_positive"),
        sa.CheckConstraint("seats > 0", name="seats_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    provider: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Total price of the training for the whole group, in euro cents.
    price_cents: Mapped[int]
    seats: Mapped[int]
    deadline: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    proposed_by: Mapped[Member | None] = relationship()
    reservations: Mapped[list[PooledTrainingSeats]] = relationship(
        back_populates="training", cascade="all, delete-orphan"
    )


class PooledTrainingSeats(Model):
    """The number of seats one company takes in a pooled training (one row per company)."""

    __tablename__ = "pooled_training_seats"
    __table_args__ = (
        sa.UniqueConstraint("training_id", "company_id"),
        sa.CheckConstraint("seats > 0", name="seats_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pooled_trainings.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    seats: Mapped[int]
    joined_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    training: Mapped[PooledTraining] = relationship(back_populates="reservations")
    company: Mapped[Company] = relationship()
