"""How the currency reacts to what other rooms report (connected at import by ``create_app``).

Receivers run inside the sender's transaction: they flush, never commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coop_formation import events
from coop_formation.ledger import closure
from coop_formation.ledger.wallet import grant_welcome

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coop_formation.people.models import Member


@events.member_activated.connect
def grant_welcome_on_activation(session: Session, *, member: Member, **_: Any) -> None:
    """A member of a company receives the fund's welcome grant when their account becomes
    active; idempotent, so an activation reported twice still grants once."""
    if member.company_id is not None:
        grant_welcome(session, member)


@events.personal_data_requested.connect
def wallet_data(session: Session, *, member: Member, **_: Any) -> tuple[str, Any]:
    """The member's account, balance and transfers, for their export (creates nothing)."""
    return "wallet", closure.export_for_member(session, member)
