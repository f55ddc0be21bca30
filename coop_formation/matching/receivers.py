"""How matching reacts to what the rooms below it report (see :mod:`coop_formation.events`).

Receivers run inside the sender's transaction: they flush, never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.matching import closure
from coop_formation.people.models import Member


@events.member_closed.connect
def end_matching_of_closed_member(session: Session, *, member: Member, **_: Any) -> None:
    """A closed account's needs leave the open pools; it is neither suggested nor called."""
    closure.leave_open_pools(session, member)
    closure.forget_preferences(session, member)


@events.personal_data_requested.connect
def matching_data(session: Session, *, member: Member, **_: Any) -> tuple[str, dict[str, Any]]:
    """Matching consents and pools, for the member's export."""
    return "matching", closure.export_for_member(session, member)
