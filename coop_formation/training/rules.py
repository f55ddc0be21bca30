"""Who may do what with sessions, venues and feedback, registered in :mod:`coop_formation.authz`.

Sessions are cluster-wide (the public agenda): a session of another cluster is hidden
(404) from everyone, so nothing leaks across clusters; the list twin of ``session:read``
is the ``scope_rule`` below.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from coop_formation.authz import Decision, Permission, rule, scope_rule
from coop_formation.exchange.models import Need, NeedVisibility, Offer
from coop_formation.people.models import Member
from coop_formation.training.models import TrainingSession


def _in_cluster(actor: Member, target: Any) -> bool:
    return isinstance(target, TrainingSession) and target.cluster_id == actor.cluster_id


def _runs(actor: Member, session: TrainingSession) -> bool:
    """The trainer and the organiser run a session (and so see who takes part)."""
    return actor.id in (session.trainer_id, session.organiser_id)


def _oversees(actor: Member, session: TrainingSession) -> bool:
    """Besides those who run it: the trainer company's correspondents and the coop admins."""
    if actor.is_admin:
        return True
    trainer_company = session.trainer.company_id if session.trainer else None
    return bool(actor.is_correspondent and trainer_company and actor.company_id == trainer_company)


@rule(Permission.SESSION_READ)
def read_session(actor: Member, session: Any) -> Decision:
    return Decision.ALLOWED if _in_cluster(actor, session) else Decision.HIDDEN


@scope_rule(Permission.SESSION_READ)
def sessions_readable(actor: Member) -> sa.ColumnElement[bool]:
    return TrainingSession.cluster_id == actor.cluster_id


@rule(Permission.SESSION_ENROL)
def enrol_in_session(actor: Member, session: Any) -> bool:
    """Learners are employees of a company; the trainer does not pay to teach."""
    return (
        _in_cluster(actor, session)
        and actor.company_id is not None
        and actor.id != session.trainer_id
    )


@rule(Permission.SESSION_TAKE_ATTENDANCE, Permission.SESSION_PARTICIPANTS_READ)
def run_session(actor: Member, session: Any) -> bool:
    return _in_cluster(actor, session) and _runs(actor, session)


@rule(Permission.SESSION_SETTLE, Permission.SESSION_CANCEL)
def settle_or_cancel_session(actor: Member, session: Any) -> bool:
    return _in_cluster(actor, session) and (_runs(actor, session) or _oversees(actor, session))


@rule(Permission.FEEDBACK_READ)
def read_feedback(actor: Member, session: Any) -> bool:
    """Learners' words are for the trainer alone."""
    return _in_cluster(actor, session) and actor.id == session.trainer_id


@rule(Permission.SESSION_CREATE_FROM_OFFER)
def plan_from_offer(actor: Member, offer: Any) -> bool:
    """The offer's trainer, a correspondent or a coop admin of the offer's cluster."""
    if not isinstance(offer, Offer) or offer.cluster_id != actor.cluster_id:
        return False
    return bool(actor.id == offer.trainer_id or actor.is_correspondent or actor.is_admin)


@rule(Permission.SESSION_CREATE_FROM_NEED)
def plan_from_need(actor: Member, need: Any) -> bool:
    """A coop admin, or a correspondent of the need's company (or of any company when the
    need is visible to the whole cluster)."""
    if not isinstance(need, Need) or need.cluster_id != actor.cluster_id:
        return False
    if actor.is_admin:
        return True
    if not actor.is_correspondent:
        return False
    return actor.company_id == need.company_id or need.visibility == NeedVisibility.CLUSTER


@rule(Permission.VENUE_MANAGE)
def manage_venues(actor: Member, target: Any = None) -> bool:
    """Venues of the actor's cluster are managed by correspondents and coop admins."""
    return bool(actor.is_admin or actor.is_correspondent)
