"""How notifications react to what the rooms below them report (see :mod:`coop_formation.events`).

Receivers run inside the sender's transaction: they flush, never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.notifications import closure
from coop_formation.people.models import Member


@events.personal_data_requested.connect
def notifications_data(session: Session, *, member: Member, **_: Any) -> tuple[str, dict[str, Any]]:
    """The notifications sent to the member and their delivery choices, for their export."""
    return "notifications", closure.export_for_member(session, member)
