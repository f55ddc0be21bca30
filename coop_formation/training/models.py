"""Training: sessions and their dates, enrolments (with waiting list), feedback, calendar tokens.

Lifecycles are explicit state machines backed by CHECK constraints: a session goes
planned → held → settled (or planned → cancelled); an enrolment goes enrolled/waitlisted →
attended/no_show/cancelled.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import TimestampMixin, str_enum, utcnow
from coop_formation.exchange.models import Format, Need, Offer, Venue
from coop_formation.extensions import Model
from coop_formation.people.models import Member


class SessionStatus(enum.StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    HELD = "held"
    SETTLED = "settled"


# Allowed moves of the session state machine; anything else is a programming error or a
# stale form, refused by :meth:`TrainingSession.move_to`.
SESSION_TRANSITIONS: dict[SessionStatus, frozenset[SessionStatus]] = {
    SessionStatus.PLANNED: frozenset({SessionStatus.HELD, SessionStatus.CANCELLED}),
    SessionStatus.HELD: frozenset({SessionStatus.HELD, SessionStatus.SETTLED}),
    SessionStatus.CANCELLED: frozenset(),
    SessionStatus.SETTLED: frozenset(),
}


class TrainerConsent(enum.StrEnum):
    """The named trainer's answer: a session opens to enrolment only once accepted.

    A trainer who organises their own session accepts by doing so."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class IllegalTransition(RuntimeError):
    """A state change the lifecycle does not allow (services check before moving)."""


class TrainingSession(TimestampMixin, Model):
    """A session taught by a member, held at a venue or remotely, on one or more dates."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("price_per_learner >= 0", name="price_not_negative"),
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
        sa.CheckConstraint(
            "venue_id IS NOT NULL OR remote_url IS NOT NULL", name="venue_or_remote"
        ),
        sa.Index("ix_training_sessions_cluster_status", "cluster_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"))
    offer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offers.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(sa.ForeignKey("needs.id"), index=True)
    # A pool of similar needs (matching) served by this one session.
    pool_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pools.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    organiser_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    format: Mapped[Format] = mapped_column(
        str_enum(Format, "session_format"), default=Format.TRAINING
    )
    language: Mapped[str] = mapped_column(sa.String(8), default="fr")
    capacity: Mapped[int] = mapped_column(default=8)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"), index=True)
    remote_url: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    on_work_time: Mapped[bool] = mapped_column(default=True)
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus, "session_status"), default=SessionStatus.PLANNED
    )
    # Snapshots taken at creation so that a later policy change never reprices a session.
    price_per_learner: Mapped[int] = mapped_column(default=0)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    cancelled_reason: Mapped[str] = mapped_column(sa.Text, default="")
    trainer_consent: Mapped[TrainerConsent] = mapped_column(
        str_enum(TrainerConsent, "trainer_consent"),
        default=TrainerConsent.ACCEPTED,
        server_default=TrainerConsent.ACCEPTED.value,
    )
    settled_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    trainer: Mapped[Member] = relationship(foreign_keys=[trainer_id])
    organiser: Mapped[Member] = relationship(foreign_keys=[organiser_id])
    offer: Mapped[Offer | None] = relationship()
    need: Mapped[Need | None] = relationship()
    venue: Mapped[Venue | None] = relationship()
    slots: Mapped[list[SessionSlot]] = relationship(
        back_populates="session", order_by="SessionSlot.starts_at", cascade="all, delete-orphan"
    )

    def move_to(self, target: SessionStatus) -> None:
        """Change status only along an allowed edge of the lifecycle."""
        if target not in SESSION_TRANSITIONS[self.status]:
            raise IllegalTransition(f"session {self.id}: {self.status} -> {target}")
        self.status = target

    @property
    def awaits_trainer(self) -> bool:
        return self.trainer_consent == TrainerConsent.PENDING

    @property
    def is_open_to_enrolment(self) -> bool:
        return self.status == SessionStatus.PLANNED and (
            self.trainer_consent == TrainerConsent.ACCEPTED
        )

    @property
    def is_remote(self) -> bool:
        return self.venue_id is None

    def __repr__(self) -> str:
        return f"<TrainingSession {self.id} {self.status}>"


class SessionSlot(Model):
    """One date of a session; a session's duration is the sum of its slots."""

    __tablename__ = "session_slots"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_session_slots_period", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    session: Mapped[TrainingSession] = relationship(back_populates="slots")

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class EnrollmentStatus(enum.StrEnum):
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


ACTIVE_ENROLLMENT = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED)
SEATED_ENROLLMENT = (EnrollmentStatus.ENROLLED, EnrollmentStatus.ATTENDED, EnrollmentStatus.NO_SHOW)


class Enrollment(TimestampMixin, Model):
    """A member's place in a session (or on its waiting list).

    ``pending_transfer_id`` is the ledger reservation of the price while enrolled; it is
    posted (attended, no-show per policy) or voided (cancellation) exactly once.
    """

    __tablename__ = "enrollments"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "member_id"),
        sa.CheckConstraint(
            "(status = 'waitlisted') = (position IS NOT NULL)", name="position_iff_waitlisted"
        ),
        sa.CheckConstraint("reservations >= 0", name="reservations_not_negative"),
        sa.Index("ix_enrollments_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE")
    )
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    status: Mapped[EnrollmentStatus] = mapped_column(
        str_enum(EnrollmentStatus, "enrollment_status")
    )
    position: Mapped[int | None] = mapped_column(default=None)
    # The ledger's pending transfer reserving the price (kept after it is resolved, as a trace).
    pending_transfer_id: Mapped[int | None] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        sa.ForeignKey("ledger_transfers.id"),
        default=None,
    )
    # How many reservations this row has made; suffixes the ledger idempotency keys so
    # that re-enrolling after a cancellation reserves afresh instead of replaying.
    reservations: Mapped[int] = mapped_column(default=0)
    # The enrol form's one-time key: a retried POST finds this row instead of charging again.
    request_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[TrainingSession] = relationship()
    member: Mapped[Member] = relationship()

    def ledger_key(self, prefix: str) -> str:
        """Idempotency key of this enrolment's current reservation (``enrol:<id>`` first)."""
        suffix = "" if self.reservations <= 1 else f":{self.reservations}"
        return f"{prefix}:{self.id}{suffix}"


class SessionFeedback(Model):
    """A participant's words for the trainer; read by the trainer only, never scored."""

    __tablename__ = "session_feedback"
    __table_args__ = (sa.UniqueConstraint("session_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeedToken(Model):
    """The secret in a member's personal iCalendar URL, so calendar apps can subscribe.

    Kept in clear (unlike login tokens) because the member must be able to copy the URL
    again; it only grants reading that member's agenda and can be regenerated at any time.
    """

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship()
