"""Real concurrency on PostgreSQL: many threads, each with its own connection, real commits.

These tests create their own database (``coop_ledger_conc_<random>``) on the server named by
``COOP_TEST_DATABASE_URL`` and drop it afterwards; they do not use the savepoint fixture.
On SQLite they are skipped: SQLite has a single writer (the services take its write lock
before reading balances), so there is no concurrent interleaving to test there.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.errors import Conflict, LimitExceeded
from coop_formation.ledger import services as ledger
from coop_formation.ledger import writing
from coop_formation.ledger.models import Account, Transfer, TransferState
from coop_formation.people.models import Cluster, Company, Member
from tests.ledger.invariants import assert_ledger_invariants
from tests.scratch_pg import scratch_engine, skip_module_unless_postgres

skip_module_unless_postgres()

pytestmark = pytest.mark.postgres_only
THREADS = 16


@pytest.fixture(scope="module")
def engine() -> Iterator[sa.Engine]:
    with scratch_engine("coop_ledger_conc", pool_size=THREADS + 2) as engine:
        yield engine


@pytest.fixture()
def people(engine: sa.Engine) -> dict[str, Any]:
    """A fresh cluster with one company and 20 members (ids only, to share across threads)."""
    tag = secrets.token_hex(4)
    with Session(engine) as session:
        cluster = Cluster(name=f"Grappe {tag}", slug=f"grappe-{tag}")
        company = Company(cluster=cluster, name=f"Entreprise {tag}", slug=f"e-{tag}")
        members = [
            Member(
                cluster=cluster,
                company=company,
                email=f"m{i}-{tag}@example.test",
                display_name=f"M{i}",
            )
            for i in range(20)
        ]
        session.add_all(members)
        session.flush()
        accounts = [ledger.member_account(session, m).id for m in members]
        fund = ledger.fund_account(session, cluster.id).id
        session.commit()
        return {
            "cluster_id": cluster.id,
            "member_ids": [m.id for m in members],
            "accounts": accounts,
            "fund": fund,
        }


def _run_together(engine: sa.Engine, count: int, work: Callable[[Session, int], Any]) -> list[Any]:
    """Run ``work(session, i)`` in ``count`` threads released at the same instant; commit each.

    Returns, per thread, the work's result or the exception it raised (after rollback).
    """
    barrier = threading.Barrier(count)

    def one(i: int) -> Any:
        with Session(engine, expire_on_commit=False) as session:
            session.connection()  # own connection, opened before the start line
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


def _give(engine: sa.Engine, people: dict[str, Any], account_id: int, amount: int) -> None:
    with Session(engine) as session:
        ledger.create_transfer(
            session,
            debit_account_id=people["fund"],
            credit_account_id=account_id,
            amount=amount,
            kind="welcome",
            idempotency_key=f"give:{secrets.token_hex(8)}",
        )
        session.commit()


def _audit(engine: sa.Engine) -> None:
    with Session(engine) as session:
        assert_ledger_invariants(session)


def _account(engine: sa.Engine, account_id: int) -> Account:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(Account, account_id)


def test_sixteen_threads_spending_the_last_credits_never_pass_the_floor(engine, people):
    payer, recipients = people["accounts"][0], people["accounts"][1:]
    _give(engine, people, payer, 300)  # 3 CF + the −5 CF floor: 8 CF may be spent

    def spend(session: Session, i: int) -> Transfer:
        return ledger.create_transfer(
            session,
            debit_account_id=payer,
            credit_account_id=recipients[i % len(recipients)],
            amount=100,
            kind="direct",
            idempotency_key=f"spend:{payer}:{i}",
            pending=bool(i % 2),
        )

    results = _run_together(engine, THREADS, spend)
    applied = [r for r in results if isinstance(r, Transfer)]
    refused = [r for r in results if isinstance(r, LimitExceeded)]
    assert len(applied) == 8 and len(refused) == 8, results
    balance = ledger.account_balance(_account(engine, payer))
    assert balance.available == -500
    _audit(engine)


def test_sixteen_threads_with_the_same_key_apply_it_once(engine, people):
    payer, payee = people["accounts"][2], people["accounts"][3]
    key = f"enrol:{secrets.token_hex(4)}"

    def enrol(session: Session, i: int) -> int:
        return ledger.create_transfer(
            session,
            debit_account_id=payer,
            credit_account_id=payee,
            amount=200,
            kind="session_fee",
            idempotency_key=key,
            pending=True,
        ).id

    results = _run_together(engine, THREADS, enrol)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert ledger.account_balance(_account(engine, payer)).pending_debits == 200
    with Session(engine) as session:
        assert (
            session.scalar(sa.select(sa.func.count()).where(Transfer.idempotency_key == key)) == 1
        )
    _audit(engine)


def test_same_key_with_different_recipients_applies_once_and_refuses_the_rest(engine, people):
    payer, others = people["accounts"][4], people["accounts"][5:]
    key = f"direct:{secrets.token_hex(4)}"

    def send(session: Session, i: int) -> Transfer:
        return ledger.create_transfer(
            session,
            debit_account_id=payer,
            credit_account_id=others[i % len(others)],
            amount=10,
            kind="direct",
            idempotency_key=key,
        )

    results = _run_together(engine, THREADS, send)
    applied = {r.id for r in results if isinstance(r, Transfer)}
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(applied) == 1
    assert len(conflicts) + sum(isinstance(r, Transfer) for r in results) == THREADS
    assert ledger.account_balance(_account(engine, payer)).posted == -10
    _audit(engine)


def test_concurrent_post_and_void_resolve_a_reservation_exactly_once(engine, people):
    payer, payee = people["accounts"][6], people["accounts"][7]
    with Session(engine) as session:
        pending_id = ledger.create_transfer(
            session,
            debit_account_id=payer,
            credit_account_id=payee,
            amount=300,
            kind="session_fee",
            idempotency_key=f"enrol:{secrets.token_hex(4)}",
            pending=True,
        ).id
        session.commit()

    def resolve(session: Session, i: int) -> Transfer:
        key = f"resolve:{pending_id}:{i}"
        if i % 2:
            return ledger.void_pending_transfer(session, pending_id, idempotency_key=key)
        return ledger.post_pending_transfer(session, pending_id, idempotency_key=key)

    results = _run_together(engine, THREADS, resolve)
    assert all(isinstance(r, Transfer | Conflict) for r in results), results
    with Session(engine) as session:
        rows = session.scalars(sa.select(Transfer).where(Transfer.pending_id == pending_id)).all()
    assert len(rows) == 1
    winner = rows[0]
    assert all(r.id == winner.id for r in results if isinstance(r, Transfer))
    balance = ledger.account_balance(_account(engine, payer))
    assert balance.pending_debits == 0
    assert balance.posted == (-300 if winner.state == TransferState.POSTED else 0)
    _audit(engine)


def test_crossing_transfers_between_the_same_accounts_do_not_deadlock(engine, people):
    a, b, c = people["accounts"][8:11]
    for account in (a, b, c):
        _give(engine, people, account, 10_000)
    pairs = [(a, b), (b, a), (b, c), (c, a), (a, c), (c, b)]

    def shuffle(session: Session, i: int) -> int:
        done = 0
        for n in range(10):
            debit, credit = pairs[(i + n) % len(pairs)]
            ledger.create_transfer(
                session,
                debit_account_id=debit,
                credit_account_id=credit,
                amount=1 + n,
                kind="direct",
                idempotency_key=f"x:{a}:{i}:{n}",
            )
            session.commit()
            done += 1
        return done

    results = _run_together(engine, THREADS, shuffle)
    assert results == [10] * THREADS, results
    _audit(engine)


def test_concurrent_first_use_creates_one_account_per_member(engine, people):
    with Session(engine) as session:
        company = session.scalars(
            sa.select(Company).where(Company.cluster_id == people["cluster_id"])
        ).first()
        member = Member(
            cluster_id=people["cluster_id"],
            company=company,
            email=f"new-{secrets.token_hex(4)}@example.test",
            display_name="Nouveau",
        )
        session.add(member)
        session.commit()
        member_id = member.id

    def first_visit(session: Session, i: int) -> int:
        member = session.get(Member, member_id)
        ledger.grant_welcome(session, member)
        return ledger.member_account(session, member).id

    results = _run_together(engine, THREADS, first_visit)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert ledger.account_balance(_account(engine, results[0])).posted == 1000
    _audit(engine)


def test_a_crash_between_the_two_account_updates_commits_nothing(engine, people, monkeypatch):
    payer, payee = people["accounts"][11], people["accounts"][12]
    real = writing.apply_balance_updates

    def half_then_crash(session, rows):  # type: ignore[no-untyped-def]
        real(session, rows[:1])
        raise RuntimeError("crash after half of the rows")

    monkeypatch.setattr(writing, "apply_balance_updates", half_then_crash)
    # PostgreSQL writes the row and both balances in one statement: take the two-step path.
    monkeypatch.setattr(writing, "COMBINED_WRITE_DIALECTS", set())
    results = _run_together(
        engine,
        4,
        lambda session, i: ledger.create_transfer(
            session,
            debit_account_id=payer,
            credit_account_id=payee,
            amount=50,
            kind="direct",
            idempotency_key=f"crash:{payer}:{i}",
        ),
    )
    assert all(isinstance(r, RuntimeError) for r in results)
    monkeypatch.setattr(writing, "apply_balance_updates", real)
    assert ledger.account_balance(_account(engine, payer)) == ledger.Balance(0, 0, 0, 0)
    with Session(engine) as session:
        assert (
            session.scalar(
                sa.select(sa.func.count()).where(Transfer.idempotency_key.like(f"crash:{payer}:%"))
            )
            == 0
        )
    _audit(engine)
