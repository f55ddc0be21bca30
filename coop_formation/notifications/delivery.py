"""E-mail delivery of notifications: what is due now, never outside working hours.

:func:`deliver_due` is called outside the web request (RQ job, CLI from cron, or the inline
hook after a request committed). It flushes and never commits: its caller commits once.
A failed send is never lost: attempts are counted and a retry is scheduled with backoff
inside the next window; after ``MAX_ATTEMPTS`` the e-mail is marked failed, while the
notification stays visible in the platform.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload

from coop_formation.db import utcnow
from coop_formation.mail import send_mail
from coop_formation.notifications.models import EmailStatus, Notification
from coop_formation.notifications.preferences import window_for_cluster
from coop_formation.notifications.schedule import Window, in_window, next_retry
from coop_formation.people.models import Member

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH_SIZE = 500


@dataclass
class DeliveryReport:
    """What one run did: counts of e-mails (not notifications) and failures."""

    sent: int = 0
    digests: int = 0
    retried: int = 0
    failed: int = 0
    examined: int = 0
    notified_ids: list[int] = field(default_factory=list)


def _absolute(link: str | None) -> str | None:
    if not link:
        return None
    if link.startswith(("http://", "https://")):
        return link
    return str(current_app.config.get("BASE_URL") or "").rstrip("/") + link


def _format_one(notification: Notification) -> str:
    parts = [notification.body.strip()] if notification.body.strip() else []
    url = _absolute(notification.link)
    if url:
        parts.append(url)
    return "\n\n".join(parts)


def _footer() -> str:
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    return "\n\n-- \n" + _(
        "Choisir quoi recevoir et à quel rythme : %(url)s", url=f"{base}/notifications/preferences"
    )


def _digest_body(items: list[Notification]) -> str:
    blocks = []
    for item in items:
        text = _format_one(item).replace("\n", "\n  ")
        blocks.append(f"• {item.subject}" + (f"\n  {text}" if text else ""))
    intro = _("Voici ce qui s'est passé pour vous sur la coopérative de formation :")
    return intro + "\n\n" + "\n\n".join(blocks) + _footer()


def _due_rows(
    session: Session, now: datetime, member_ids: Iterable[int] | None
) -> list[Notification]:
    query = (
        sa.select(Notification)
        .where(
            Notification.email_status.in_((EmailStatus.PENDING, EmailStatus.DIGEST)),
            Notification.email_due_at <= now,
        )
        .order_by(Notification.recipient_id, Notification.created_at, Notification.id)
        .limit(BATCH_SIZE)
        .options(joinedload(Notification.recipient))
    )
    if member_ids is not None:
        query = query.where(Notification.recipient_id.in_(list(member_ids)))
    if session.get_bind().dialect.name == "postgresql":
        # Two runners (cron and a worker) never take the same rows: no e-mail sent twice.
        query = query.with_for_update(of=Notification, skip_locked=True)
    return list(session.scalars(query).unique())


def _send(
    items: list[Notification],
    member: Member,
    subject: str,
    body: str,
    now: datetime,
    window: Window,
    report: DeliveryReport,
) -> bool:
    try:
        send_mail(member.email, subject, body)
    except Exception as error:  # SMTP errors, refused connections, timeouts: retry later
        log.warning("notification e-mail to member %s failed: %s", member.id, error)
        for item in items:
            item.email_attempts += 1
            item.email_last_error = str(error)[:500]
            if item.email_attempts >= MAX_ATTEMPTS:
                item.email_status = EmailStatus.FAILED
                item.email_due_at = None
            else:
                item.email_due_at = next_retry(now, item.email_attempts, window)
        if any(item.email_status == EmailStatus.FAILED for item in items):
            report.failed += 1
        else:
            report.retried += 1
        return False
    for item in items:
        item.email_status = EmailStatus.SENT
        item.emailed_at = now
        item.email_due_at = None
        item.email_attempts += 1
        item.email_last_error = None
        report.notified_ids.append(item.id)
    return True


def deliver_due(
    session: Session, now: datetime, *, member_ids: Iterable[int] | None = None
) -> DeliveryReport:
    """Send every e-mail due at ``now`` (optionally only for some members); flushes.

    Immediate notifications leave one by one; digest ones leave as one e-mail per member.
    Nothing leaves when ``now`` is outside the recipient's cluster working hours, even when
    due (a late cron run at 21:00 waits for the next window).
    """
    report = DeliveryReport()
    rows = _due_rows(session, now, member_ids)
    report.examined = len(rows)
    by_member: dict[int, list[Notification]] = defaultdict(list)
    for row in rows:
        by_member[row.recipient_id].append(row)
    windows: dict[int, Window] = {}
    for items in by_member.values():
        member = items[0].recipient
        if member.cluster_id not in windows:
            windows[member.cluster_id] = window_for_cluster(session, member.cluster_id)
        window = windows[member.cluster_id]
        if not in_window(now, window):
            continue
        if member.is_closed:
            for item in items:
                item.email_status, item.email_due_at = EmailStatus.NONE, None
            continue
        for item in (i for i in items if i.email_status == EmailStatus.PENDING):
            if _send(
                [item], member, item.subject, _format_one(item) + _footer(), now, window, report
            ):
                report.sent += 1
        digest = [i for i in items if i.email_status == EmailStatus.DIGEST]
        if digest:
            subject = _("Votre résumé du jour : %(count)s notification(s)", count=len(digest))
            if _send(digest, member, subject, _digest_body(digest), now, window, report):
                report.digests += 1
    session.flush()
    return report


def deliver_due_for_member(session: Session, member_id: int) -> int:
    """Send what is due now for one member (the queued job's work); flushes.

    Returns how many e-mails left (digests included).
    """
    report = deliver_due(session, utcnow(), member_ids=[member_id])
    return report.sent + report.digests
