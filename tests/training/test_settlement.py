"""Attendance and settlement: one transaction, once, paid as policy says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coop_formation import events
from coop_formation.db import utcnow
from coop_formation.errors import Conflict, Forbidden, InvalidInput
from coop_formation.extensions import db
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import LedgerPolicy, NoShowRule, Transfer, TransferState
from coop_formation.training import services as training
from coop_formation.training.models import Enrollment, EnrollmentStatus, SessionStatus
from tests.training.conftest import new_key
from tests.training.factories import balance, fund_balance, make_session

# Two hours taught + 60 minutes preparation at 1 CF/h = 3 CF.
TRAINER_CREDIT = 300


@pytest.fixture()
def held_soon(world):  # type: ignore[no-untyped-def]
    """A session in ten days with Alice, Bruno and Chloé enrolled (capacity 3)."""
    s = make_session(world.other_alpha, capacity=3)
    for member in (world.member_alpha, world.member_beta, world.correspondent_alpha):
        training.enrol(db.session, actor=member, training_session=s, request_key=new_key())
    return s


def _statuses(s):  # type: ignore[no-untyped-def]
    return [e.status for e in db.session.query(Enrollment).filter_by(session_id=s.id)]


def _after(s):  # type: ignore[no-untyped-def]
    return s.ends_at + timedelta(hours=1)


def _attend(s, actor, members):  # type: ignore[no-untyped-def]
    training.record_attendance(
        db.session,
        actor=actor,
        training_session=s,
        attended_member_ids={m.id for m in members},
        now=_after(s),
    )


def test_settlement_posts_fees_and_credits_the_trainer(world, held_soon):
    s = held_soon
    _attend(s, world.other_alpha, [world.member_alpha, world.member_beta])
    assert s.status == SessionStatus.HELD
    result = training.settle_session(
        db.session, actor=world.other_alpha, training_session=s, now=_after(s)
    )
    assert s.status == SessionStatus.SETTLED and s.settled_at is not None
    assert result.fees_posted == 3  # default no-show rule: the no-show pays too
    for learner in (world.member_alpha, world.member_beta, world.correspondent_alpha):
        assert balance(learner).posted == -200 and balance(learner).pending_debits == 0
    assert balance(world.other_alpha).posted == TRAINER_CREDIT
    assert fund_balance(world.cluster.id).posted == 3 * 200 - TRAINER_CREDIT  # surplus kept
    teach = db.session.query(Transfer).filter_by(idempotency_key=f"teach:{s.id}").one()
    assert teach.kind == "teaching" and teach.amount == TRAINER_CREDIT


def test_no_show_is_voided_when_policy_says_so(world, held_soon):
    policy = LedgerPolicy.defaults(world.cluster.id)
    policy.no_show_rule = NoShowRule.VOID
    db.session.add(policy)
    db.session.flush()
    _attend(held_soon, world.other_alpha, [world.member_alpha])
    result = training.settle_session(
        db.session, actor=world.other_alpha, training_session=held_soon, now=_after(held_soon)
    )
    assert (result.fees_posted, result.fees_voided) == (1, 2)
    assert balance(world.member_beta).posted == 0 and balance(world.member_beta).pending_debits == 0
    assert balance(world.member_alpha).posted == -200


def test_fund_covers_the_deficit_of_a_small_session(world):
    s = make_session(world.other_alpha, capacity=3)
    training.enrol(db.session, actor=world.member_alpha, training_session=s, request_key=new_key())
    _attend(s, world.other_alpha, [world.member_alpha])
    training.settle_session(db.session, actor=world.other_alpha, training_session=s, now=_after(s))
    assert fund_balance(world.cluster.id).posted == 200 - TRAINER_CREDIT


def test_settling_twice_changes_nothing_more(world, held_soon):
    _attend(held_soon, world.other_alpha, [world.member_alpha])
    training.settle_session(
        db.session, actor=world.other_alpha, training_session=held_soon, now=_after(held_soon)
    )
    transfers = db.session.query(Transfer).count()
    again = training.settle_session(
        db.session,
        actor=world.correspondent_alpha,
        training_session=held_soon,
        now=_after(held_soon),
    )
    assert again.already_settled
    assert db.session.query(Transfer).count() == transfers
    assert balance(world.other_alpha).posted == TRAINER_CREDIT


def test_settlement_needs_attendance_first(world, held_soon):
    with pytest.raises(InvalidInput, match="présences"):
        training.settle_session(
            db.session, actor=world.other_alpha, training_session=held_soon, now=_after(held_soon)
        )


def test_attendance_cannot_be_taken_before_the_session_starts(world, held_soon):
    with pytest.raises(Conflict, match="fin de la session"):
        training.record_attendance(
            db.session,
            actor=world.other_alpha,
            training_session=held_soon,
            attended_member_ids=set(),
        )


def test_attendance_refuses_someone_not_enrolled(world, held_soon):
    with pytest.raises(InvalidInput):
        _attend(held_soon, world.other_alpha, [world.correspondent_beta])


def test_waiting_members_leave_the_list_when_the_session_is_held(world):
    s = make_session(world.other_alpha, capacity=1)
    training.enrol(db.session, actor=world.member_alpha, training_session=s, request_key=new_key())
    waiting = training.enrol(
        db.session, actor=world.member_beta, training_session=s, request_key=new_key()
    )
    _attend(s, world.other_alpha, [world.member_alpha])
    assert waiting.status == EnrollmentStatus.CANCELLED and waiting.position is None


def test_empty_room_earns_the_trainer_nothing(world, held_soon):
    _attend(held_soon, world.other_alpha, [])
    training.settle_session(
        db.session, actor=world.other_alpha, training_session=held_soon, now=_after(held_soon)
    )
    assert balance(world.other_alpha).posted == 0


def test_crash_half_way_through_settlement_leaves_nothing_half_written(
    world, held_soon, monkeypatch
):
    s = held_soon
    _attend(
        s, world.other_alpha, [world.member_alpha, world.member_beta, world.correspondent_alpha]
    )
    learners = (world.member_alpha, world.member_beta, world.correspondent_alpha)
    before = {m.id: balance(m) for m in learners}
    fund_before = fund_balance(world.cluster.id)
    transfers_before = db.session.query(Transfer).count()
    real_post = ledger.post_pending_transfer
    calls = []

    def crash_after_half(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("simulated crash")
        return real_post(*args, **kwargs)

    monkeypatch.setattr(ledger, "post_pending_transfer", crash_after_half)
    with pytest.raises(RuntimeError, match="simulated crash"):
        training.settle_session(
            db.session, actor=world.other_alpha, training_session=s, now=_after(s)
        )
    assert len(calls) == 2  # one learner was posted before the crash
    db.session.expire_all()
    assert s.status == SessionStatus.HELD and s.settled_at is None
    assert db.session.query(Transfer).count() == transfers_before
    assert {m.id: balance(m) for m in learners} == before
    assert all(e == EnrollmentStatus.ATTENDED for e in _statuses(s))
    assert fund_balance(world.cluster.id) == fund_before
    posted = (
        db.session.query(Transfer).filter_by(state=TransferState.POSTED, kind="session_fee").count()
    )
    assert posted == 0
    # And once the fault is gone, settlement goes through in full.
    monkeypatch.setattr(ledger, "post_pending_transfer", real_post)
    training.settle_session(db.session, actor=world.other_alpha, training_session=s, now=_after(s))
    assert s.status == SessionStatus.SETTLED


@pytest.mark.parametrize("who", ["member_alpha", "member_beta", "correspondent_beta", "hr"])
def test_others_cannot_settle(world, held_soon, who):
    _attend(held_soon, world.other_alpha, [world.member_alpha])
    with pytest.raises(Forbidden):
        training.settle_session(
            db.session, actor=getattr(world, who), training_session=held_soon, now=_after(held_soon)
        )


@pytest.mark.parametrize("who", ["correspondent_alpha", "admin"])
def test_trainer_company_correspondent_or_admin_may_settle(world, held_soon, who):
    _attend(held_soon, world.other_alpha, [world.member_alpha])
    training.settle_session(
        db.session, actor=getattr(world, who), training_session=held_soon, now=_after(held_soon)
    )
    assert held_soon.status == SessionStatus.SETTLED


@pytest.mark.parametrize("who", ["member_alpha", "correspondent_alpha", "admin"])
def test_only_trainer_or_organiser_take_attendance(world, held_soon, who):
    with pytest.raises(Forbidden):
        _attend(held_soon, getattr(world, who), [])


def test_organiser_takes_attendance(world):
    s = make_session(
        world.other_alpha,
        organiser=world.correspondent_beta,
        starts_at=utcnow() - timedelta(hours=3),
    )
    _attend(s, world.correspondent_beta, [])
    assert s.status == SessionStatus.HELD


def test_settling_tells_the_rooms_above_once(world, held_soon):
    """Recognition (above training) learns of the settlement only through the event."""
    heard: list[dict] = []

    def listener(session, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(kwargs)

    _attend(held_soon, world.other_alpha, [world.member_alpha])
    with events.session_settled.connected_to(listener):
        training.settle_session(
            db.session, actor=world.other_alpha, training_session=held_soon, now=_after(held_soon)
        )
        again = training.settle_session(
            db.session, actor=world.other_alpha, training_session=held_soon, now=_after(held_soon)
        )
    assert again.already_settled
    assert heard == [{"training_session": held_soon, "actor": world.other_alpha}]


def test_cancelling_tells_the_rooms_above(world, held_soon):
    heard: list[dict] = []

    def listener(session, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(kwargs)

    with events.session_cancelled.connected_to(listener):
        training.cancel_session(db.session, actor=world.other_alpha, training_session=held_soon)
    assert heard == [{"training_session": held_soon, "actor": world.other_alpha}]
