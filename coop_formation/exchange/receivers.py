"""How the exchange reacts to what happens in the rooms below it (see ``coop_formation.events``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.exchange import closure, member_skills
from coop_formation.exchange.services import export_for_member
from coop_formation.people.models import Member


@events.member_closed.connect
def forget_skills_of_closed_member(session: Session, *, member: Member, **_: Any) -> None:
    """Declared skills leave with the person; needs and offers stay as history, anonymised."""
    member_skills.forget_declared_skills(session, member)


@events.member_closed.connect
def withdraw_exchange_of_closed_member(session: Session, *, member: Member, **_: Any) -> None:
    """Nothing stays open in the closed member's name: needs (anonymous ones too) are closed,
    offers archived, and their supports of others' needs removed."""
    closure.withdraw_needs(session, member)
    closure.archive_offers(session, member)
    closure.remove_supports(session, member)


@events.personal_data_requested.connect
def export_declared_skills(session: Session, *, member: Member, **_: Any) -> tuple[str, Any]:
    return "skills", member_skills.export_declared_skills(session, member)


@events.personal_data_requested.connect
def export_exchange_data(session: Session, *, member: Member, **_: Any) -> tuple[str, Any]:
    return "exchange", export_for_member(session, member)
