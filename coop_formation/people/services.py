"""People services."""

from __future__ import annotations

from sqlalchemy.orm import Session

from coop_formation.people.models import Member


def set_locale(session: Session, actor: Member, lang: str) -> None:
    actor.locale = lang
    session.flush()
