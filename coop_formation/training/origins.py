"""Starting points for a new session that belong to rooms above training.

A session is planned from an offer or a need (the exchange, below training), or from an
origin a room above registers here at import: matching registers its pools of similar
needs. The new-session page names an origin by its query argument
(``/sessions/nouvelle?pool=3``), so training never imports the room that owns it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from coop_formation.people.models import Member
from coop_formation.training.models import TrainingSession
from coop_formation.training.sessions import SessionInput

#: Query arguments the new-session page already reads itself.
_TAKEN = frozenset({"offre", "besoin"})


@dataclass(frozen=True)
class SessionOrigin:
    """How the new-session page plans a session from another room's object.

    ``load(session, actor, id)`` returns the object or raises (404, 403, 409);
    ``plan(session, actor, obj, data)`` creates the session (through
    :func:`coop_formation.training.services.create_session`) and does the owning room's
    bookkeeping in the same transaction. The trainer is chosen on the form, as for a need.
    ``title`` gives the form's default title, ``lead`` the sentence above the form.
    """

    arg: str
    load: Callable[[Session, Member, int], Any]
    plan: Callable[[Session, Member, Any, SessionInput], TrainingSession]
    title: Callable[[Any], str]
    lead: Callable[[Any], str]


_ORIGINS: dict[str, SessionOrigin] = {}


def register_origin(origin: SessionOrigin) -> SessionOrigin:
    """Make ``?<origin.arg>=<id>`` a starting point of the new-session page."""
    existing = _ORIGINS.get(origin.arg)
    if origin.arg in _TAKEN or (existing is not None and existing != origin):
        raise RuntimeError(f"the query argument {origin.arg!r} already names a session origin")
    _ORIGINS[origin.arg] = origin
    return origin


def registered_origins() -> tuple[SessionOrigin, ...]:
    return tuple(_ORIGINS.values())
