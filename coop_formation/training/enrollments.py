"""Enrolments, the waiting list, cancellations and attendance.

Guarantees: the session row is locked while seats are counted, so concurrent enrolments
never exceed capacity; an enrolled member always has exactly one pending reservation of the
session's price in the ledger (waitlisted members have none); a refusal by the ledger
(floor, ceiling) leaves nothing changed; a retried form (same request key) charges once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz, events
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Conflict, Forbidden, InvalidInput, LimitExceeded, NotFound
from coop_formation.ledger import services as ledger
from coop_formation.notifications import events as notification_events
from coop_formation.people.models import Member
from coop_formation.training.models import (
    ACTIVE_ENROLLMENT,
    Enrollment,
    EnrollmentStatus,
    SessionStatus,
    TrainingSession,
)
from coop_formation.training.sessions import lock_session, seats_taken
from coop_formation.web.filters import paris_date, paris_time

REQUEST_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SESSION_FEE = "session_fee"
REFERENCE_TYPE = "training_session"


@dataclass
class SeatChanges:
    """Who moved up from the waiting list, and who was passed over (balance too low)."""

    promoted: list[Member] = field(default_factory=list)
    skipped: list[Member] = field(default_factory=list)
    cancelled: list[Member] = field(default_factory=list)


def find_enrollment(
    session: Session, training_session_id: int, member_id: int
) -> Enrollment | None:
    stmt = sa.select(Enrollment).where(
        Enrollment.session_id == training_session_id, Enrollment.member_id == member_id
    )
    return session.execute(stmt).scalar_one_or_none()


def waiting_rank(session: Session, enrollment: Enrollment) -> int | None:
    """1 for the first person waiting, and so on; None when not on the waiting list."""
    if enrollment.status != EnrollmentStatus.WAITLISTED or enrollment.position is None:
        return None
    ahead = session.execute(
        sa.select(sa.func.count(Enrollment.id)).where(
            Enrollment.session_id == enrollment.session_id,
            Enrollment.status == EnrollmentStatus.WAITLISTED,
            Enrollment.position < enrollment.position,
        )
    ).scalar_one()
    return int(ahead) + 1


def cancellation_deadline(session: Session, training_session: TrainingSession) -> datetime:
    policy = ledger.current_policy(session, training_session.cluster_id)
    return training_session.starts_at - timedelta(hours=policy.cancellation_deadline_hours)


def _reserve(session: Session, training_session: TrainingSession, enrollment: Enrollment) -> None:
    """Seat the enrolment and reserve its price (pending transfer learner → fund).

    Runs in a savepoint: when the ledger refuses, the enrolment row is left as it was.
    """
    with session.begin_nested():
        enrollment.status = EnrollmentStatus.ENROLLED
        enrollment.position = None
        enrollment.pending_transfer_id = None
        if training_session.price_per_learner > 0:
            enrollment.reservations += 1
            session.flush()
            learner = ledger.member_account(session, enrollment.member)
            fund = ledger.fund_account(session, training_session.cluster_id)
            transfer = ledger.create_transfer(
                session,
                debit_account_id=learner.id,
                credit_account_id=fund.id,
                amount=training_session.price_per_learner,
                kind=SESSION_FEE,
                reference_type=REFERENCE_TYPE,
                reference_id=training_session.id,
                idempotency_key=enrollment.ledger_key("enrol"),
                memo=training_session.title[:200],
                pending=True,
                actor_id=enrollment.member_id,
            )
            enrollment.pending_transfer_id = transfer.id
        session.flush()


def _void_reservation(session: Session, enrollment: Enrollment) -> None:
    if enrollment.pending_transfer_id is not None:
        ledger.void_pending_transfer(
            session,
            enrollment.pending_transfer_id,
            idempotency_key=enrollment.ledger_key("enrol-void"),
        )


def _next_position(session: Session, training_session_id: int) -> int:
    top = session.execute(
        sa.select(sa.func.max(Enrollment.position)).where(
            Enrollment.session_id == training_session_id
        )
    ).scalar_one()
    return int(top or 0) + 1


def enrol(
    session: Session,
    *,
    actor: Member,
    training_session: TrainingSession,
    request_key: str,
    now: datetime | None = None,
) -> Enrollment:
    """Take a seat (reserving the price) or a place on the waiting list when full."""
    now = now or utcnow()
    if not REQUEST_KEY.match(request_key or ""):
        raise InvalidInput(_("Le formulaire est incomplet. Rechargez la page et recommencez."))
    if not authz.can(actor, Permission.SESSION_ENROL, training_session):
        raise Forbidden(_("Vous ne pouvez pas vous inscrire à cette session."))
    training_session = lock_session(session, training_session)

    replay = session.execute(
        sa.select(Enrollment).where(Enrollment.request_key == request_key)
    ).scalar_one_or_none()
    if replay is not None:
        if replay.member_id != actor.id or replay.session_id != training_session.id:
            raise Conflict(_("Ce formulaire a déjà servi. Rechargez la page et recommencez."))
        return replay  # the same request, sent again: answer as the first time

    if training_session.status != SessionStatus.PLANNED or training_session.starts_at <= now:
        raise InvalidInput(_("Les inscriptions à cette session sont closes."))
    if not training_session.is_open_to_enrolment:
        raise Conflict(
            _("Les inscriptions ouvriront quand la personne nommée pour animer aura accepté.")
        )
    enrollment = find_enrollment(session, training_session.id, actor.id)
    if enrollment is not None and enrollment.status in ACTIVE_ENROLLMENT:
        return enrollment
    if enrollment is None:
        enrollment = Enrollment(
            session_id=training_session.id,
            member_id=actor.id,
            status=EnrollmentStatus.WAITLISTED,
            position=_next_position(session, training_session.id),
        )
        enrollment.member = actor
        session.add(enrollment)
    enrollment.request_key = request_key

    if seats_taken(session, training_session.id) < training_session.capacity:
        _reserve(session, training_session, enrollment)
    else:
        # Compute the position first: the query autoflushes, and the row must never be
        # flushed as waitlisted without a position (CHECK position_iff_waitlisted).
        position = _next_position(session, training_session.id)
        enrollment.status, enrollment.position = EnrollmentStatus.WAITLISTED, position
        enrollment.pending_transfer_id = None
        session.flush()
    return enrollment


def promote_waiting(session: Session, training_session: TrainingSession) -> SeatChanges:
    """Fill free seats from the waiting list in order; skip whoever cannot afford it.

    The caller holds the session row lock. Skipped members stay on the list.
    """
    changes = SeatChanges()
    free = training_session.capacity - seats_taken(session, training_session.id)
    if free <= 0 or training_session.status != SessionStatus.PLANNED:
        return changes
    waiting = session.execute(
        sa.select(Enrollment)
        .where(
            Enrollment.session_id == training_session.id,
            Enrollment.status == EnrollmentStatus.WAITLISTED,
        )
        .order_by(Enrollment.position)
    ).scalars()
    for candidate in list(waiting):
        if free <= 0:
            break
        position = candidate.position
        try:
            _reserve(session, training_session, candidate)
        except LimitExceeded:
            session.refresh(candidate)
            candidate.status, candidate.position = EnrollmentStatus.WAITLISTED, position
            changes.skipped.append(candidate.member)
            continue
        changes.promoted.append(candidate.member)
        notification_events.seat_promoted(session, training_session, candidate.member)
        free -= 1
    return changes


def cancel_enrollment(
    session: Session,
    *,
    actor: Member,
    training_session: TrainingSession,
    now: datetime | None = None,
) -> SeatChanges:
    """Leave a session (before the policy deadline) or its waiting list (any time before it)."""
    now = now or utcnow()
    training_session = lock_session(session, training_session)
    enrollment = find_enrollment(session, training_session.id, actor.id)
    if enrollment is None or enrollment.status not in ACTIVE_ENROLLMENT:
        raise NotFound(_("Vous n'êtes pas inscrit à cette session."))
    if training_session.status != SessionStatus.PLANNED:
        raise InvalidInput(_("Cette session n'accepte plus de désinscription."))
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        enrollment.status, enrollment.position = EnrollmentStatus.CANCELLED, None
        session.flush()
        return SeatChanges()
    deadline = cancellation_deadline(session, training_session)
    if now >= deadline:
        raise InvalidInput(
            _(
                "Le délai d'annulation est dépassé : on peut se désinscrire jusqu'à "
                "%(hours)s heures avant le début. "
                "Prévenez la personne qui anime la session si vous ne pouvez pas venir.",
                hours=ledger.current_policy(
                    session, training_session.cluster_id
                ).cancellation_deadline_hours,
            )
        )
    _void_reservation(session, enrollment)
    enrollment.status = EnrollmentStatus.CANCELLED
    session.flush()
    return promote_waiting(session, training_session)


def cancel_session(
    session: Session, *, actor: Member, training_session: TrainingSession, reason: str = ""
) -> SeatChanges:
    """Call a planned session off: every reservation is voided, every enrolment cancelled.

    Each participant is notified (the notifications room, below); ``events.session_cancelled``
    then tells the rooms above.
    """
    if not authz.can(actor, Permission.SESSION_CANCEL, training_session):
        raise Forbidden(_("Vous ne pouvez pas annuler cette session."))
    training_session = lock_session(session, training_session)
    if training_session.status != SessionStatus.PLANNED:
        raise InvalidInput(_("Seule une session prévue peut être annulée."))
    changes = SeatChanges()
    enrollments = session.execute(
        sa.select(Enrollment).where(
            Enrollment.session_id == training_session.id, Enrollment.status.in_(ACTIVE_ENROLLMENT)
        )
    ).scalars()
    for enrollment in list(enrollments):
        if enrollment.status == EnrollmentStatus.ENROLLED:
            _void_reservation(session, enrollment)
        enrollment.status, enrollment.position = EnrollmentStatus.CANCELLED, None
        changes.cancelled.append(enrollment.member)
    training_session.cancelled_reason = reason.strip()[:2000]
    training_session.move_to(SessionStatus.CANCELLED)
    for member in changes.cancelled:
        notification_events.session_cancelled(session, training_session, member)
    session.flush()
    events.session_cancelled.send(session, training_session=training_session, actor=actor)
    return changes


def has_ended(training_session: TrainingSession, now: datetime | None = None) -> bool:
    """The session's last date is over: attendance and settlement may open."""
    return training_session.ends_at <= (now or utcnow())


