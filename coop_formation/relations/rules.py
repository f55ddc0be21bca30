"""Who may do what with introductions and relay threads, and who may read whose name.

Registered in the permission registry (:mod:`coop_formation.authz`). Outside reach answers
404 (the object's existence does not leak); a participant who may see the object but not act
gets 403. Anonymity: an introduction shares the author's and the trainer's names only once
both said yes (an anonymous author stays unnamed to the correspondent unless they chose
otherwise); in a relay thread about an anonymous need, the author stays unnamed to the other
side until they reveal themselves in that thread.
"""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation import authz
from coop_formation.authz import Decision, Permission, rule, scope_rule
from coop_formation.exchange.models import Need
from coop_formation.people.models import Member
from coop_formation.relations.models import (
    Introduction,
    IntroductionStatus,
    RelayThread,
    ThreadKind,
)

AUTHOR, TRAINER, CORRESPONDENT = "author", "trainer", "correspondent"


def is_company_correspondent(actor: Member, company_id: int | None) -> bool:
    """A correspondent of that company (an active account)."""
    return bool(
        actor.is_correspondent
        and not actor.is_closed
        and company_id is not None
        and actor.company_id == company_id
    )


def introduction_role(actor: Member, intro: Introduction) -> str | None:
    """'author', 'trainer', 'correspondent' or None (no business with it)."""
    if actor.id == intro.author_id:
        return AUTHOR
    if actor.id == intro.trainer_id:
        return TRAINER
    if is_company_correspondent(actor, intro.company_id):
        return CORRESPONDENT
    return None


def names_shared(intro: Introduction) -> bool:
    """Names travel between author and trainer only once both said yes."""
    return intro.status == IntroductionStatus.AGREED


@rule(Permission.INTRODUCTION_CREATE)
def may_introduce(actor: Member, need: Need) -> Decision:
    """A correspondent of the need's company who may read the need."""
    if is_company_correspondent(actor, need.company_id) and authz.can(
        actor, Permission.NEED_READ, need
    ):
        return Decision.ALLOWED
    return Decision.HIDDEN


@rule(Permission.INTRODUCTION_READ)
def may_read_introduction(actor: Member, intro: Introduction) -> Decision:
    return Decision.ALLOWED if introduction_role(actor, intro) else Decision.HIDDEN


@scope_rule(Permission.INTRODUCTION_READ)
def readable_introductions(actor: Member) -> sa.ColumnElement[bool]:
    """Those the actor takes part in, and those of their company for a correspondent."""
    condition = sa.or_(Introduction.author_id == actor.id, Introduction.trainer_id == actor.id)
    if actor.is_correspondent and actor.company_id is not None:
        condition = sa.or_(condition, Introduction.company_id == actor.company_id)
    return condition


@rule(Permission.INTRODUCTION_ANSWER)
def may_answer_introduction(actor: Member, intro: Introduction) -> bool:
    """The author or the trainer, while the introduction waits for answers."""
    if intro.status != IntroductionStatus.PENDING:
        return False
    return introduction_role(actor, intro) in (AUTHOR, TRAINER)


@rule(Permission.INTRODUCTION_RECORD_OUTCOME)
def may_record_outcome(actor: Member, intro: Introduction) -> bool:
    return intro.status == IntroductionStatus.AGREED and introduction_role(actor, intro) is not None


@rule(Permission.INTRODUCTION_SEE_AUTHOR)
def may_see_author(actor: Member, intro: Introduction) -> bool:
    """Whether ``actor`` may read who wrote the need behind ``intro``."""
    role = introduction_role(actor, intro)
    if role == AUTHOR:
        return True
    if role == TRAINER:
        return names_shared(intro)
    if role == CORRESPONDENT:
        return not intro.need.anonymous or intro.author_shown_to_correspondent
    return False


@rule(Permission.INTRODUCTION_SEE_TRAINER)
def may_see_trainer(actor: Member, intro: Introduction) -> bool:
    role = introduction_role(actor, intro)
    if role in (TRAINER, CORRESPONDENT):
        return True
    return role == AUTHOR and names_shared(intro)


@rule(Permission.THREAD_READ)
def may_read_thread(actor: Member, thread: RelayThread) -> Decision:
    if actor.id in (thread.starter_id, thread.recipient_id):
        return Decision.ALLOWED
    return Decision.HIDDEN


@scope_rule(Permission.THREAD_READ)
def readable_threads(actor: Member) -> sa.ColumnElement[bool]:
    return sa.or_(RelayThread.starter_id == actor.id, RelayThread.recipient_id == actor.id)


@rule(Permission.THREAD_START_ON_NEED)
def may_start_on_need(actor: Member, need: Need) -> Decision:
    """Anyone who may read the need, except its author, may write to its author."""
    if need.author_id != actor.id and authz.can(actor, Permission.NEED_READ, need):
        return Decision.ALLOWED
    return Decision.HIDDEN


# Asked about the other side of a thread too (a closed account still must not learn a name),
# hence open to every actor.
@rule(Permission.THREAD_SEE_RECIPIENT, anonymous=True)
def may_see_recipient(actor: Member | None, thread: RelayThread) -> bool:
    """The anonymous author of the thread's need stays unnamed unless they revealed."""
    hidden = (
        thread.need is not None
        and thread.need.anonymous
        and not thread.recipient_revealed
        and (actor is None or actor.id != thread.recipient_id)
    )
    return not hidden


@rule(Permission.THREAD_REVEAL)
def may_reveal(actor: Member, thread: RelayThread) -> bool:
    """The recipient of a thread about a need may show their name in it."""
    return actor.id == thread.recipient_id and thread.kind == ThreadKind.NEED
