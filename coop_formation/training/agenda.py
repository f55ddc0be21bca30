"""Agendas (the cluster's and a member's own), calendar feed tokens, trainer time, feedback.

Reading only, except for feed tokens and feedback. Nothing here ranks or scores anyone.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz, paging
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Forbidden, InvalidInput
from coop_formation.paging import Page
from coop_formation.people.models import Member
from coop_formation.training.models import (
    CalendarFeedToken,
    Enrollment,
    EnrollmentStatus,
    SessionFeedback,
    SessionStatus,
    TrainerConsent,
    TrainingSession,
)
from coop_formation.training.sessions import seats_taken_by_session

PER_PAGE = 20
FEEDBACK_MAX = 5000


@dataclass
class AgendaEntry:
    session: TrainingSession
    seats_left: int
    role: str = ""  # "trainer", "enrolled", "waitlisted", "attended", "no_show" on my agenda


def _with_details(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        selectinload(TrainingSession.slots),
        selectinload(TrainingSession.venue),
        selectinload(TrainingSession.trainer),
    )


def _entries(
    session: Session, sessions: list[TrainingSession], roles: dict[int, str] | None = None
) -> list[AgendaEntry]:
    taken = seats_taken_by_session(session, [s.id for s in sessions])
    roles = roles or {}
    return [
        AgendaEntry(s, max(0, s.capacity - taken.get(s.id, 0)), roles.get(s.id, ""))
        for s in sessions
    ]


def public_agenda(
    session: Session, *, actor: Member, page: int = 1, now: datetime | None = None
) -> Page[AgendaEntry]:
    """Upcoming sessions of the actor's cluster (cancelled ones shown as such), soonest first."""
    now = now or utcnow()
    number, per_page = paging.clamp(page, PER_PAGE)
    where = (
        authz.scope(actor, Permission.SESSION_READ),
        TrainingSession.ends_at >= now,
        # Not in the agenda until the named trainer has accepted.
        TrainingSession.trainer_consent == TrainerConsent.ACCEPTED,
        TrainingSession.status.in_(
            [SessionStatus.PLANNED, SessionStatus.CANCELLED, SessionStatus.HELD]
        ),
    )
    total = session.execute(sa.select(sa.func.count(TrainingSession.id)).where(*where)).scalar_one()
    stmt = _with_details(
        sa.select(TrainingSession)
        .where(*where)
        .order_by(TrainingSession.starts_at, TrainingSession.id)
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    sessions = list(session.execute(stmt).scalars())
    return paging.page_of(_entries(session, sessions), number, per_page, total=int(total))


def upcoming_cluster_sessions(
    session: Session, *, cluster_id: int, now: datetime | None = None, days_back: int = 30
) -> list[TrainingSession]:
    """Sessions for the cluster feed: from a month ago onwards (calendars keep recent ones)."""
    since = (now or utcnow()) - timedelta(days=days_back)
    stmt = _with_details(
        sa.select(TrainingSession)
        .where(
            TrainingSession.cluster_id == cluster_id,
            TrainingSession.ends_at >= since,
            TrainingSession.trainer_consent == TrainerConsent.ACCEPTED,
        )
        .order_by(TrainingSession.starts_at)
        .limit(1000)
    )
    return list(session.execute(stmt).scalars())


def my_sessions(session: Session, *, member: Member) -> list[AgendaEntry]:
    """Sessions the member teaches or holds a place in (or waits for), newest dates last."""
    roles: dict[int, str] = {}
    rows = session.execute(
        sa.select(Enrollment.session_id, Enrollment.status).where(
            Enrollment.member_id == member.id, Enrollment.status != EnrollmentStatus.CANCELLED
        )
    )
    for session_id, status in rows:
        roles[session_id] = str(status)
    taught = session.execute(
        sa.select(TrainingSession.id).where(TrainingSession.trainer_id == member.id)
    ).scalars()
    for session_id in taught:
        roles[session_id] = "trainer"
    if not roles:
        return []
    stmt = _with_details(
        sa.select(TrainingSession)
        .where(TrainingSession.id.in_(list(roles)))
        .order_by(TrainingSession.starts_at)
    )
    return _entries(session, list(session.execute(stmt).scalars()), roles)


def split_by_time(
    entries: list[AgendaEntry], now: datetime | None = None
) -> tuple[list[AgendaEntry], list[AgendaEntry]]:
    """(upcoming, past) — past ones most recent first."""
    now = now or utcnow()
    upcoming = [e for e in entries if e.session.ends_at >= now]
    past = [e for e in entries if e.session.ends_at < now]
    return upcoming, list(reversed(past))


# Calendar feed tokens --------------------------------------------------------------------


def feed_token(session: Session, member: Member) -> CalendarFeedToken:
    """The member's calendar token, created on first use."""
    token = session.execute(
        sa.select(CalendarFeedToken).where(CalendarFeedToken.member_id == member.id)
    ).scalar_one_or_none()
    if token is None:
        token = CalendarFeedToken(member_id=member.id, token=secrets.token_urlsafe(32))
        session.add(token)
        session.flush()
    return token


def regenerate_feed_token(session: Session, member: Member) -> CalendarFeedToken:
    """A new secret: calendar apps subscribed with the old address stop receiving updates."""
    token = feed_token(session, member)
    token.token = secrets.token_urlsafe(32)
    token.created_at = utcnow()
    session.flush()
    return token


def member_for_feed_token(session: Session, token: str) -> Member | None:
    if not token or len(token) > 64:
        return None
    found = session.execute(
        sa.select(CalendarFeedToken).where(CalendarFeedToken.token == token)
    ).scalar_one_or_none()
    if found is None or not secrets.compare_digest(found.token, token):
        return None
    member = found.member
    return None if member.is_closed else member


# Trainer time ----------------------------------------------------------------------------


@dataclass
class TrainerTime:
    """Hours a member taught (held or settled sessions), on work time and on personal time."""

    member: Member
    sessions: list[TrainingSession] = field(default_factory=list)
    work_minutes: int = 0
    personal_minutes: int = 0

    @property
    def total_minutes(self) -> int:
        return self.work_minutes + self.personal_minutes


def trainer_time(session: Session, *, member: Member) -> TrainerTime:
    stmt = _with_details(
        sa.select(TrainingSession)
        .where(
            TrainingSession.trainer_id == member.id,
            TrainingSession.status.in_([SessionStatus.HELD, SessionStatus.SETTLED]),
        )
        .order_by(TrainingSession.starts_at)
    )
    record = TrainerTime(member=member, sessions=list(session.execute(stmt).scalars()))
    for taught in record.sessions:
        if taught.on_work_time:
            record.work_minutes += taught.duration_minutes
        else:
            record.personal_minutes += taught.duration_minutes
    return record


# Feedback --------------------------------------------------------------------------------


def may_leave_feedback(
    session: Session,
    *,
    actor: Member,
    training_session: TrainingSession,
    now: datetime | None = None,
) -> bool:
    """Participants who came (or whose attendance is not yet taken) once the session ended."""
    now = now or utcnow()
    if training_session.status == SessionStatus.CANCELLED or training_session.ends_at > now:
        return False
    enrollment = session.execute(
        sa.select(Enrollment).where(
            Enrollment.session_id == training_session.id, Enrollment.member_id == actor.id
        )
    ).scalar_one_or_none()
    return enrollment is not None and enrollment.status in (
        EnrollmentStatus.ATTENDED,
        EnrollmentStatus.ENROLLED,
    )


def leave_feedback(
    session: Session,
    *,
    actor: Member,
    training_session: TrainingSession,
    text: str,
    now: datetime | None = None,
) -> SessionFeedback:
    """Words for the trainer only; writing again replaces one's earlier words."""
    if not may_leave_feedback(session, actor=actor, training_session=training_session, now=now):
        raise Forbidden(
            _("Seules les personnes qui ont participé peuvent laisser un retour, après la session.")
        )
    text = (text or "").strip()
    if not text or len(text) > FEEDBACK_MAX:
        raise InvalidInput(_("Écrivez votre retour (5 000 caractères au plus)."), field="text")
    feedback = session.execute(
        sa.select(SessionFeedback).where(
            SessionFeedback.session_id == training_session.id, SessionFeedback.author_id == actor.id
        )
    ).scalar_one_or_none()
    if feedback is None:
        feedback = SessionFeedback(session_id=training_session.id, author_id=actor.id, text=text)
        session.add(feedback)
    else:
        feedback.text = text
        feedback.created_at = utcnow()
    session.flush()
    return feedback


def has_left_feedback(
    session: Session, *, actor: Member, training_session: TrainingSession
) -> bool:
    return (
        session.execute(
            sa.select(SessionFeedback.id).where(
                SessionFeedback.session_id == training_session.id,
                SessionFeedback.author_id == actor.id,
            )
        ).first()
        is not None
    )


def feedback_for_trainer(
    session: Session, *, actor: Member, training_session: TrainingSession
) -> list[SessionFeedback]:
    """The texts for the trainer, oldest first, shown without their authors' names."""
    if not authz.can(actor, Permission.FEEDBACK_READ, training_session):
        raise Forbidden(_("Les retours sont réservés à la personne qui a animé la session."))
    stmt = (
        sa.select(SessionFeedback)
        .where(SessionFeedback.session_id == training_session.id)
        .order_by(SessionFeedback.created_at)
    )
    return list(session.execute(stmt).scalars())
