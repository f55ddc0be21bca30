"""Who may do what with sessions, venues and feedback: decided here and nowhere else.

Sessions are cluster-wide (the public agenda); everything outside the actor's cluster is
answered as "not found" by the services so that nothing leaks across clusters.
"""

from __future__ import annotations

from coop_formation.exchange.models import Need, NeedVisibility, Offer
from coop_formation.people.models import Member
from coop_formation.training.models import TrainingSession

SESSION_READ = "session:read"
SESSION_CREATE_FROM_OFFER = "session:create-from-offer"
SESSION_CREATE_FROM_NEED = "session:create-from-need"
SESSION_ENROL = "session:enrol"
SESSION_TAKE_ATTENDANCE = "session:take-attendance"
SESSION_SETTLE = "session:settle"
SESSION_CANCEL = "session:cancel"
SESSION_PARTICIPANTS_READ = "session:participants-read"
FEEDBACK_READ = "session:feedback-read"
VENUE_MANAGE = "venue:manage"


def _same_cluster(actor: Member, cluster_id: int) -> bool:
    return actor.cluster_id == cluster_id


def _runs(actor: Member, session: TrainingSession) -> bool:
    """The trainer and the organiser run a session (and so see who takes part)."""
    return actor.id in (session.trainer_id, session.organiser_id)


def _oversees(actor: Member, session: TrainingSession) -> bool:
    """Besides those who run it: the trainer company's correspondents and the coop admins."""
    if actor.is_admin:
        return True
    trainer_company = session.trainer.company_id if session.trainer else None
    return bool(actor.is_correspondent and trainer_company and actor.company_id == trainer_company)


def can(actor: Member, permission: str, target: object | None = None) -> bool:
    """True when ``actor`` holds ``permission`` on ``target`` (a session, offer or need)."""
    if actor is None or getattr(actor, "is_closed", False):
        return False
    if permission == VENUE_MANAGE:
        return bool(actor.is_admin or actor.is_correspondent)
    if isinstance(target, Offer):
        if permission != SESSION_CREATE_FROM_OFFER or not _same_cluster(actor, target.cluster_id):
            return False
        return actor.id == target.trainer_id or actor.is_correspondent or actor.is_admin
    if isinstance(target, Need):
        if permission != SESSION_CREATE_FROM_NEED or not _same_cluster(actor, target.cluster_id):
            return False
        if actor.is_admin:
            return True
        if not actor.is_correspondent:
            return False
        return actor.company_id == target.company_id or target.visibility == NeedVisibility.CLUSTER
    if not isinstance(target, TrainingSession) or not _same_cluster(actor, target.cluster_id):
        return False
    if permission == SESSION_READ:
        return True
    if permission == SESSION_ENROL:
        # Learners are employees of a company; the trainer does not pay to teach.
        return actor.company_id is not None and actor.id != target.trainer_id
    if permission in (SESSION_TAKE_ATTENDANCE, SESSION_PARTICIPANTS_READ):
        return _runs(actor, target)
    if permission in (SESSION_SETTLE, SESSION_CANCEL):
        return _runs(actor, target) or _oversees(actor, target)
    if permission == FEEDBACK_READ:
        return actor.id == target.trainer_id
    return False
