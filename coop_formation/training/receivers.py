"""How training reacts to what the rooms below it report (see :mod:`coop_formation.events`).

Receivers run inside the sender's transaction: they flush, never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.people.models import Member
from coop_formation.training import closure


@events.member_closed.connect
def release_training_of_closed_member(session: Session, *, member: Member, **_: Any) -> None:
    """A closed account leaves its seats (reservations voided, waiting lists moving on) and
    the sessions it was to teach (back to their organiser, or cancelled if it organised them)."""
    closure.release_enrolments(session, member)
    closure.hand_back_taught_sessions(session, member)
    closure.forget_calendar_feed(session, member)


@events.personal_data_requested.connect
def training_data(session: Session, *, member: Member, **_: Any) -> tuple[str, dict[str, Any]]:
    """Enrolments, sessions taught or organised, feedback written, for the member's export."""
    return "training", closure.export_for_member(session, member)
