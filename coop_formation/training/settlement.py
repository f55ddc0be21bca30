"""Settling a held session: learners' reservations resolved, the trainer credited, once.

Guarantees: all of it happens in one savepoint (a failure half-way leaves no transfer
posted, no enrolment or status changed); settling an already settled session does nothing.
Once settled, ``events.session_settled`` tells the rooms above (recognition awards the
badges) inside the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz, events
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Forbidden, InvalidInput
from coop_formation.ledger import services as ledger
from coop_formation.people.models import Member
from coop_formation.training.enrollments import REFERENCE_TYPE, require_ended
from coop_formation.training.models import (
    Enrollment,
    EnrollmentStatus,
    SessionStatus,
    TrainingSession,
)
from coop_formation.training.sessions import lock_session, price_for

TEACHING = "teaching"


@dataclass
class SettlementResult:
    already_settled: bool = False
    fees_posted: int = 0
    fees_voided: int = 0
    trainer_credit: int = 0


def trainer_credit_for(minutes: int, policy: object) -> int:
    """Teaching time plus preparation time, at the policy's trainer rate (minor units)."""
    rate = int(policy.trainer_rate_per_hour)  # type: ignore[attr-defined]
    return price_for(minutes + int(policy.preparation_minutes), rate)  # type: ignore[attr-defined]


def settle_session(
    session: Session,
    *,
    actor: Member,
    training_session: TrainingSession,
    now: datetime | None = None,
) -> SettlementResult:
    """Post or void each learner's reservation and pay the trainer from the fund.

    Attended → fee posted; no-show → posted or voided per ``policy.no_show_rule``. The
    trainer is credited only when at least one learner attended (an empty room earns
    nothing); learners pay into the fund, which keeps any surplus and covers any deficit.
    ``events.session_settled`` is sent once, when the session actually becomes settled.
    """
    now = now or utcnow()
    if not authz.can(actor, Permission.SESSION_SETTLE, training_session):
        raise Forbidden(_("Vous ne pouvez pas clôturer cette session."))
    training_session = lock_session(session, training_session)
    if training_session.status == SessionStatus.SETTLED:
        return SettlementResult(already_settled=True)
    if training_session.status != SessionStatus.HELD:
        raise InvalidInput(
            _("Relevez d'abord les présences : la session pourra ensuite être clôturée.")
        )
    require_ended(training_session, now)

    policy = ledger.current_policy(session, training_session.cluster_id)
    result = SettlementResult()
    with session.begin_nested():
        seated = session.execute(
            sa.select(Enrollment)
            .where(
                Enrollment.session_id == training_session.id,
                Enrollment.status.in_([EnrollmentStatus.ATTENDED, EnrollmentStatus.NO_SHOW]),
            )
            .order_by(Enrollment.id)
        ).scalars()
        attended = 0
        for enrollment in list(seated):
            is_present = enrollment.status == EnrollmentStatus.ATTENDED
            attended += int(is_present)
            if enrollment.pending_transfer_id is None:
                continue  # free session: nothing was reserved
            if is_present or policy.no_show_rule == "post":
                ledger.post_pending_transfer(
                    session,
                    enrollment.pending_transfer_id,
                    idempotency_key=enrollment.ledger_key("enrol-post"),
                )
                result.fees_posted += 1
            else:
                ledger.void_pending_transfer(
                    session,
                    enrollment.pending_transfer_id,
                    idempotency_key=enrollment.ledger_key("enrol-void"),
                )
                result.fees_voided += 1
        if attended:
            amount = trainer_credit_for(training_session.duration_minutes, policy)
            if amount > 0:
                fund = ledger.fund_account(session, training_session.cluster_id)
                trainer = ledger.member_account(session, training_session.trainer)
                ledger.create_transfer(
                    session,
                    debit_account_id=fund.id,
                    credit_account_id=trainer.id,
                    amount=amount,
                    kind=TEACHING,
                    reference_type=REFERENCE_TYPE,
                    reference_id=training_session.id,
                    idempotency_key=f"teach:{training_session.id}",
                    memo=training_session.title[:200],
                    actor_id=actor.id,
                )
                result.trainer_credit = amount
        training_session.move_to(SessionStatus.SETTLED)
        training_session.settled_at = now
        session.flush()
    events.session_settled.send(session, training_session=training_session, actor=actor)
    return result
