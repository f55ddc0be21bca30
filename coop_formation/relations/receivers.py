"""How relations reacts to other rooms' events (inside the sender's transaction; flushes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.people.models import Member
from coop_formation.relations import services


@events.member_closed.connect
def withdraw_consents_of_closed_member(session: Session, *, member: Member, **_: Any) -> None:
    """A closed account's consents to be helped end: nobody may act for them any more."""
    services.withdraw_all_consents(session, member)


@events.personal_data_requested.connect
def relations_data(session: Session, *, member: Member, **_: Any) -> tuple[str, dict[str, Any]]:
    """The member's introductions, threads, consents and assisted actions, for their export."""
    return "relations", services.export_for_member(session, member)
