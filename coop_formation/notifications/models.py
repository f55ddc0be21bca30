"""Notifications, each member's delivery choices, and each cluster's right-to-disconnect policy.

A notification always appears in the platform; its e-mail state (``email_status``) says
whether, when (``email_due_at``, never outside working hours) and how it leaves by e-mail.
"""

from __future__ import annotations

import enum
from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import str_enum, utcnow
from coop_formation.extensions import Model
from coop_formation.people.models import Member


class EmailStatus(enum.StrEnum):
    """Life of the e-mail copy: none (not wanted) | pending/digest → sent, or → failed."""

    NONE = "none"  # the member does not want this kind by e-mail
    PENDING = "pending"  # to be sent on its own at ``email_due_at``
    DIGEST = "digest"  # to be grouped in the daily digest due at ``email_due_at``
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum number of attempts (still listed in-platform)


class Frequency(enum.StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_recipient_created", "recipient_id", "created_at"),
        sa.Index("ix_notifications_email_due", "email_status", "email_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    emailed_at: Mapped[datetime | None] = mapped_column(default=None)
    email_status: Mapped[EmailStatus] = mapped_column(
        str_enum(EmailStatus, "notification_email_status"), default=EmailStatus.NONE
    )
    email_due_at: Mapped[datetime | None] = mapped_column(default=None)
    email_attempts: Mapped[int] = mapped_column(default=0)
    email_last_error: Mapped[str | None] = mapped_column(sa.String(500), default=None)

    recipient: Mapped[Member] = relationship()


class NotificationPreference(Model):
    """One member's choice for one kind; no row means the default (e-mail, daily digest)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("member_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    email_enabled: Mapped[bool] = mapped_column(default=True)
    frequency: Mapped[Frequency] = mapped_column(
        str_enum(Frequency, "notification_frequency"), default=Frequency.DIGEST
    )


class NotificationPolicy(Model):
    """A cluster's working hours: no e-mail leaves outside them (right to disconnect).

    ``working_days`` lists ISO weekday numbers (1 = Monday … 7 = Sunday), e.g. "1,2,3,4,5".
    """

    __tablename__ = "notification_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), unique=True)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Paris")
    working_days: Mapped[str] = mapped_column(sa.String(20), default="1,2,3,4,5")
    start_time: Mapped[time] = mapped_column(sa.Time, default=time(8, 0))
    end_time: Mapped[time] = mapped_column(sa.Time, default=time(19, 0))
    digest_time: Mapped[time] = mapped_column(sa.Time, default=time(8, 0))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
