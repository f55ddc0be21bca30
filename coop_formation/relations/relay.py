"""Relay messages: members and their correspondents, and anyone and a need's author.

An anonymous need's author answers under "Auteur anonyme du besoin « … »" unless they
reveal themselves for that thread. No read receipts are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Forbidden, InvalidInput, NotFound
from coop_formation.exchange.models import Need
from coop_formation.notifications.services import notify
from coop_formation.people.models import Member
from coop_formation.relations.models import RelayMessage, RelayThread, ThreadKind

BODY_MAX = 5000


def correspondents_of(session: Session, actor: Member) -> list[Member]:
    """The correspondents of the actor's company the actor may write to (not themself)."""
    if actor.company_id is None:
        return []
    return list(
        session.scalars(
            sa.select(Member)
            .where(
                Member.company_id == actor.company_id,
                Member.is_correspondent.is_(True),
                Member.closed_at.is_(None),
                Member.id != actor.id,
            )
            .order_by(Member.display_name)
        )
    )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Écrivez un message."), field="body")
    if len(body) > BODY_MAX:
        raise InvalidInput(_("Le message est trop long (5 000 caractères au plus)."), field="body")
    return body


def _add_message(session: Session, thread: RelayThread, sender: Member, body: str) -> RelayMessage:
    message = RelayMessage(thread_id=thread.id, sender_id=sender.id, body=body)
    session.add(message)
    thread.last_message_at = utcnow()
    session.flush()
    other = thread.recipient if sender.id == thread.starter_id else thread.starter
    if not other.is_closed:
        notify(
            session,
            recipient=other,
            kind="relay_message",
            subject=_("Nouveau message : %(s)s", s=thread.subject),
            link=f"/messages/{thread.id}",
        )
    return message


def write_to_correspondent(
    session: Session, actor: Member, correspondent_id: int, body: str
) -> RelayThread:
    """Open (or continue) the actor's thread with one correspondent of their company."""
    correspondent = session.get(Member, correspondent_id) if correspondent_id else None
    if correspondent is None or correspondent not in correspondents_of(session, actor):
        raise InvalidInput(_("Choisissez un correspondant de la liste."), field="correspondent_id")
    body = _clean_body(body)
    thread = session.scalars(
        sa.select(RelayThread).where(
            RelayThread.kind == ThreadKind.CORRESPONDENT,
            RelayThread.starter_id == actor.id,
            RelayThread.recipient_id == correspondent.id,
        )
    ).first()
    if thread is None:
        thread = RelayThread(
            cluster_id=actor.cluster_id,
            kind=ThreadKind.CORRESPONDENT,
            starter_id=actor.id,
            correspondent_id=correspondent.id,
            recipient_id=correspondent.id,
            subject=_("Échange avec votre correspondant formation"),
            recipient_revealed=True,
        )
        session.add(thread)
        session.flush()
    _add_message(session, thread, actor, body)
    return thread


def load_need_for_writing(session: Session, actor: Member, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None or not authz.can(actor, Permission.THREAD_START_ON_NEED, need):
        raise NotFound()
    return need


def write_about_need(session: Session, actor: Member, need_id: int, body: str) -> RelayThread:
    """Write to a need's author through the relay (the author's identity is not handed over)."""
    need = load_need_for_writing(session, actor, need_id)
    body = _clean_body(body)
    thread = session.scalars(
        sa.select(RelayThread).where(
            RelayThread.kind == ThreadKind.NEED,
            RelayThread.starter_id == actor.id,
            RelayThread.need_id == need.id,
        )
    ).first()
    if thread is None:
        thread = RelayThread(
            cluster_id=need.cluster_id,
            kind=ThreadKind.NEED,
            starter_id=actor.id,
            need_id=need.id,
            recipient_id=need.author_id,
            subject=_("Besoin « %(t)s »", t=need.title)[:200],
            recipient_revealed=not need.anonymous,
        )
        session.add(thread)
        session.flush()
    _add_message(session, thread, actor, body)
    return thread


def get_thread(session: Session, actor: Member, thread_id: int) -> RelayThread:
    thread = session.get(RelayThread, thread_id)
    if thread is None or not authz.can(actor, Permission.THREAD_READ, thread):
        raise NotFound()
    return thread


def reply(session: Session, actor: Member, thread_id: int, body: str) -> RelayMessage:
    thread = get_thread(session, actor, thread_id)
    if thread.starter.is_closed or thread.recipient.is_closed:
        raise Forbidden(_("Cette conversation est close."))
    return _add_message(session, thread, actor, _clean_body(body))


def reveal_identity(session: Session, actor: Member, thread_id: int) -> RelayThread:
    """The anonymous author chooses to show their name in this one thread."""
    thread = get_thread(session, actor, thread_id)
    authz.require(actor, Permission.THREAD_REVEAL, thread)
    thread.recipient_revealed = True
    session.flush()
    return thread


def display_name_in(thread: RelayThread, member_id: int, viewer: Member) -> str:
    """How ``member_id`` is named to ``viewer`` in ``thread``."""
    if member_id == viewer.id:
        return _("Vous")
    member = thread.starter if member_id == thread.starter_id else thread.recipient
    if (
        member_id == thread.recipient_id
        and thread.need is not None
        and not authz.can(viewer, Permission.THREAD_SEE_RECIPIENT, thread)
    ):
        return _("Auteur anonyme du besoin « %(t)s »", t=thread.need.title)
    return member.display_name


def other_side(thread: RelayThread, viewer: Member) -> Member:
    """The person ``viewer`` talks to in ``thread``."""
    return thread.recipient if viewer.id == thread.starter_id else thread.starter


def hidden_from_other_side(thread: RelayThread, viewer: Member) -> bool:
    """Whether ``viewer`` writes unnamed: they are the thread's anonymous recipient and the
    other side may not see who they are (they may still reveal themselves)."""
    return viewer.id == thread.recipient_id and not authz.can(
        other_side(thread, viewer), Permission.THREAD_SEE_RECIPIENT, thread
    )


@dataclass
class ThreadLine:
    thread: RelayThread
    other_name: str
    last_message_at: datetime


@dataclass
class ShownMessage:
    sender_name: str
    mine: bool
    body: str
    created_at: datetime


def list_threads(session: Session, actor: Member) -> list[ThreadLine]:
    rows = session.scalars(
        sa.select(RelayThread)
        .where(authz.scope(actor, Permission.THREAD_READ))
        .options(
            selectinload(RelayThread.starter),
            selectinload(RelayThread.recipient),
            selectinload(RelayThread.need),
        )
        .order_by(RelayThread.last_message_at.desc(), RelayThread.id.desc())
    )
    lines = []
    for thread in rows:
        other = other_side(thread, actor)
        lines.append(
            ThreadLine(thread, display_name_in(thread, other.id, actor), thread.last_message_at)
        )
    return lines


def thread_messages(thread: RelayThread, viewer: Member) -> list[ShownMessage]:
    return [
        ShownMessage(
            sender_name=display_name_in(thread, message.sender_id, viewer),
            mine=message.sender_id == viewer.id,
            body=message.body,
            created_at=message.created_at,
        )
        for message in thread.messages
    ]
