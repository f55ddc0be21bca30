"""Property-based, stateful: random enrolments, cancellations, attendance, settlements and
plain transfers; after every step no session is over capacity, the ledger's invariants hold,
and every enrolment's reservation matches its status."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from coop_formation.db import utcnow
from coop_formation.errors import DomainError
from coop_formation.extensions import db
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import Transfer, TransferState
from coop_formation.people.models import Member
from coop_formation.training import services as training
from coop_formation.training.models import Enrollment, EnrollmentStatus, SessionStatus
from tests.ledger.invariants import assert_ledger_invariants
from tests.training.conftest import new_key
from tests.training.factories import give, make_session

LEARNERS = 4
SESSIONS = 3


def _resolution(pending_id: int) -> Transfer | None:
    return db.session.scalars(sa.select(Transfer).where(Transfer.pending_id == pending_id)).first()


class TrainingMachine(RuleBasedStateMachine):
    member_ids: list[int] = []  # learners then the trainer, set by the test before running

    def __init__(self) -> None:
        super().__init__()
        ids = type(self).member_ids
        self.savepoint = db.session.begin_nested()
        self.learners = [db.session.get(Member, i) for i in ids[:LEARNERS]]
        self.trainer = db.session.get(Member, ids[LEARNERS])
        self.now = utcnow().replace(microsecond=0)
        self.sessions = [
            make_session(
                self.trainer,
                capacity=1 + i,
                minutes=60 * (1 + i),
                starts_at=self.now + timedelta(days=10 + i),
                title=f"S{i}",
            )
            for i in range(SESSIONS)
        ]
        give(self.learners[0], 300, new_key())
        self.keys: list[tuple[int, int, str]] = []

    def teardown(self) -> None:
        # Each example starts from the same database and an empty identity map.
        self.savepoint.rollback()
        db.session.expunge_all()

    def _do(self, action) -> None:  # type: ignore[no-untyped-def]
        """One user action: refused actions roll back their own savepoint, as a view would."""
        try:
            with db.session.begin_nested():
                action()
        except DomainError:
            pass

    def _after(self, s) -> object:  # type: ignore[no-untyped-def]
        return s.ends_at + timedelta(hours=1)

    @rule(
        who=st.integers(0, LEARNERS - 1), which=st.integers(0, SESSIONS - 1), replay=st.booleans()
    )
    def enrol(self, who: int, which: int, replay: bool) -> None:
        previous = [k for (w, s, k) in self.keys if (w, s) == (who, which)]
        key = previous[-1] if replay and previous else new_key()
        self.keys.append((who, which, key))
        self._do(
            lambda: training.enrol(
                db.session,
                actor=self.learners[who],
                training_session=self.sessions[which],
                request_key=key,
                now=self.now,
            )
        )

    @rule(who=st.integers(0, LEARNERS - 1), which=st.integers(0, SESSIONS - 1))
    def cancel_enrollment(self, who: int, which: int) -> None:
        self._do(
            lambda: training.cancel_enrollment(
                db.session,
                actor=self.learners[who],
                training_session=self.sessions[which],
                now=self.now,
            )
        )

    @rule(which=st.integers(0, SESSIONS - 1))
    def cancel_session(self, which: int) -> None:
        self._do(
            lambda: training.cancel_session(
                db.session,
                actor=self.trainer,
                training_session=self.sessions[which],
            )
        )

    @rule(which=st.integers(0, SESSIONS - 1), present=st.sets(st.integers(0, LEARNERS - 1)))
    def take_attendance(self, which: int, present: set[int]) -> None:
        s = self.sessions[which]
        seated = {
            e.member_id
            for e in db.session.scalars(
                sa.select(Enrollment).where(
                    Enrollment.session_id == s.id,
                    Enrollment.status.in_(
                        [
                            EnrollmentStatus.ENROLLED,
                            EnrollmentStatus.ATTENDED,
                            EnrollmentStatus.NO_SHOW,
                        ]
                    ),
                )
            )
        }
        ids = {self.learners[i].id for i in present} & seated
        self._do(
            lambda: training.record_attendance(
                db.session,
                actor=self.trainer,
                training_session=s,
                attended_member_ids=ids,
                now=self._after(s),
            )
        )

    @rule(which=st.integers(0, SESSIONS - 1))
    def settle(self, which: int) -> None:
        self._do(
            lambda: training.settle_session(
                db.session,
                actor=self.trainer,
                training_session=self.sessions[which],
            )
        )

    @rule(
        payer=st.integers(0, LEARNERS - 1),
        payee=st.integers(0, LEARNERS),
        amount=st.integers(1, 400),
    )
    def transfer(self, payer: int, payee: int, amount: int) -> None:
        people = [*self.learners, self.trainer]
        if payer == payee:
            return

        def send() -> None:
            ledger.create_transfer(
                db.session,
                debit_account_id=ledger.member_account(db.session, people[payer]).id,
                credit_account_id=ledger.member_account(db.session, people[payee]).id,
                amount=amount,
                kind="direct",
                idempotency_key=new_key(),
            )

        self._do(send)

    @invariant()
    def no_session_over_capacity(self) -> None:
        for s in self.sessions:
            assert training.seats_taken(db.session, s.id) <= s.capacity

    @invariant()
    def ledger_holds(self) -> None:
        assert_ledger_invariants(db.session)

    @invariant()
    def reservations_match_statuses(self) -> None:
        policy = ledger.current_policy(db.session, self.trainer.cluster_id)
        for e in db.session.scalars(sa.select(Enrollment)):
            db.session.refresh(e)
            s = e.session
            db.session.refresh(s)
            pending = (
                db.session.get(Transfer, e.pending_transfer_id) if e.pending_transfer_id else None
            )
            resolved = _resolution(pending.id) if pending else None
            if e.status == EnrollmentStatus.WAITLISTED:
                assert e.position is not None and pending is None
            elif e.status == EnrollmentStatus.ENROLLED:
                assert s.status == SessionStatus.PLANNED
                assert pending is not None and pending.state == TransferState.PENDING
                assert resolved is None and pending.amount == s.price_per_learner
            elif e.status == EnrollmentStatus.CANCELLED:
                assert resolved is not None if pending else True
                if resolved is not None:
                    assert resolved.state == TransferState.VOIDED
            else:  # attended or no-show
                assert pending is not None
                if s.status != SessionStatus.SETTLED:
                    assert resolved is None
                elif e.status == EnrollmentStatus.ATTENDED or policy.no_show_rule == "post":
                    assert resolved is not None and resolved.state == TransferState.POSTED
                else:
                    assert resolved is not None and resolved.state == TransferState.VOIDED
        for s in self.sessions:
            teach = db.session.scalars(
                sa.select(Transfer).where(Transfer.idempotency_key == f"teach:{s.id}")
            ).all()
            assert len(teach) <= 1
            if teach:
                assert s.status == SessionStatus.SETTLED


def test_random_training_activity_keeps_every_invariant(world):
    w = world
    people = [
        w.member_alpha,
        w.correspondent_alpha,
        w.member_beta,
        w.correspondent_beta,
        w.other_alpha,
    ]
    TrainingMachine.member_ids = [m.id for m in people]
    run_state_machine_as_test(
        TrainingMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
