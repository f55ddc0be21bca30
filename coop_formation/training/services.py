"""The training domain's behaviour, one import point for views and other domains.

The work is split by topic: :mod:`.sessions` (creating, venues), :mod:`.enrollments`
(seats, waiting list, attendance), :mod:`.settlement`, :mod:`.agenda` (agendas, feeds,
trainer time, feedback). This module adds what a session page needs in one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.people.models import Member
from coop_formation.training.agenda import (
    AgendaEntry,
    TrainerTime,
    feed_token,
    feedback_for_trainer,
    has_left_feedback,
    leave_feedback,
    may_leave_feedback,
    member_for_feed_token,
    my_sessions,
    public_agenda,
    regenerate_feed_token,
    split_by_time,
    trainer_time,
    upcoming_cluster_sessions,
)
from coop_formation.training.enrollments import (
    SeatChanges,
    cancel_enrollment,
    cancel_session,
    cancellation_deadline,
    enrol,
    find_enrollment,
    has_ended,
    promote_waiting,
    record_attendance,
    refuse_closing_early,
    require_ended,
    waiting_rank,
)
from coop_formation.training.models import (
    Enrollment,
    EnrollmentStatus,
    SessionFeedback,
    SessionStatus,
    TrainingSession,
)
from coop_formation.training.sessions import (
    DISPLAY_TZ,
    LANGUAGES,
    SessionInput,
    SlotInput,
    VenueInput,
    answer_invitation,
    create_session,
    get_need,
    get_offer,
    get_session,
    get_venue_for_edit,
    list_venues,
    paris_to_utc,
    possible_trainers,
    require_venue_manager,
    save_venue,
    seats_taken,
)
from coop_formation.training.settlement import SettlementResult, settle_session

__all__ = [
    "DISPLAY_TZ",
    "LANGUAGES",
    "AgendaEntry",
    "SeatChanges",
    "SessionInput",
    "SessionPage",
    "SettlementResult",
    "SlotInput",
    "TrainerTime",
    "VenueInput",
    "answer_invitation",
    "cancel_enrollment",
    "cancel_session",
    "cancellation_deadline",
    "create_session",
    "enrol",
    "feed_token",
    "feedback_for_trainer",
    "find_enrollment",
    "get_need",
    "get_offer",
    "get_session",
    "get_venue_for_edit",
    "has_ended",
    "has_left_feedback",
    "leave_feedback",
    "list_venues",
    "may_leave_feedback",
    "member_for_feed_token",
    "my_sessions",
    "paris_to_utc",
    "possible_trainers",
    "promote_waiting",
    "public_agenda",
    "record_attendance",
    "refuse_closing_early",
    "regenerate_feed_token",
    "require_ended",
    "require_venue_manager",
    "save_venue",
    "seats_taken",
    "session_page",
    "settle_session",
    "split_by_time",
    "trainer_time",
    "upcoming_cluster_sessions",
]


@dataclass
class SessionPage:
    """Everything the session page shows to this actor, permissions already decided."""

    session: TrainingSession
    seats_left: int
    my_enrollment: Enrollment | None
    waiting_rank: int | None
    cancellation_deadline: datetime
    can_enrol: bool
    can_cancel_enrollment: bool
    can_take_attendance: bool
    can_settle: bool
    can_cancel_session: bool
    can_answer_invitation: bool
    # Attendance and settlement open at the end of the last date; the page says when.
    closing_opens_at: datetime | None
    can_leave_feedback: bool
    has_left_feedback: bool
    participants: list[Enrollment] = field(default_factory=list)
    feedback: list[SessionFeedback] = field(default_factory=list)


def session_page(
    session: Session,
    *,
    actor: Member,
    training_session: TrainingSession,
    now: datetime | None = None,
) -> SessionPage:
    """Build the session page; participants' names only for those who run the session."""
    now = now or utcnow()
    mine = find_enrollment(session, training_session.id, actor.id)
    deadline = cancellation_deadline(session, training_session)
    planned = training_session.status == SessionStatus.PLANNED
    active = mine is not None and mine.status in (
        EnrollmentStatus.ENROLLED,
        EnrollmentStatus.WAITLISTED,
    )
    participants: list[Enrollment] = []
    if authz.can(actor, Permission.SESSION_PARTICIPANTS_READ, training_session):
        participants = list(
            session.execute(
                sa.select(Enrollment)
                .where(
                    Enrollment.session_id == training_session.id,
                    Enrollment.status != EnrollmentStatus.CANCELLED,
                )
                .options(selectinload(Enrollment.member))
                .order_by(Enrollment.position.is_not(None), Enrollment.position, Enrollment.id)
            ).scalars()
        )
    feedback: list[SessionFeedback] = []
    if authz.can(actor, Permission.FEEDBACK_READ, training_session):
        feedback = feedback_for_trainer(session, actor=actor, training_session=training_session)
    return SessionPage(
        session=training_session,
        seats_left=max(0, training_session.capacity - seats_taken(session, training_session.id)),
        my_enrollment=mine,
        waiting_rank=waiting_rank(session, mine) if mine else None,
        cancellation_deadline=deadline,
        can_enrol=training_session.is_open_to_enrolment
        and not active
        and training_session.starts_at > now
        and authz.can(actor, Permission.SESSION_ENROL, training_session),
        can_cancel_enrollment=planned
        and active
        and (mine is not None and (mine.status == EnrollmentStatus.WAITLISTED or now < deadline)),
        can_take_attendance=training_session.status in (SessionStatus.PLANNED, SessionStatus.HELD)
        and has_ended(training_session, now)
        and authz.can(actor, Permission.SESSION_TAKE_ATTENDANCE, training_session),
        can_settle=training_session.status == SessionStatus.HELD
        and has_ended(training_session, now)
        and authz.can(actor, Permission.SESSION_SETTLE, training_session),
        can_cancel_session=planned
        and authz.can(actor, Permission.SESSION_CANCEL, training_session),
        can_answer_invitation=planned
        and training_session.awaits_trainer
        and actor.id == training_session.trainer_id,
        closing_opens_at=None
        if has_ended(training_session, now)
        or not authz.can(actor, Permission.SESSION_TAKE_ATTENDANCE, training_session)
        else training_session.ends_at,
        can_leave_feedback=may_leave_feedback(
            session, actor=actor, training_session=training_session, now=now
        ),
        has_left_feedback=has_left_feedback(
            session, actor=actor, training_session=training_session
        ),
        participants=participants,
        feedback=feedback,
    )
