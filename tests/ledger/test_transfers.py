"""The transfer engine: posted and two-phase transfers, limits, idempotency, reversals, chains."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coop_formation.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from coop_formation.ledger import services as ledger
from coop_formation.ledger import transfers as engine
from coop_formation.ledger import writing
from coop_formation.ledger.models import Account, AccountKind, Transfer, TransferState
from tests.ledger.conftest import fund_member, new_key
from tests.ledger.invariants import assert_ledger_invariants


def _accounts(session, world):  # type: ignore[no-untyped-def]
    alice = ledger.member_account(session, world.member_alpha)
    paul = ledger.member_account(session, world.other_alpha)
    return alice, paul


def _send(session, debit, credit, amount, key=None, **extra):  # type: ignore[no-untyped-def]
    return ledger.create_transfer(
        session,
        debit_account_id=debit.id,
        credit_account_id=credit.id,
        amount=amount,
        kind=extra.pop("kind", "direct"),
        idempotency_key=key or new_key(),
        **extra,
    )


def test_member_account_is_created_once_with_policy_limits(db_session, world):
    first = ledger.member_account(db_session, world.member_alpha)
    again = ledger.member_account(db_session, world.member_alpha)
    assert first.id == again.id
    assert first.kind == AccountKind.MEMBER
    assert (first.floor, first.ceiling) == (-500, None)
    assert ledger.account_balance(first) == ledger.Balance(0, 0, 0, 0)


def test_fund_and_issuance_are_one_per_cluster_without_floor(db_session, world):
    fund = ledger.fund_account(db_session, world.cluster.id)
    assert ledger.fund_account(db_session, world.cluster.id).id == fund.id
    issuance = ledger.issuance_account(db_session, world.cluster.id)
    assert issuance.id != fund.id
    assert fund.floor is None and issuance.floor is None
    company = ledger.company_account(db_session, world.alpha)
    assert company.floor == 0 and company.company_id == world.alpha.id


def test_posted_transfer_moves_credits_and_keeps_zero_sum(db_session, world):
    alice, paul = _accounts(db_session, world)
    fund_member(db_session, world.member_alpha, 1000)
    transfer = _send(db_session, alice, paul, 250, memo="Merci pour l'aide")
    assert transfer.state == TransferState.POSTED
    assert ledger.account_balance(alice).posted == 750
    assert ledger.account_balance(paul).posted == 250
    assert_ledger_invariants(db_session)


def test_member_may_go_down_to_the_floor_but_not_below(db_session, world):
    alice, paul = _accounts(db_session, world)
    _send(db_session, alice, paul, 500)  # exactly the floor (−5 CF)
    assert ledger.account_balance(alice).available == -500
    with pytest.raises(LimitExceeded):
        _send(db_session, alice, paul, 1)
    assert_ledger_invariants(db_session)


def test_refusal_says_why_in_french_and_changes_nothing(db_session, world):
    alice, paul = _accounts(db_session, world)
    _send(db_session, alice, paul, 750 - 500)  # available 2,50 − 5 = −2,50 → 2,50 CF left
    before = db_session.scalar(sa.select(sa.func.count()).select_from(Transfer))
    with pytest.raises(LimitExceeded) as caught:
        _send(db_session, alice, paul, 400)
    message = caught.value.message
    assert message == (
        "Solde disponible insuffisant : il vous reste 2,50\u00a0CF, ce transfert de "
        "4,00\u00a0CF vous ferait passer sous le plancher de \u22125,00\u00a0CF."
    )
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Transfer)) == before
    assert ledger.account_balance(alice).posted == -250


def test_ceiling_refuses_credits_beyond_it(db_session, world):
    alice, paul = _accounts(db_session, world)
    paul.ceiling = 300
    db_session.flush()
    _send(db_session, alice, paul, 300)
    with pytest.raises(LimitExceeded) as caught:
        _send(db_session, ledger.fund_account(db_session, world.cluster.id), paul, 1)
    assert "plafond" in caught.value.message
    assert_ledger_invariants(db_session)


def test_a_ceiling_refusal_never_tells_the_sender_the_beneficiarys_balance(db_session, world):
    alice, paul = _accounts(db_session, world)
    paul.ceiling = 500
    db_session.flush()
    _send(db_session, alice, paul, 450)
    with pytest.raises(LimitExceeded) as caught:
        _send(db_session, ledger.fund_account(db_session, world.cluster.id), paul, 100)
    message = caught.value.message
    assert "1,00" in message and "5,00" in message  # the amount and the (public) ceiling
    assert "4,50" not in message and "5,50" not in message


def test_pending_reservation_counts_against_available_balance(db_session, world):
    alice, paul = _accounts(db_session, world)
    fund_member(db_session, world.member_alpha, 200)
    reservation = _send(db_session, alice, paul, 600, pending=True)
    balance = ledger.account_balance(alice)
    assert (balance.posted, balance.pending_debits, balance.available) == (200, 600, -400)
    assert ledger.account_balance(paul).pending_credits == 600
    with pytest.raises(LimitExceeded):
        _send(db_session, alice, paul, 101)
    assert reservation.state == TransferState.PENDING
    assert_ledger_invariants(db_session)


def test_posting_a_reservation_moves_it_once(db_session, world):
    alice, paul = _accounts(db_session, world)
    reservation = _send(db_session, alice, paul, 200, pending=True)
    posted = ledger.post_pending_transfer(db_session, reservation.id, idempotency_key="post-1")
    assert posted.state == TransferState.POSTED and posted.pending_id == reservation.id
    again = ledger.post_pending_transfer(db_session, reservation.id, idempotency_key="post-1")
    assert again.id == posted.id
    assert ledger.account_balance(alice) == ledger.Balance(-200, 0, 0, -200)
    assert ledger.account_balance(paul).posted == 200
    with pytest.raises(Conflict):
        ledger.void_pending_transfer(db_session, reservation.id, idempotency_key="void-1")
    assert_ledger_invariants(db_session)


def test_partial_post_releases_the_rest(db_session, world):
    alice, paul = _accounts(db_session, world)
    reservation = _send(db_session, alice, paul, 300, pending=True)
    ledger.post_pending_transfer(db_session, reservation.id, idempotency_key=new_key(), amount=100)
    assert ledger.account_balance(alice) == ledger.Balance(-100, 0, 0, -100)
    with pytest.raises(InvalidInput):
        other = _send(db_session, alice, paul, 50, pending=True)
        ledger.post_pending_transfer(db_session, other.id, idempotency_key=new_key(), amount=60)
    assert_ledger_invariants(db_session)


def test_voiding_a_reservation_releases_it_and_cannot_be_posted_after(db_session, world):
    alice, paul = _accounts(db_session, world)
    reservation = _send(db_session, alice, paul, 300, pending=True)
    void = ledger.void_pending_transfer(db_session, reservation.id, idempotency_key="v")
    assert void.state == TransferState.VOIDED and void.amount == 300
    assert ledger.account_balance(alice) == ledger.Balance(0, 0, 0, 0)
    assert (
        ledger.void_pending_transfer(db_session, reservation.id, idempotency_key="v").id == void.id
    )
    # resolved the same way under another key: the existing resolution is returned
    assert (
        ledger.void_pending_transfer(db_session, reservation.id, idempotency_key="v2").id == void.id
    )
    with pytest.raises(Conflict):
        ledger.post_pending_transfer(db_session, reservation.id, idempotency_key="p")
    assert_ledger_invariants(db_session)


def test_only_a_reservation_can_be_posted_or_voided(db_session, world):
    alice, paul = _accounts(db_session, world)
    posted = _send(db_session, alice, paul, 10)
    with pytest.raises(InvalidInput):
        ledger.post_pending_transfer(db_session, posted.id, idempotency_key=new_key())
    with pytest.raises(NotFound):
        ledger.void_pending_transfer(db_session, 10**9, idempotency_key=new_key())


def test_retry_with_same_key_returns_the_same_transfer_and_charges_once(db_session, world):
    alice, paul = _accounts(db_session, world)
    first = _send(db_session, alice, paul, 300, key="enrol:1", pending=True)
    second = _send(db_session, alice, paul, 300, key="enrol:1", pending=True)
    assert first.id == second.id
    assert ledger.account_balance(alice).pending_debits == 300
    assert_ledger_invariants(db_session)


def test_retry_is_answered_even_when_the_first_attempt_used_the_last_credits(db_session, world):
    alice, paul = _accounts(db_session, world)
    first = _send(db_session, alice, paul, 500, key="all-in")
    assert _send(db_session, alice, paul, 500, key="all-in").id == first.id


def test_same_key_with_other_parameters_is_a_conflict(db_session, world):
    alice, paul = _accounts(db_session, world)
    _send(db_session, alice, paul, 100, key="k")
    with pytest.raises(Conflict):
        _send(db_session, alice, paul, 200, key="k")
    with pytest.raises(Conflict):
        _send(db_session, paul, alice, 100, key="k")
    assert ledger.account_balance(alice).posted == -100


@pytest.mark.parametrize(
    ("amount", "kind", "key"),
    [
        (0, "direct", "k"),
        (-5, "direct", "k"),
        (1.5, "direct", "k"),
        (True, "direct", "k"),
        (1, "", "k"),
        (1, "direct", ""),
    ],
)
def test_bad_transfer_input_is_refused(db_session, world, amount, kind, key):
    alice, paul = _accounts(db_session, world)
    with pytest.raises(InvalidInput):
        ledger.create_transfer(
            db_session,
            debit_account_id=alice.id,
            credit_account_id=paul.id,
            amount=amount,
            kind=kind,
            idempotency_key=key,
        )


def test_account_cannot_pay_itself_nor_an_unknown_account(db_session, world):
    alice, _paul = _accounts(db_session, world)
    with pytest.raises(InvalidInput):
        _send(db_session, alice, alice, 1)
    with pytest.raises(NotFound):
        ledger.create_transfer(
            db_session,
            debit_account_id=alice.id,
            credit_account_id=10**9,
            amount=1,
            kind="direct",
            idempotency_key=new_key(),
        )


def test_reversal_corrects_a_transfer_once(db_session, world):
    alice, paul = _accounts(db_session, world)
    original = _send(db_session, alice, paul, 120)
    reversal = ledger.reverse_transfer(
        db_session, original.id, idempotency_key="rev", memo="erreur"
    )
    assert (reversal.debit_account_id, reversal.credit_account_id) == (paul.id, alice.id)
    assert reversal.reversal_of_id == original.id and reversal.kind == "reversal"
    assert (
        ledger.reverse_transfer(db_session, original.id, idempotency_key="rev", memo="erreur").id
        == reversal.id
    )
    with pytest.raises(Conflict):
        ledger.reverse_transfer(db_session, original.id, idempotency_key="rev-2")
    with pytest.raises(Conflict):
        ledger.reverse_transfer(db_session, reversal.id, idempotency_key="rev-3")
    assert ledger.account_balance(alice).posted == 0 == ledger.account_balance(paul).posted
    assert_ledger_invariants(db_session)


def test_reservation_cannot_be_reversed(db_session, world):
    alice, paul = _accounts(db_session, world)
    reservation = _send(db_session, alice, paul, 10, pending=True)
    with pytest.raises(InvalidInput):
        ledger.reverse_transfer(db_session, reservation.id, idempotency_key=new_key())


def test_reversal_respects_the_beneficiarys_floor(db_session, world):
    alice, paul = _accounts(db_session, world)
    original = _send(db_session, alice, paul, 300)
    _send(db_session, paul, alice, 800)  # Paul spends it all and more (300 − 800 = −500)
    with pytest.raises(LimitExceeded):
        ledger.reverse_transfer(db_session, original.id, idempotency_key=new_key())
    assert_ledger_invariants(db_session)


def test_each_transfer_extends_both_account_chains(db_session, world):
    alice, paul = _accounts(db_session, world)
    first = _send(db_session, alice, paul, 10)
    second = _send(db_session, paul, alice, 5)
    assert first.prev_debit_hash is None and first.prev_credit_hash is None
    assert second.prev_debit_hash == first.hash == second.prev_credit_hash
    assert alice.last_transfer_hash == second.hash == paul.last_transfer_hash
    assert engine.compute_hash(second) == second.hash


def test_audit_detects_a_tampered_amount(db_session, world):
    alice, paul = _accounts(db_session, world)
    transfer = _send(db_session, alice, paul, 10)
    db_session.execute(sa.update(Transfer).where(Transfer.id == transfer.id).values(amount=11))
    violations = ledger.check_ledger(db_session).violations
    assert any("empreinte" in line for line in violations)
    assert any(f"compte {alice.id}" in line for line in violations)


def test_audit_detects_a_balance_edited_in_place(db_session, world):
    alice, paul = _accounts(db_session, world)
    _send(db_session, alice, paul, 10)
    db_session.execute(sa.update(Account).where(Account.id == paul.id).values(credits_posted=1000))
    violations = ledger.check_ledger(db_session).violations
    assert any("credits_posted" in line for line in violations)
    assert any("somme des soldes" in line for line in violations)


def test_audit_detects_a_deleted_transfer(db_session, world):
    alice, paul = _accounts(db_session, world)
    first = _send(db_session, alice, paul, 10)
    _send(db_session, alice, paul, 20)
    db_session.execute(sa.delete(Transfer).where(Transfer.id == first.id))
    violations = ledger.check_ledger(db_session).violations
    assert any("chaîne rompue" in line for line in violations)


def test_database_refuses_an_account_past_its_floor_even_without_the_services(db_session, world):
    alice, _paul = _accounts(db_session, world)
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.execute(
            sa.update(Account).where(Account.id == alice.id).values(debits_posted=501)
        )


def test_database_refuses_a_non_positive_amount_and_a_double_resolution(db_session, world):
    alice, paul = _accounts(db_session, world)
    reservation = _send(db_session, alice, paul, 10, pending=True)
    ledger.void_pending_transfer(db_session, reservation.id, idempotency_key=new_key())
    base = {
        "cluster_id": world.cluster.id,
        "debit_account_id": alice.id,
        "credit_account_id": paul.id,
        "kind": "direct",
        "hash": "x",
    }
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.execute(
            sa.insert(Transfer).values(
                base | {"amount": 0, "state": "posted", "idempotency_key": "z1"}
            )
        )
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.execute(
            sa.insert(Transfer).values(
                base
                | {
                    "amount": 10,
                    "state": "posted",
                    "pending_id": reservation.id,
                    "idempotency_key": "z2",
                }
            )
        )
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.execute(
            sa.insert(Transfer).values(
                base | {"amount": 10, "state": "voided", "idempotency_key": "z3"}
            )
        )


def test_crash_between_the_two_account_updates_leaves_nothing_written(
    db_session, world, monkeypatch
):
    alice, paul = _accounts(db_session, world)
    fund_member(db_session, world.member_alpha, 100)
    db_session.commit()
    real = writing.apply_balance_updates

    def half_then_crash(session, rows):  # type: ignore[no-untyped-def]
        real(session, rows[:1])  # the debit side is written…
        raise RuntimeError("power cut")  # …and the process dies before the credit side

    monkeypatch.setattr(writing, "apply_balance_updates", half_then_crash)
    # PostgreSQL writes the row and both balances in one statement: take the two-step path.
    monkeypatch.setattr(writing, "COMBINED_WRITE_DIALECTS", set())
    count = db_session.scalar(sa.select(sa.func.count()).select_from(Transfer))
    with pytest.raises(RuntimeError):
        _send(db_session, alice, paul, 50)
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Transfer)) == count
    alice = db_session.get(Account, alice.id)
    assert ledger.account_balance(alice).posted == 100
    assert_ledger_invariants(db_session)


def test_crash_between_the_two_transfers_of_a_contribution_leaves_nothing_written(
    db_session, world, monkeypatch
):
    from coop_formation.ledger import contributions
    from tests.ledger.conftest import form_token

    calls = []
    real = contributions.create_transfer

    def second_call_crashes(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["kind"])
        if len(calls) == 2:
            raise RuntimeError("crash")
        return real(*args, **kwargs)

    db_session.commit()
    monkeypatch.setattr(contributions, "create_transfer", second_call_crashes)
    with pytest.raises(RuntimeError):
        ledger.record_contribution(
            db_session,
            world.hr,
            company_id=world.alpha.id,
            amount=1000,
            memo="Prix",
            form_token=form_token(),
        )
    db_session.rollback()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Transfer)) == 0
    assert_ledger_invariants(db_session)


def test_api_schemas_dump_transfers_and_balances_as_integers(db_session, world):
    from coop_formation.ledger.schemas import BalanceSchema, TransferSchema

    alice, paul = _accounts(db_session, world)
    transfer = _send(db_session, alice, paul, 125, pending=True)
    dumped = TransferSchema().dump(transfer)
    assert (dumped["amount"], dumped["state"], dumped["hash"]) == (125, "pending", transfer.hash)
    assert BalanceSchema().dump(ledger.account_balance(alice)) == {
        "posted": 0,
        "pending_debits": 125,
        "pending_credits": 0,
        "available": -125,
    }


def test_a_transfer_costs_one_lock_and_one_write_and_keeps_loaded_accounts_in_step(
    db_session, world, count_queries
):
    alice, paul = _accounts(db_session, world)
    fund_member(db_session, world.member_alpha, 100)
    before = ledger.account_balance(alice).posted
    with count_queries() as statements:
        transfer = _send(db_session, alice, paul, 30)
    # PostgreSQL: SELECT … FOR NO KEY UPDATE, then INSERT and both UPDATEs in one statement;
    # SQLite: the writer-lock UPDATE, the SELECT, the INSERT and one UPDATE of both rows.
    postgres = db_session.get_bind().dialect.name == "postgresql"
    assert len(statements) == (2 if postgres else 4), statements
    assert ledger.account_balance(alice).posted == before - 30
    assert ledger.account_balance(paul).posted == 30
    assert alice.last_transfer_hash == paul.last_transfer_hash == transfer.hash
    db_session.expire_all()
    assert ledger.account_balance(db_session.get(Account, alice.id)).posted == before - 30
    assert db_session.get(Transfer, transfer.id).hash == transfer.hash
    assert_ledger_invariants(db_session)


def test_a_transfer_works_as_the_first_orm_use_of_a_fresh_process(tmp_path):
    # The engine attaches the new Transfer object without calling Transfer(): mappers must be
    # configured first, which nothing else guarantees in a fresh worker (e.g. a bench client).
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import sys
        import sqlalchemy as sa
        from sqlalchemy.orm import Session
        from coop_formation.extensions import db
        from coop_formation.models import import_all
        import_all()
        from coop_formation.ledger import services as ledger
        engine = sa.create_engine("sqlite:///" + sys.argv[1])
        db.metadata.create_all(engine)
        accounts = db.metadata.tables["ledger_accounts"]
        with engine.begin() as conn:  # SQLite enforces no foreign key here: no cluster row
            for kind in ("fund", "issuance"):
                conn.execute(accounts.insert().values(cluster_id=1, kind=kind,
                    debits_pending=0, debits_posted=0, credits_pending=0, credits_posted=0,
                    created_at=sa.func.now()))
        with Session(engine) as session:
            t = ledger.create_transfer(session, debit_account_id=2, credit_account_id=1,
                amount=5, kind="direct", idempotency_key="fresh")
            session.commit()
            print(t.id, t.amount, t.state.value)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "fresh.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "5", "posted"]