def require_ended(training_session: TrainingSession, now: datetime | None = None) -> None:
    """Refuse (409) attendance or settlement before the end of the session's last date."""
    if not has_ended(training_session, now):
        ends = paris_date(training_session.ends_at), paris_time(training_session.ends_at)
        raise Conflict(
            _(
                "Les présences et la clôture s'ouvrent à la fin de la session, "
                "le %(date)s à %(time)s.",
                date=ends[0],
                time=ends[1],
            )
        )


def refuse_closing_early(
    actor: Member, training_session: TrainingSession, now: datetime | None = None
) -> None:
    """For the pages: a 409 before the end for those who may close; others meet the
    service's own refusal (403) first."""
    if authz.can(actor, Permission.SESSION_TAKE_ATTENDANCE, training_session) or authz.can(
        actor, Permission.SESSION_SETTLE, training_session
    ):
        require_ended(training_session, now)


def record_attendance(
    session: Session,
    *,
    actor: Member,
    training_session: TrainingSession,
    attended_member_ids: set[int],
    now: datetime | None = None,
) -> None:
    """The trainer ticks who came; everyone seated and not ticked is a no-show."""
    now = now or utcnow()
    if not authz.can(actor, Permission.SESSION_TAKE_ATTENDANCE, training_session):
        raise Forbidden(
            _("Seules les personnes qui animent ou organisent la session relèvent les présences.")
        )
    training_session = lock_session(session, training_session)
    if training_session.status not in (SessionStatus.PLANNED, SessionStatus.HELD):
        raise InvalidInput(_("Les présences de cette session ne peuvent plus être modifiées."))
    require_ended(training_session, now)
    rows = list(
        session.execute(
            sa.select(Enrollment).where(
                Enrollment.session_id == training_session.id,
                Enrollment.status != EnrollmentStatus.CANCELLED,
            )
        ).scalars()
    )
    seated = {e.member_id for e in rows if e.status != EnrollmentStatus.WAITLISTED}
    if not attended_member_ids <= seated:
        raise InvalidInput(_("Une personne cochée n'est pas inscrite à cette session."))
    for enrollment in rows:
        if enrollment.status == EnrollmentStatus.WAITLISTED:
            # The session took place without them: they leave the list, never charged.
            enrollment.status, enrollment.position = EnrollmentStatus.CANCELLED, None
        elif enrollment.member_id in attended_member_ids:
            enrollment.status = EnrollmentStatus.ATTENDED
        else:
            enrollment.status = EnrollmentStatus.NO_SHOW
    training_session.move_to(SessionStatus.HELD)
    session.flush()
