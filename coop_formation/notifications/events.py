"""Notifications for other domains' events, worded in one place.

Each other domain calls one function here from its service (inside its own transaction).
Privacy rule kept here: a supporter who joined a need anonymously is never named.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation.notifications.services import notify
from coop_formation.people.models import Member


def badges_received(session: Session, credentials: Iterable[Any]) -> None:
    """Tell each recipient that a badge was awarded to them."""
    for credential in credentials:
        name = credential.achievement.name
        notify(
            session,
            recipient=credential.recipient,
            kind="badge_received",
            subject=_("Vous avez reçu un badge : %(name)s", name=name)[:200],
            body=_(
                "Le badge « %(name)s » vous a été décerné. Vous choisissez s'il est public.",
                name=name,
            ),
            link=f"/credentials/{credential.public_id}",
        )


def session_cancelled(session: Session, training_session: Any, member: Member) -> None:
    notify(
        session,
        recipient=member,
        kind="session_changed",
        subject=_("Session annulée : %(title)s", title=training_session.title)[:200],
        body=_("La session est annulée ; le montant réservé vous est rendu.")
        + (f"\n\n{training_session.cancelled_reason}" if training_session.cancelled_reason else ""),
        link=f"/sessions/{training_session.id}",
    )


def seat_promoted(session: Session, training_session: Any, member: Member) -> None:
    notify(
        session,
        recipient=member,
        kind="session_changed",
        subject=_("Une place s'est libérée : %(title)s", title=training_session.title)[:200],
        body=_("Une place s'est libérée et vous est attribuée."),
        link=f"/sessions/{training_session.id}",
    )


def need_joined(session: Session, need: Any, supporter: Member, anonymous: bool) -> None:
    """Tell the need's author someone said "moi aussi" — by name only if not anonymous."""
    if need.author is None or need.author_id == supporter.id:
        return
    if anonymous:
        body = _("Une personne (anonyme) a le même besoin que vous.")
    else:
        body = _("%(name)s a le même besoin que vous.", name=supporter.public_name)
    notify(
        session,
        recipient=need.author,
        kind="need_joined",
        subject=_("« Moi aussi » sur votre besoin : %(title)s", title=need.title)[:200],
        body=body,
        link=f"/needs/{need.id}",
    )
