"""Relations between people: introductions, relay messages and assisted use (with consent)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import TimestampMixin, str_enum, utcnow
from coop_formation.exchange.models import Need, Offer
from coop_formation.extensions import Model
from coop_formation.people.models import Company, Member


class Answer(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class IntroductionStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for one or both answers
    AGREED = "agreed"  # both accepted: names are shared
    DECLINED = "declined"  # one of them declined


class Outcome(enum.StrEnum):
    HELD = "held"
    NOT_HELD = "not_held"


class NotHeldReason(enum.StrEnum):
    NO_TIME = "no_time"
    NO_LONGER_NEEDED = "no_longer_needed"
    TRAINER_UNAVAILABLE = "trainer_unavailable"
    NOT_A_FIT = "not_a_fit"
    FOUND_ELSEWHERE = "found_elsewhere"
    OTHER = "other"


class Introduction(TimestampMixin, Model):
    """A correspondent puts a need's author and a possible trainer in touch.

    ``author_id`` is known to the system only: nobody else reads it unless the author consents
    (both agreed, or ``author_shown_to_correspondent``).
    """

    __tablename__ = "introductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offers.id"), default=None)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    introduced_by_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[IntroductionStatus] = mapped_column(
        str_enum(IntroductionStatus, "introduction_status"), default=IntroductionStatus.PENDING
    )
    author_answer: Mapped[Answer] = mapped_column(
        str_enum(Answer, "author_answer"), default=Answer.PENDING
    )
    trainer_answer: Mapped[Answer] = mapped_column(
        str_enum(Answer, "trainer_answer"), default=Answer.PENDING
    )
    author_answered_at: Mapped[datetime | None] = mapped_column(default=None)
    trainer_answered_at: Mapped[datetime | None] = mapped_column(default=None)
    author_shown_to_correspondent: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[Outcome | None] = mapped_column(
        str_enum(Outcome, "introduction_outcome"), default=None
    )
    outcome_reason: Mapped[NotHeldReason | None] = mapped_column(
        str_enum(NotHeldReason, "introduction_not_held_reason"), default=None
    )
    outcome_text: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("members.id"), default=None
    )
    outcome_recorded_at: Mapped[datetime | None] = mapped_column(default=None)

    company: Mapped[Company] = relationship()
    need: Mapped[Need] = relationship()
    offer: Mapped[Offer | None] = relationship()
    author: Mapped[Member] = relationship(foreign_keys=[author_id])
    trainer: Mapped[Member] = relationship(foreign_keys=[trainer_id])
    introduced_by: Mapped[Member] = relationship(foreign_keys=[introduced_by_id])


class ThreadKind(enum.StrEnum):
    CORRESPONDENT = "correspondent"  # a member and one correspondent of their company
    NEED = "need"  # someone who may read a need and the need's author


class RelayThread(TimestampMixin, Model):
    """A conversation through the platform; for a need, the author may stay anonymous."""

    __tablename__ = "relay_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    kind: Mapped[ThreadKind] = mapped_column(str_enum(ThreadKind, "relay_thread_kind"))
    starter_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    correspondent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("members.id"), index=True, default=None
    )
    need_id: Mapped[int | None] = mapped_column(sa.ForeignKey("needs.id"), index=True, default=None)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    recipient_revealed: Mapped[bool] = mapped_column(default=False)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)

    starter: Mapped[Member] = relationship(foreign_keys=[starter_id])
    recipient: Mapped[Member] = relationship(foreign_keys=[recipient_id])
    need: Mapped[Need | None] = relationship()
    messages: Mapped[list[RelayMessage]] = relationship(
        back_populates="thread", order_by="RelayMessage.id", cascade="all, delete-orphan"
    )


class RelayMessage(Model):
    __tablename__ = "relay_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("relay_threads.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread: Mapped[RelayThread] = relationship(back_populates="messages")


class AssistConsent(Model):
    """A member's recorded consent for one named correspondent to act on their behalf."""

    __tablename__ = "assist_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    correspondent_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)

    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    correspondent: Mapped[Member] = relationship(foreign_keys=[correspondent_id])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class AssistedActionKind(enum.StrEnum):
    NEED_CREATED = "need_created"
    OFFER_CREATED = "offer_created"
    ENROLLED = "enrolled"


class AssistedAction(Model):
    """One thing a correspondent did for a member, kept for the member to read."""

    __tablename__ = "assisted_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(sa.ForeignKey("assist_consents.id"), index=True)
    correspondent_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    action: Mapped[AssistedActionKind] = mapped_column(
        str_enum(AssistedActionKind, "assisted_action_kind")
    )
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    correspondent: Mapped[Member] = relationship(foreign_keys=[correspondent_id])
