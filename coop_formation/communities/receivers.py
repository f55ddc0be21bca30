"""How communities react to what the rooms below them report (see :mod:`coop_formation.events`).

Receivers run inside the sender's transaction: they flush, never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.communities import closure
from coop_formation.people.models import Member


@events.member_closed.connect
def end_community_memberships(session: Session, *, member: Member, **_: Any) -> None:
    """A closed account belongs to no community any more; its posts stay, anonymised."""
    closure.end_memberships(session, member)


@events.personal_data_requested.connect
def communities_data(session: Session, *, member: Member, **_: Any) -> tuple[str, dict[str, Any]]:
    """Memberships, posts and shared resources, for the member's export."""
    return "communities", closure.export_for_member(session, member)
