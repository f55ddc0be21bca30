"""What the notifications room holds on a member, for their export (read only).

The notifications are exported as they were sent to the member: their wording never names
an anonymous supporter (see :mod:`.events`), and nothing addressed to anyone else is read.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.db import iso_or_none
from coop_formation.notifications.models import Notification, NotificationPreference
from coop_formation.people.models import Member


def export_for_member(session: Session, member: Member) -> dict[str, Any]:
    """The member's notifications (oldest first) and their delivery choices."""
    notifications = session.scalars(
        sa.select(Notification)
        .where(Notification.recipient_id == member.id)
        .order_by(Notification.created_at, Notification.id)
    ).all()
    preferences = session.scalars(
        sa.select(NotificationPreference)
        .where(NotificationPreference.member_id == member.id)
        .order_by(NotificationPreference.kind)
    ).all()
    return {
        "received": [
            {
                "id": row.id,
                "kind": row.kind,
                "subject": row.subject,
                "body": row.body,
                "link": row.link,
                "created_at": iso_or_none(row.created_at),
                "read_at": iso_or_none(row.read_at),
                "email_status": row.email_status.value,
                "emailed_at": iso_or_none(row.emailed_at),
            }
            for row in notifications
        ],
        "preferences": [
            {
                "kind": row.kind,
                "email_enabled": row.email_enabled,
                "frequency": row.frequency.value,
            }
            for row in preferences
        ],
    }
