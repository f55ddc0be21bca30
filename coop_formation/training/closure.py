"""What training releases when an account closes, and what it holds on a member (export).

Run by :mod:`.receivers` inside the closure's transaction (flush, never commit). The closed
member is already marked closed when these run, so nothing here asks :mod:`authz` on their
behalf: the closure itself is the permission.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.db import iso_or_none, utcnow
from coop_formation.ledger import services as ledger
from coop_formation.notifications import events as notification_events
from coop_formation.notifications.services import notify
from coop_formation.people.models import Member
from coop_formation.training.enrollments import (
    cancel_enrollment,
    cancellation_deadline,
    promote_waiting,
)
from coop_formation.training.models import (
    ACTIVE_ENROLLMENT,
    CalendarFeedToken,
    Enrollment,
    EnrollmentStatus,
    SessionFeedback,
    SessionStatus,
    TrainingSession,
)
from coop_formation.training.sessions import lock_session

# Closing --------------------------------------------------------------------------------


def _release_seat(
    session: Session, enrollment: Enrollment, training_session: TrainingSession, now: datetime
) -> None:
    """Cancel one active enrolment, voiding its reservation; a freed seat goes to the
    waiting list as for any cancellation."""
    member = enrollment.member
    if enrollment.status == EnrollmentStatus.WAITLISTED or now < cancellation_deadline(
        session, training_session
    ):
        cancel_enrollment(session, actor=member, training_session=training_session, now=now)
        return
    # Past the deadline a member may not leave (they are asked to come or warn the trainer);
    # a closed account will not come, so its seat and its reservation are released anyway.
    training_session = lock_session(session, training_session)
    if enrollment.pending_transfer_id is not None:
        ledger.void_pending_transfer(
            session,
            enrollment.pending_transfer_id,
            idempotency_key=enrollment.ledger_key("enrol-void"),
        )
    enrollment.status, enrollment.position = EnrollmentStatus.CANCELLED, None
    session.flush()
    promote_waiting(session, training_session)


def release_enrolments(session: Session, member: Member, now: datetime | None = None) -> int:
    """Cancel the member's enrolments in planned sessions not yet started (reservations
    voided) and take them off every waiting list; returns how many were cancelled.

    A seat in a session already under way stays: its attendance and settlement resolve it.
    """
    now = now or utcnow()
    rows = session.execute(
        sa.select(Enrollment, TrainingSession)
        .join(TrainingSession, TrainingSession.id == Enrollment.session_id)
        .where(
            Enrollment.member_id == member.id,
            Enrollment.status.in_(ACTIVE_ENROLLMENT),
            TrainingSession.status == SessionStatus.PLANNED,
        )
        .order_by(Enrollment.id)
    ).all()
    released = 0
    for enrollment, training_session in rows:
        if enrollment.status == EnrollmentStatus.ENROLLED and training_session.starts_at <= now:
            continue
        _release_seat(session, enrollment, training_session, now)
        released += 1
    return released


def _call_off(session: Session, training_session: TrainingSession, member: Member) -> None:
    """Cancel a session its closed trainer also organised: every reservation voided, each
    participant told (as :func:`~.enrollments.cancel_session` does for a permitted actor)."""
    training_session = lock_session(session, training_session)
    enrollments = session.scalars(
        sa.select(Enrollment)
        .where(
            Enrollment.session_id == training_session.id,
            Enrollment.status.in_(ACTIVE_ENROLLMENT),
        )
        .order_by(Enrollment.id)
    ).all()
    learners: list[Member] = []
    for enrollment in enrollments:
        if enrollment.status == EnrollmentStatus.ENROLLED and enrollment.pending_transfer_id:
            ledger.void_pending_transfer(
                session,
                enrollment.pending_transfer_id,
                idempotency_key=enrollment.ledger_key("enrol-void"),
            )
        enrollment.status, enrollment.position = EnrollmentStatus.CANCELLED, None
        learners.append(enrollment.member)
    training_session.cancelled_reason = _(
        "La personne qui animait et organisait cette session a fermé son compte."
    )
    training_session.move_to(SessionStatus.CANCELLED)
    for learner in learners:
        notification_events.session_cancelled(session, training_session, learner)
    session.flush()
    events.session_cancelled.send(session, training_session=training_session, actor=member)


def _hand_back(
    session: Session, training_session: TrainingSession, now: datetime
) -> TrainingSession:
    """The organiser now runs the session (and no longer sits in it as a learner), told so."""
    organiser = training_session.organiser
    own_seat = session.scalars(
        sa.select(Enrollment).where(
            Enrollment.session_id == training_session.id,
            Enrollment.member_id == organiser.id,
            Enrollment.status.in_(ACTIVE_ENROLLMENT),
        )
    ).first()
    if own_seat is not None:
        _release_seat(session, own_seat, training_session, now)
    training_session.trainer_id = organiser.id
    training_session.trainer = organiser
    session.flush()
    notify(
        session,
        recipient=organiser,
        kind="session_changed",
        subject=_("Session à reprendre : %(title)s", title=training_session.title)[:200],
        body=_(
            "La personne qui devait animer cette session a fermé son compte. La session vous "
            "revient : trouvez quelqu'un pour l'animer ou annulez-la ; les personnes "
            "inscrites gardent leur place."
        ),
        link=f"/sessions/{training_session.id}",
    )
    return training_session


def hand_back_taught_sessions(session: Session, member: Member, now: datetime | None = None) -> int:
    """Sessions the member was to teach, not yet started, go back to their organiser with a
    notice; those the member also organised are cancelled (learners refunded and told)."""
    now = now or utcnow()
    taught = session.scalars(
        sa.select(TrainingSession)
        .where(
            TrainingSession.trainer_id == member.id,
            TrainingSession.status == SessionStatus.PLANNED,
            TrainingSession.starts_at > now,
        )
        .order_by(TrainingSession.id)
    ).all()
    for training_session in taught:
        if training_session.organiser_id == member.id:
            _call_off(session, training_session, member)
        else:
            _hand_back(session, training_session, now)
    return len(taught)


def forget_calendar_feed(session: Session, member: Member) -> None:
    """The secret agenda URL stops working with the account."""
    session.execute(sa.delete(CalendarFeedToken).where(CalendarFeedToken.member_id == member.id))
    session.flush()


# Export ---------------------------------------------------------------------------------


def _session_ref(training_session: TrainingSession) -> dict[str, Any]:
    return {
        "session_id": training_session.id,
        "title": training_session.title,
        "starts_at": iso_or_none(training_session.starts_at),
        "ends_at": iso_or_none(training_session.ends_at),
        "session_status": training_session.status.value,
    }


def export_for_member(session: Session, member: Member) -> dict[str, Any]:
    """The member's enrolments, the sessions they teach or organise and the feedback they
    wrote; nobody else is named (not even the trainer of a session they attend)."""
    enrolments = session.execute(
        sa.select(Enrollment, TrainingSession)
        .join(TrainingSession, TrainingSession.id == Enrollment.session_id)
        .where(Enrollment.member_id == member.id)
        .order_by(Enrollment.id)
    ).all()
    runs = session.scalars(
        sa.select(TrainingSession)
        .where(
            sa.or_(
                TrainingSession.trainer_id == member.id,
                TrainingSession.organiser_id == member.id,
            )
        )
        .order_by(TrainingSession.id)
    ).all()
    feedback = session.execute(
        sa.select(SessionFeedback, TrainingSession.title)
        .join(TrainingSession, TrainingSession.id == SessionFeedback.session_id)
        .where(SessionFeedback.author_id == member.id)
        .order_by(SessionFeedback.id)
    ).all()
    has_feed = session.scalar(
        sa.select(sa.func.count())
        .select_from(CalendarFeedToken)
        .where(CalendarFeedToken.member_id == member.id)
    )
    return {
        "enrolments": [
            {
                **_session_ref(training_session),
                "status": enrollment.status.value,
                "waiting_position": enrollment.position,
                "price_per_learner": training_session.price_per_learner,
                "enrolled_at": iso_or_none(enrollment.created_at),
                "updated_at": iso_or_none(enrollment.updated_at),
            }
            for enrollment, training_session in enrolments
        ],
        "sessions_taught": [
            _session_ref(s) | {"capacity": s.capacity, "duration_minutes": s.duration_minutes}
            for s in runs
            if s.trainer_id == member.id
        ],
        "sessions_organised": [_session_ref(s) for s in runs if s.organiser_id == member.id],
        "feedback_given": [
            {
                "session_id": row.session_id,
                "session_title": title,
                "text": row.text,
                "created_at": iso_or_none(row.created_at),
            }
            for row, title in feedback
        ],
        "calendar_feed": bool(has_feed),
    }
