"""Enrolment, waiting list and cancellation: seats, reservations, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coop_formation.db import utcnow
from coop_formation.errors import Conflict, Forbidden, InvalidInput, LimitExceeded, NotFound
from coop_formation.extensions import db
from coop_formation.ledger.models import Transfer, TransferState
from coop_formation.training import services as training
from coop_formation.training.models import Enrollment, EnrollmentStatus, SessionStatus
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory
from tests.training.conftest import new_key
from tests.training.factories import balance, give, make_session


def _enrol(member, training_session, key=None):  # type: ignore[no-untyped-def]
    return training.enrol(
        db.session, actor=member, training_session=training_session, request_key=key or new_key()
    )


def test_enrolment_reserves_the_price_as_pending(world, planned):
    enrollment = _enrol(world.member_alpha, planned)
    assert enrollment.status == EnrollmentStatus.ENROLLED
    transfer = db.session.get(Transfer, enrollment.pending_transfer_id)
    assert transfer.state == TransferState.PENDING
    assert transfer.idempotency_key == f"enrol:{enrollment.id}"
    assert transfer.amount == planned.price_per_learner == 200
    assert balance(world.member_alpha).pending_debits == 200
    assert balance(world.member_alpha).available == -200


def test_retried_enrolment_with_same_key_does_not_charge_twice(world, planned):
    key = new_key()
    first = _enrol(world.member_alpha, planned, key)
    again = _enrol(world.member_alpha, planned, key)
    assert again.id == first.id
    assert balance(world.member_alpha).pending_debits == 200
    assert db.session.query(Transfer).filter_by(kind="session_fee").count() == 1


def test_enrolling_twice_with_new_keys_keeps_one_seat_and_one_charge(world, planned):
    _enrol(world.member_alpha, planned)
    _enrol(world.member_alpha, planned)
    assert balance(world.member_alpha).pending_debits == 200
    assert training.seats_taken(db.session, planned.id) == 1


def test_a_request_key_cannot_be_replayed_by_someone_else(world, planned):
    key = new_key()
    _enrol(world.member_alpha, planned, key)
    with pytest.raises(Conflict):
        _enrol(world.member_beta, planned, key)


def test_malformed_request_key_is_refused(world, planned):
    with pytest.raises(InvalidInput):
        _enrol(world.member_alpha, planned, "short")


def test_full_session_puts_members_on_the_waiting_list_without_reservation(world, planned):
    _enrol(world.member_alpha, planned)
    _enrol(world.member_beta, planned)
    waiting = _enrol(world.correspondent_alpha, planned)
    assert waiting.status == EnrollmentStatus.WAITLISTED
    assert waiting.pending_transfer_id is None
    assert training.waiting_rank(db.session, waiting) == 1
    assert balance(world.correspondent_alpha).pending_debits == 0


def test_cancellation_before_deadline_voids_and_promotes_the_first_waiting(world, planned):
    first = _enrol(world.member_alpha, planned)
    _enrol(world.member_beta, planned)
    waiting = _enrol(world.correspondent_alpha, planned)
    changes = training.cancel_enrollment(
        db.session, actor=world.member_alpha, training_session=planned
    )
    assert first.status == EnrollmentStatus.CANCELLED
    voids = db.session.query(Transfer).filter_by(pending_id=first.pending_transfer_id).one()
    assert voids.state == TransferState.VOIDED
    assert voids.idempotency_key == f"enrol-void:{first.id}"
    assert balance(world.member_alpha).pending_debits == 0
    assert [m.id for m in changes.promoted] == [world.correspondent_alpha.id]
    assert waiting.status == EnrollmentStatus.ENROLLED and waiting.position is None
    assert balance(world.correspondent_alpha).pending_debits == 200


def test_promotion_skips_a_waiting_member_who_cannot_afford_it(world, planned):
    # Bruno spends down to the floor elsewhere (−5 CF): 2 CF more would cross it.
    _enrol(world.member_alpha, planned)
    _enrol(world.correspondent_beta, planned)
    broke = _enrol(world.member_beta, planned)
    next_one = _enrol(world.correspondent_alpha, planned)
    other = make_session(world.correspondent_beta, capacity=5, minutes=300, title="Soudure")
    _enrol(world.member_beta, other)  # 5 CF reserved: available is now −5 CF
    changes = training.cancel_enrollment(
        db.session, actor=world.member_alpha, training_session=planned
    )
    assert [m.id for m in changes.skipped] == [world.member_beta.id]
    assert [m.id for m in changes.promoted] == [world.correspondent_alpha.id]
    assert broke.status == EnrollmentStatus.WAITLISTED and broke.position is not None
    assert next_one.status == EnrollmentStatus.ENROLLED
    assert training.waiting_rank(db.session, broke) == 1


def test_cancellation_after_deadline_is_refused_in_french(world):
    soon = make_session(world.other_alpha, starts_at=utcnow() + timedelta(hours=3))
    _enrol(world.member_alpha, soon)
    with pytest.raises(InvalidInput, match="délai d'annulation est dépassé"):
        training.cancel_enrollment(db.session, actor=world.member_alpha, training_session=soon)
    assert balance(world.member_alpha).pending_debits == 200


def test_waiting_members_may_leave_the_list_even_after_the_deadline(world):
    soon = make_session(world.other_alpha, capacity=1, starts_at=utcnow() + timedelta(hours=3))
    _enrol(world.member_alpha, soon)
    waiting = _enrol(world.member_beta, soon)
    training.cancel_enrollment(db.session, actor=world.member_beta, training_session=soon)
    assert waiting.status == EnrollmentStatus.CANCELLED and waiting.position is None


def test_enrolment_below_the_floor_is_refused_and_changes_nothing(world):
    expensive = make_session(world.other_alpha, capacity=3, minutes=360)  # 6 CF > 5 CF floor
    with pytest.raises(LimitExceeded) as refused, db.session.begin_nested():
        _enrol(world.member_alpha, expensive)  # the view rolls back the same way
    assert "plancher" in refused.value.message or "solde" in refused.value.message
    assert balance(world.member_alpha).pending_debits == 0
    assert db.session.query(Enrollment).filter_by(session_id=expensive.id).count() == 0


def test_member_with_credit_can_afford_more(world):
    give(world.member_alpha, 1000, "test-gift")
    expensive = make_session(world.other_alpha, capacity=3, minutes=360)
    assert _enrol(world.member_alpha, expensive).status == EnrollmentStatus.ENROLLED


def test_re_enrolling_after_cancellation_reserves_afresh(world, planned):
    first = _enrol(world.member_alpha, planned)
    training.cancel_enrollment(db.session, actor=world.member_alpha, training_session=planned)
    again = _enrol(world.member_alpha, planned)
    assert again.id == first.id and again.status == EnrollmentStatus.ENROLLED
    transfer = db.session.get(Transfer, again.pending_transfer_id)
    assert transfer.idempotency_key == f"enrol:{first.id}:2"
    assert balance(world.member_alpha).pending_debits == 200


def test_trainer_cannot_enrol_in_own_session(world, planned):
    with pytest.raises(Forbidden):
        _enrol(world.other_alpha, planned)


def test_hr_and_admin_accounts_without_company_cannot_enrol(world, planned):
    with pytest.raises(Forbidden):
        _enrol(world.hr, planned)


def test_member_of_another_cluster_does_not_see_the_session(world, planned):
    stranger = MemberFactory(company=CompanyFactory(cluster=ClusterFactory()))
    with pytest.raises(NotFound):
        training.get_session(db.session, actor=stranger, session_id=planned.id)


def test_enrolment_closes_when_the_session_starts(world):
    started = make_session(world.other_alpha, starts_at=utcnow() - timedelta(minutes=5))
    with pytest.raises(InvalidInput):
        _enrol(world.member_alpha, started)


def test_cancelling_a_session_voids_every_reservation(world, planned):
    _enrol(world.member_alpha, planned)
    _enrol(world.member_beta, planned)
    waiting = _enrol(world.correspondent_alpha, planned)
    changes = training.cancel_session(
        db.session, actor=world.other_alpha, training_session=planned, reason="Formateur malade"
    )
    assert planned.status == SessionStatus.CANCELLED
    assert {m.id for m in changes.cancelled} == {
        world.member_alpha.id,
        world.member_beta.id,
        world.correspondent_alpha.id,
    }
    assert balance(world.member_alpha).pending_debits == 0
    assert balance(world.member_beta).pending_debits == 0
    assert waiting.status == EnrollmentStatus.CANCELLED
    statuses = {e.status for e in db.session.query(Enrollment).filter_by(session_id=planned.id)}
    assert statuses == {EnrollmentStatus.CANCELLED}


@pytest.mark.parametrize("who", ["member_alpha", "member_beta", "correspondent_beta", "hr"])
def test_only_those_running_or_overseeing_may_cancel_a_session(world, planned, who):
    with pytest.raises(Forbidden):
        training.cancel_session(db.session, actor=getattr(world, who), training_session=planned)


@pytest.mark.parametrize("who", ["other_alpha", "correspondent_alpha", "admin"])
def test_trainer_company_correspondent_and_admin_may_cancel_a_session(world, planned, who):
    training.cancel_session(db.session, actor=getattr(world, who), training_session=planned)
    assert planned.status == SessionStatus.CANCELLED
