"""Who may do what with introductions, relay threads and assisted use, decided here only.

Outside reach answers 404 (the object's existence does not leak); a participant who may see
the object but not act gets 403.
"""

from __future__ import annotations

from coop_formation.exchange import permissions as exchange_perms
from coop_formation.exchange.models import Need
from coop_formation.people.models import Member
from coop_formation.relations.models import Introduction, IntroductionStatus, RelayThread

INTRODUCTION_CREATE = "introduction:create"  # target: Need
INTRODUCTION_READ = "introduction:read"  # target: Introduction
INTRODUCTION_ANSWER = "introduction:answer"  # target: Introduction
INTRODUCTION_RECORD_OUTCOME = "introduction:record_outcome"  # target: Introduction
THREAD_READ = "thread:read"  # target: RelayThread
THREAD_START_ON_NEED = "thread:start_on_need"  # target: Need
MOBILITY_READ = "mobility:read"  # decided in people.mobility (author or chosen reader)


def is_company_correspondent(actor: Member, company_id: int | None) -> bool:
    """A correspondent of that company (an active account)."""
    return bool(
        actor.is_correspondent
        and not actor.is_closed
        and company_id is not None
        and actor.company_id == company_id
    )


def can_introduce(actor: Member, need: Need) -> bool:
    return is_company_correspondent(actor, need.company_id) and exchange_perms.can_read_need(
        actor, need
    )


def introduction_role(actor: Member, intro: Introduction) -> str | None:
    """'author', 'trainer', 'correspondent' or None (no business with it)."""
    if actor.id == intro.author_id:
        return "author"
    if actor.id == intro.trainer_id:
        return "trainer"
    if is_company_correspondent(actor, intro.company_id):
        return "correspondent"
    return None


def can_read_introduction(actor: Member, intro: Introduction) -> bool:
    return introduction_role(actor, intro) is not None


def can_answer_introduction(actor: Member, intro: Introduction) -> bool:
    if intro.status != IntroductionStatus.PENDING:
        return False
    return introduction_role(actor, intro) in ("author", "trainer")


def can_record_outcome(actor: Member, intro: Introduction) -> bool:
    return intro.status == IntroductionStatus.AGREED and can_read_introduction(actor, intro)


def names_shared(intro: Introduction) -> bool:
    """Names travel between author and trainer only once both said yes."""
    return intro.status == IntroductionStatus.AGREED


def author_visible_to(actor: Member, intro: Introduction) -> bool:
    """Whether ``actor`` may read who wrote the need behind ``intro``."""
    role = introduction_role(actor, intro)
    if role == "author":
        return True
    if role == "trainer":
        return names_shared(intro)
    if role == "correspondent":
        return not intro.need.anonymous or intro.author_shown_to_correspondent
    return False


def trainer_visible_to(actor: Member, intro: Introduction) -> bool:
    role = introduction_role(actor, intro)
    if role in ("trainer", "correspondent"):
        return True
    return role == "author" and names_shared(intro)


def is_thread_participant(actor: Member, thread: RelayThread) -> bool:
    return actor.id in (thread.starter_id, thread.recipient_id)


def can_start_on_need(actor: Member, need: Need) -> bool:
    return need.author_id != actor.id and exchange_perms.can_read_need(actor, need)


def recipient_hidden_from(actor: Member, thread: RelayThread) -> bool:
    """The need's anonymous author stays hidden from the other side unless they revealed."""
    return (
        thread.need is not None
        and thread.need.anonymous
        and not thread.recipient_revealed
        and actor.id != thread.recipient_id
    )
