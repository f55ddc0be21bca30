"""Relations services: the one entry point for views and other domains.

Behaviour lives in :mod:`.introductions`, :mod:`.relay` and :mod:`.assisted`; this module
re-exports it and adds the member's export of their own relations data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coop_formation.db import iso_or_none
from coop_formation.people.models import Member
from coop_formation.relations.assisted import (
    actions_for,
    assisted_members,
    consents_of,
    create_need_for,
    create_offer_for,
    enrol_for,
    give_consent,
    require_consent,
    session_for,
    upcoming_sessions_for,
    withdraw_all_consents,
    withdraw_consent,
)
from coop_formation.relations.introductions import (
    IntroductionView,
    answer_introduction,
    candidate_offers,
    introduce,
    list_introductions,
    load_need_for_introduction,
    need_author_name,
    record_outcome,
    view_introduction,
)
from coop_formation.relations.models import RelayThread
from coop_formation.relations.relay import (
    correspondents_of,
    display_name_in,
    get_thread,
    hidden_from_other_side,
    list_threads,
    load_need_for_writing,
    other_side,
    reply,
    reveal_identity,
    thread_messages,
    write_about_need,
    write_to_correspondent,
)

__all__ = [
    "IntroductionView",
    "actions_for",
    "answer_introduction",
    "assisted_members",
    "candidate_offers",
    "consents_of",
    "correspondents_of",
    "create_need_for",
    "create_offer_for",
    "display_name_in",
    "enrol_for",
    "export_for_member",
    "get_thread",
    "give_consent",
    "hidden_from_other_side",
    "introduce",
    "list_introductions",
    "list_threads",
    "load_need_for_introduction",
    "load_need_for_writing",
    "need_author_name",
    "other_side",
    "record_outcome",
    "reply",
    "require_consent",
    "reveal_identity",
    "session_for",
    "thread_messages",
    "upcoming_sessions_for",
    "view_introduction",
    "withdraw_all_consents",
    "withdraw_consent",
    "write_about_need",
    "write_to_correspondent",
]


def export_for_member(session: Session, member: Member) -> dict[str, Any]:
    """The member's relations data: their introductions, threads, consents and the action log.

    Others appear only as the member may see them (an anonymous need's author stays anonymous).
    """
    intros = [
        {
            "id": view.intro.id,
            "role": view.role,
            "need_title": view.intro.need.title,
            "offer_title": view.intro.offer.title if view.intro.offer else None,
            "status": view.intro.status.value,
            "my_answer": view.my_answer.value if view.my_answer else None,
            "author": view.author_name,
            "trainer": view.trainer_name,
            "outcome": view.intro.outcome.value if view.intro.outcome else None,
            "created_at": iso_or_none(view.intro.created_at),
        }
        for view in list_introductions(session, member)
        if view.role in ("author", "trainer")
    ]
    threads = []
    for line in list_threads(session, member):
        thread: RelayThread = line.thread
        threads.append(
            {
                "id": thread.id,
                "kind": thread.kind.value,
                "subject": thread.subject,
                "with": line.other_name,
                "messages": [
                    {
                        "from": shown.sender_name,
                        "body": shown.body,
                        "sent_at": iso_or_none(shown.created_at),
                    }
                    for shown in thread_messages(thread, member)
                ],
            }
        )
    consents = [
        {
            "correspondent": consent.correspondent.display_name,
            "given_at": iso_or_none(consent.given_at),
            "withdrawn_at": iso_or_none(consent.withdrawn_at),
        }
        for consent in consents_of(session, member)
    ]
    actions = [
        {
            "by": action.correspondent.display_name,
            "action": action.action.value,
            "object_type": action.object_type,
            "object_id": action.object_id,
            "label": action.label,
            "at": iso_or_none(action.created_at),
        }
        for action in actions_for(session, member)
    ]
    return {
        "introductions": intros,
        "relay_threads": threads,
        "assisted_use_consents": consents,
        "assisted_actions": actions,
    }
