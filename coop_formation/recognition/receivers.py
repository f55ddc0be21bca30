"""What recognition does when a room below it reports something (:mod:`coop_formation.events`).

Receivers run inside the sender's transaction: they flush, never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.people.models import Member
from coop_formation.recognition.awarding import award_for_settled_session
from coop_formation.recognition.holder import export_badges
from coop_formation.training.models import TrainingSession


@events.session_settled.connect
def award_badges_for_settled_session(
    session: Session, *, training_session: TrainingSession, **_: Any
) -> None:
    """A settled session awards its badges (idempotent: a second settlement awards nothing)."""
    award_for_settled_session(session, training_session=training_session)


@events.personal_data_requested.connect
def export_badges_of_member(session: Session, *, member: Member, **_: Any) -> tuple[str, Any]:
    """The member's export holds the badges issued to them and those they imported."""
    return "badges", export_badges(session, member)
