"""Real concurrency on PostgreSQL: many threads, each with its own connection, real commits.

Same approach as tests/ledger/test_concurrency.py: an own database
(``coop_training_conc_<random>``) on the server named by ``COOP_TEST_DATABASE_URL``, dropped
afterwards; no savepoint fixture. Skipped on SQLite, which has a single writer.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput, LimitExceeded
from coop_formation.exchange.models import Offer, Venue
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import Transfer
from coop_formation.people.models import Cluster, Company, Member
from coop_formation.training import services as training
from coop_formation.training.models import (
    Enrollment,
    EnrollmentStatus,
    SessionSlot,
    SessionStatus,
    TrainingSession,
)
from tests.ledger.invariants import assert_ledger_invariants
from tests.scratch_pg import scratch_engine, skip_module_unless_postgres

skip_module_unless_postgres()

pytestmark = pytest.mark.postgres_only
THREADS = 16


@pytest.fixture(scope="module")
def engine() -> Iterator[sa.Engine]:
    with scratch_engine("coop_training_conc", pool_size=THREADS + 2) as engine:
        yield engine


@pytest.fixture()
def people(engine: sa.Engine) -> dict[str, Any]:
    """A fresh cluster: a trainer, 20 learners, a venue (ids only, to share across threads)."""
    tag = secrets.token_hex(4)
    with Session(engine) as session:
        cluster = Cluster(name=f"Grappe {tag}", slug=f"grappe-{tag}")
        company = Company(cluster=cluster, name=f"Entreprise {tag}", slug=f"e-{tag}")
        trainer = Member(
            cluster=cluster, company=company, email=f"t-{tag}@example.test", display_name="T"
        )
        learners = [
            Member(
                cluster=cluster,
                company=company,
                email=f"m{i}-{tag}@example.test",
                display_name=f"M{i}",
            )
            for i in range(20)
        ]
        session.add_all([trainer, *learners])
        session.flush()
        venue = Venue(cluster_id=cluster.id, name="Salle", capacity=30)
        session.add(venue)
        session.flush()
        offer = Offer(
            cluster_id=cluster.id, company_id=company.id, trainer_id=trainer.id, title="Offre"
        )
        session.add(offer)
        session.commit()
        return {
            "cluster_id": cluster.id,
            "trainer_id": trainer.id,
            "learner_ids": [m.id for m in learners],
            "venue_id": venue.id,
            "offer_id": offer.id,
        }


def _session_with(engine: sa.Engine, people: dict[str, Any], capacity: int, days: int = 10) -> int:
    start = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    end = start + timedelta(hours=2)
    with Session(engine) as session:
        s = TrainingSession(
            cluster_id=people["cluster_id"],
            trainer_id=people["trainer_id"],
            organiser_id=people["trainer_id"],
            title="Session",
            capacity=capacity,
            remote_url="https://visio.example.test",
            price_per_learner=200,
            duration_minutes=120,
            starts_at=start,
            ends_at=end,
            slots=[SessionSlot(starts_at=start, ends_at=end)],
        )
        session.add(s)
        session.commit()
        return s.id


def _run_together(engine: sa.Engine, count: int, work: Callable[[Session, int], Any]) -> list[Any]:
    """Run ``work(session, i)`` in ``count`` threads released at once; commit each."""
    barrier = threading.Barrier(count)

    def one(i: int) -> Any:
        with Session(engine, expire_on_commit=False) as session:
            session.connection()
            barrier.wait()
            try:
                result = work(session, i)
                session.commit()
                return result
            except Exception as exc:
                session.rollback()
                return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def _enrol(session: Session, session_id: int, member_id: int, key: str | None = None) -> str:
    member = session.get(Member, member_id)
    target = session.get(TrainingSession, session_id)
    enrollment = training.enrol(
        session, actor=member, training_session=target, request_key=key or secrets.token_urlsafe(24)
    )
    return str(enrollment.status)


def _counts(engine: sa.Engine, session_id: int) -> dict[str, int]:
    with Session(engine) as session:
        rows = session.execute(
            sa.select(Enrollment.status, sa.func.count())
            .where(Enrollment.session_id == session_id)
            .group_by(Enrollment.status)
        )
        return {str(status): n for status, n in rows}


def _audit(engine: sa.Engine) -> None:
    with Session(engine) as session:
        assert_ledger_invariants(session)


def test_sixteen_learners_racing_for_five_seats_never_overfill(engine, people):
    session_id = _session_with(engine, people, capacity=5)
    learners = people["learner_ids"]
    results = _run_together(engine, THREADS, lambda s, i: _enrol(s, session_id, learners[i]))
    assert all(isinstance(r, str) for r in results), results
    assert sorted(results).count("enrolled") == 5
    assert _counts(engine, session_id) == {"enrolled": 5, "waitlisted": 11}
    with Session(engine) as session:
        positions = session.scalars(
            sa.select(Enrollment.position).where(Enrollment.status == EnrollmentStatus.WAITLISTED)
        ).all()
        assert len(set(positions)) == 11
        fees = session.scalar(
            sa.select(sa.func.count()).where(
                Transfer.kind == "session_fee", Transfer.reference_id == session_id
            )
        )
        assert fees == 5
    _audit(engine)


def test_a_resent_enrolment_form_in_eight_threads_charges_once(engine, people):
    session_id = _session_with(engine, people, capacity=5)
    member_id, key = people["learner_ids"][0], secrets.token_urlsafe(24)
    results = _run_together(engine, 8, lambda s, i: _enrol(s, session_id, member_id, key))
    assert results == ["enrolled"] * 8, results
    with Session(engine) as session:
        account = ledger.member_account(session, session.get(Member, member_id))
        assert ledger.account_balance(account).pending_debits == 200
    _audit(engine)


def test_one_member_enrolling_everywhere_at_once_stops_at_the_floor(engine, people):
    member_id = people["learner_ids"][1]
    sessions = [_session_with(engine, people, capacity=3, days=10 + i) for i in range(8)]
    results = _run_together(engine, 8, lambda s, i: _enrol(s, sessions[i], member_id))
    # Floor −5 CF, price 2 CF: two reservations fit, a third would reach −6 CF.
    assert results.count("enrolled") == 2, results
    assert sum(isinstance(r, LimitExceeded) for r in results) == 6
    with Session(engine) as session:
        account = ledger.member_account(session, session.get(Member, member_id))
        assert ledger.account_balance(account).available == -400
    _audit(engine)


def test_cancellations_and_enrolments_interleaved_keep_capacity(engine, people):
    session_id = _session_with(engine, people, capacity=3)
    learners = people["learner_ids"]
    with Session(engine) as session:
        for member_id in learners[:6]:  # 3 seated, 3 waiting
            _enrol(session, session_id, member_id)
        session.commit()

    def act(session: Session, i: int) -> str:
        if i < 3:
            target = session.get(TrainingSession, session_id)
            training.cancel_enrollment(
                session, actor=session.get(Member, learners[i]), training_session=target
            )
            return "cancelled"
        return _enrol(session, session_id, learners[3 + i])

    results = _run_together(engine, 12, act)
    assert all(isinstance(r, str) for r in results), results
    counts = _counts(engine, session_id)
    assert counts["enrolled"] == 3 and counts["cancelled"] == 3
    with Session(engine) as session:
        # the three who were waiting first got the freed seats, not the newcomers
        promoted = session.scalars(
            sa.select(Enrollment.member_id).where(
                Enrollment.session_id == session_id, Enrollment.status == EnrollmentStatus.ENROLLED
            )
        ).all()
        assert set(promoted) == set(learners[3:6])
    _audit(engine)


def test_two_organisers_booking_the_same_room_at_once_get_one_booking(engine, people):
    start = (utcnow() + timedelta(days=30)).replace(microsecond=0)

    def book(session: Session, i: int) -> int:
        trainer = session.get(Member, people["trainer_id"])
        data = training.SessionInput(
            title=f"Réservation {i}",
            capacity=5,
            venue_id=people["venue_id"],
            slots=[training.SlotInput(start + timedelta(minutes=i), start + timedelta(hours=2))],
        )
        return training.create_session(
            session, actor=trainer, data=data, offer=session.get(Offer, people["offer_id"])
        ).id

    results = _run_together(engine, 8, book)
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, InvalidInput) for r in results) == 7
    with Session(engine) as session:
        live = session.scalar(
            sa.select(sa.func.count()).where(
                TrainingSession.venue_id == people["venue_id"],
                TrainingSession.status == SessionStatus.PLANNED,
            )
        )
        assert live == 1
