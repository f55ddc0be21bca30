"""Notification services.

Contract used by every domain: :func:`notify` records a notification for one member inside
the caller's transaction; delivery by e-mail (immediately or in a daily digest, never outside
the cluster's working hours) happens later, outside the web request (see ``queue.py``).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import NotFound
from coop_formation.extensions import db
from coop_formation.notifications.models import EmailStatus, Frequency, Notification
from coop_formation.notifications.preferences import KINDS, choice_for, window_for_cluster
from coop_formation.notifications.queue import schedule_delivery
from coop_formation.notifications.schedule import next_digest_time, next_window_start
from coop_formation.paging import Page, clamp, page_of
from coop_formation.people.models import Member


def notify(
    session: Session,
    *,
    recipient: Member,
    kind: str,
    subject: str,
    body: str = "",
    link: str | None = None,
) -> Notification:
    """Record a notification for ``recipient`` (flushes; the caller's action commits it).

    The e-mail copy is scheduled from the member's choice for ``kind`` and the cluster's
    working hours; nothing is sent here (a rolled-back action never sends anything).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    now = utcnow()
    notification = Notification(
        recipient_id=recipient.id,
        kind=kind,
        subject=subject[:200],
        body=body,
        link=link,
        created_at=now,
    )
    choice = choice_for(session, recipient.id, kind)
    if choice.email_enabled and not recipient.is_closed and recipient.email:
        window = window_for_cluster(session, recipient.cluster_id)
        if choice.frequency == Frequency.IMMEDIATE:
            notification.email_status = EmailStatus.PENDING
            notification.email_due_at = next_window_start(now, window)
        else:
            notification.email_status = EmailStatus.DIGEST
            notification.email_due_at = next_digest_time(now, window)
    else:
        notification.email_status = EmailStatus.NONE
    session.add(notification)
    session.flush()
    if notification.email_due_at is not None:
        schedule_delivery(session, recipient.id, notification.email_due_at)
    return notification


# --- the in-platform list -------------------------------------------------------------------


def list_notifications(
    session: Session, actor: Member, *, page: int, per_page: int
) -> Page[Notification]:
    """The actor's own notifications, newest first (two queries whatever the page).

    A page number past the end shows the last page.
    """
    own = Notification.recipient_id == actor.id
    total = int(
        session.scalar(sa.select(sa.func.count()).select_from(Notification).where(own)) or 0
    )
    number, size = clamp(page, per_page)
    number = min(number, max(1, -(-total // size)))
    items = list(
        session.scalars(
            sa.select(Notification)
            .where(own)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(size)
            .offset((number - 1) * size)
        )
    )
    return page_of(items, number, size, total=total)


def get_notification(session: Session, actor: Member, notification_id: int) -> Notification:
    """The actor's notification; anyone else's answers 404 (its existence is not leaked)."""
    notification = session.get(Notification, notification_id)
    if notification is None or not authz.can(actor, Permission.NOTIFICATION_READ, notification):
        raise NotFound(_("Notification introuvable."))
    return notification


def mark_read(
    session: Session, actor: Member, notification_id: int, now: datetime | None = None
) -> Notification:
    """Mark one of the actor's notifications read (idempotent); flushes."""
    notification = get_notification(session, actor, notification_id)
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        session.flush()
    return notification


def mark_all_read(session: Session, actor: Member, now: datetime | None = None) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    result = session.execute(
        sa.update(Notification)
        .where(Notification.recipient_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def unread_count(member: Member | None, session: Session | None = None) -> int:
    """How many unread notifications ``member`` has (0 for anonymous visitors); one query.

    Meant for the layout header: ``{{ unread_count(current_user) }}``.
    """
    if member is None or not getattr(member, "is_authenticated", False):
        return 0
    if session is None:
        session = db.session
    count = session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == member.id, Notification.read_at.is_(None))
    )
    return int(count or 0)
