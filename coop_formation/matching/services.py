"""Matching services: the entry points other rooms and the views call.

Suggestions live in :mod:`.suggestions`, pools in :mod:`.pools`; this module adds consent
preferences and calls to the wider community, and re-exports the rest.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import Conflict, NotFound
from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    NeedVisibility,
    SkillRelation,
    need_skills,
)
from coop_formation.matching.models import MatchingPreference, NeedCall, Pool
from coop_formation.matching.pools import (
    CandidateGroup,
    PoolItem,
    PoolPage,
    create_pool,
    get_pool,
    list_pools,
    mark_pool_scheduled,
    plan_pool_session,
    pool_candidates,
    pool_for_session,
    pool_page,
)
from coop_formation.matching.suggestions import (
    Suggestion,
    get_need_for_suggestions,
    rank_for_need,
    suggestions_for_need,
)
from coop_formation.notifications.services import notify
from coop_formation.people.models import Member

AVAILABILITY_MAX = 300
MAX_CALL_RECIPIENTS = 200


def preference_for(session: Session, actor: Member) -> MatchingPreference:
    """The actor's consent flags (a transient all-False row when never set: opt-in)."""
    found = session.get(MatchingPreference, actor.id)
    return found or MatchingPreference(
        member_id=actor.id, suggest_me=False, accept_calls=False, availability=""
    )


def set_preference(
    session: Session, actor: Member, *, suggest_me: bool, accept_calls: bool, availability: str
) -> MatchingPreference:
    """Record the actor's own choice (nobody else may set it)."""
    pref = session.get(MatchingPreference, actor.id)
    if pref is None:
        pref = MatchingPreference(member_id=actor.id)
        session.add(pref)
    pref.suggest_me = bool(suggest_me)
    pref.accept_calls = bool(accept_calls)
    pref.availability = " ".join((availability or "").split())[:AVAILABILITY_MAX]
    session.flush()
    return pref


def get_need_for_call(session: Session, actor: Member, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None:
        raise NotFound()
    authz.require(actor, Permission.CALL_OPEN, need)
    return need


def open_call(session: Session, actor: Member, need_id: int) -> NeedCall:
    """Open a company need to the cluster and tell fitting, opted-in trainers (never who asks).

    Recipients: members of the cluster who declared CAN_TEACH one of the need's skills and
    accepted calls, except the author; the notice names the need, not its author.
    """
    need = get_need_for_call(session, actor, need_id)
    if session.scalar(sa.select(NeedCall.id).where(NeedCall.need_id == need.id)) is not None:
        raise Conflict(_("Un appel a déjà été lancé pour ce besoin."))
    need.visibility = NeedVisibility.CLUSTER
    recipients = list(
        session.scalars(
            sa.select(Member)
            .join(MatchingPreference, MatchingPreference.member_id == Member.id)
            .where(
                MatchingPreference.accept_calls.is_(True),
                Member.cluster_id == need.cluster_id,
                Member.closed_at.is_(None),
                Member.id != need.author_id,
                Member.id.in_(
                    sa.select(MemberSkill.member_id)
                    .join(need_skills, need_skills.c.skill_id == MemberSkill.skill_id)
                    .where(
                        need_skills.c.need_id == need.id,
                        MemberSkill.relation == SkillRelation.CAN_TEACH,
                    )
                ),
            )
            .order_by(Member.id)
            .limit(MAX_CALL_RECIPIENTS)
        )
    )
    call = NeedCall(need_id=need.id, opened_by_id=actor.id, notified=len(recipients))
    session.add(call)
    for member in recipients:
        notify(
            session,
            recipient=member,
            kind="call_for_trainers",
            subject=_("Appel à la grappe : « %(t)s »", t=need.title),
            body=_(
                "Un besoin de formation cherche quelqu'un pour transmettre une compétence que "
                "vous avez déclarée. Si vous pouvez aider, proposez une offre ou répondez au "
                "correspondant formation."
            ),
            link=f"/needs/{need.id}",
        )
    session.flush()
    return call


def call_state(session: Session, actor: Member, need: Need) -> dict[str, bool]:
    """For a need page: may the actor open a call, and was one already opened."""
    called = session.scalar(sa.select(NeedCall.id).where(NeedCall.need_id == need.id)) is not None
    return {
        "called": called,
        "can_call": not called and authz.can(actor, Permission.CALL_OPEN, need),
        "can_see_suggestions": authz.can(actor, Permission.SUGGESTIONS_READ, need),
    }


__all__ = [
    "CandidateGroup",
    "MatchingPreference",
    "NeedCall",
    "Pool",
    "PoolItem",
    "PoolPage",
    "Suggestion",
    "call_state",
    "create_pool",
    "get_need_for_call",
    "get_need_for_suggestions",
    "get_pool",
    "list_pools",
    "mark_pool_scheduled",
    "open_call",
    "plan_pool_session",
    "pool_candidates",
    "pool_for_session",
    "pool_page",
    "preference_for",
    "rank_for_need",
    "set_preference",
    "suggestions_for_need",
]
