"""A hypothesis state machine driving the ledger services with random operations.

After every step it checks all ledger invariants (:func:`assert_ledger_invariants`) and that
each account holds exactly what an independent in-memory model predicts, including which
transfers the limits must refuse. Extend it by subclassing :class:`LedgerMachine` (e.g. add
enrolment rules); use ``self.session``, ``self.members``, ``self.accounts`` and
``self.expect(...)`` to keep the model in step, then run it like ``test_stateful.py`` does.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule
from sqlalchemy.orm import Session

from coop_formation.errors import Conflict, LimitExceeded
from coop_formation.extensions import db
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import Account, TransferState
from coop_formation.people.models import Cluster, Company, Member
from tests.ledger.invariants import assert_ledger_invariants


@dataclass
class Expected:
    posted: int = 0
    pending_debits: int = 0
    pending_credits: int = 0
    floor: int | None = None
    ceiling: int | None = None

    @property
    def available(self) -> int:
        return self.posted - self.pending_debits


@dataclass(frozen=True)
class Sent:
    """What the machine asked for, to replay it (same key) later."""

    id: int
    debit: int
    credit: int
    amount: int
    key: str
    pending: bool
    extra: dict = field(default_factory=dict, hash=False, compare=False)


class LedgerMachine(RuleBasedStateMachine):
    app: Flask  # set by the test that runs the machine

    pendings = Bundle("pendings")
    posted = Bundle("posted")

    def __init__(self) -> None:
        super().__init__()
        self._ctx = self.app.test_request_context()
        self._ctx.push()
        self.connection = db.engine.connect()
        self.outer = self.connection.begin()
        self.session = Session(bind=self.connection, join_transaction_mode="create_savepoint")
        tag = secrets.token_hex(4)
        self.cluster = Cluster(name=f"Grappe {tag}", slug=f"g-{tag}")
        companies = [
            Company(cluster=self.cluster, name=f"E{i}-{tag}", slug=f"e{i}-{tag}") for i in range(2)
        ]
        self.members = [
            Member(
                cluster=self.cluster,
                company=companies[i % 2],
                email=f"s{i}-{tag}@example.test",
                display_name=f"S{i}",
            )
            for i in range(4)
        ]
        self.session.add_all(self.members)
        self.session.flush()
        self.accounts = [ledger.member_account(self.session, m) for m in self.members]
        self.fund = ledger.fund_account(self.session, self.cluster.id)
        self.model: dict[int, Expected] = {
            a.id: Expected(floor=a.floor, ceiling=a.ceiling) for a in self.accounts
        }
        self.model[self.fund.id] = Expected()
        self.welcomed: set[int] = set()

    def teardown(self) -> None:
        self.session.close()
        if self.outer.is_active:
            self.outer.rollback()
        self.connection.close()
        self._ctx.pop()

    # -- model helpers -----------------------------------------------------------------------

    def expect(self, debit: int, credit: int, *, posted: int = 0, pending: int = 0) -> None:
        """Record in the model a movement of ``posted`` and a reservation change of ``pending``."""
        self.model[debit].posted -= posted
        self.model[credit].posted += posted
        self.model[debit].pending_debits += pending
        self.model[credit].pending_credits += pending

    def would_refuse(self, debit: int, credit: int, amount: int) -> bool:
        d, c = self.model[debit], self.model[credit]
        if d.floor is not None and d.available - amount < d.floor:
            return True
        return c.ceiling is not None and c.posted + c.pending_credits + amount > c.ceiling

    def _send(self, debit: int, credit: int, amount: int, pending: bool, key: str):  # type: ignore[no-untyped-def]
        return ledger.create_transfer(
            self.session,
            debit_account_id=debit,
            credit_account_id=credit,
            amount=amount,
            kind="direct",
            idempotency_key=key,
            pending=pending,
        )

    # -- rules ---------------------------------------------------------------------------------

    @rule(
        target=posted,
        payer=st.integers(0, 3),
        payee=st.integers(0, 3),
        amount=st.integers(1, 700),
    )
    def transfer(self, payer: int, payee: int, amount: int):  # type: ignore[no-untyped-def]
        return self._transfer(payer, payee, amount, pending=False)

    @rule(
        target=posted, payer=st.integers(0, 3), extra=st.sampled_from([0, 1]), pending=st.booleans()
    )
    def spend_exactly_what_is_left(self, payer: int, extra: int, pending: bool):  # type: ignore[no-untyped-def]
        """Hit the floor exactly (accepted) or by one unit past it (refused)."""
        expected = self.model[self.accounts[payer].id]
        if expected.floor is None:
            return None
        amount = expected.available - expected.floor + extra
        if amount <= 0:
            return None
        sent = self._transfer(payer, payer + 1, amount, pending=pending)
        return None if pending else sent

    @rule(
        target=pendings,
        payer=st.integers(0, 3),
        payee=st.integers(0, 3),
        amount=st.integers(1, 700),
    )
    def reserve(self, payer: int, payee: int, amount: int):  # type: ignore[no-untyped-def]
        return self._transfer(payer, payee, amount, pending=True)

    def _transfer(self, payer: int, payee: int, amount: int, pending: bool):  # type: ignore[no-untyped-def]
        debit, credit = (
            self.accounts[payer].id,
            self.accounts[(payee if payee != payer else payer + 1) % 4].id,
        )
        key = f"t:{secrets.token_hex(8)}"
        refuse = self.would_refuse(debit, credit, amount)
        try:
            transfer = self._send(debit, credit, amount, pending, key)
        except LimitExceeded:
            assert refuse, "refused although within limits"
            return None
        assert not refuse, "accepted although past a limit"
        self.expect(debit, credit, **({"pending": amount} if pending else {"posted": amount}))
        return Sent(transfer.id, debit, credit, amount, key, pending)

    @rule(sent=st.one_of(posted, pendings))
    def retry_changes_nothing(self, sent: Sent | None) -> None:
        if sent is None:
            return
        again = self._send(sent.debit, sent.credit, sent.amount, sent.pending, sent.key)
        assert again.id == sent.id

    @rule(sent=st.one_of(posted, pendings), delta=st.integers(1, 50))
    def reusing_a_key_for_another_amount_is_a_conflict(self, sent: Sent | None, delta: int) -> None:
        if sent is None:
            return
        try:
            self._send(sent.debit, sent.credit, sent.amount + delta, sent.pending, sent.key)
        except Conflict:
            return
        raise AssertionError("a reused key with another amount was accepted")

    @rule(target=posted, sent=consumes(pendings), fraction=st.sampled_from([None, 1, 2]))
    def post(self, sent: Sent | None, fraction: int | None):  # type: ignore[no-untyped-def]
        if sent is None:
            return None
        amount = None if fraction is None else max(1, sent.amount // (fraction + 1))
        transfer = ledger.post_pending_transfer(
            self.session, sent.id, idempotency_key=f"post:{sent.id}", amount=amount
        )
        final = sent.amount if amount is None else amount
        self.expect(sent.debit, sent.credit, posted=final, pending=-sent.amount)
        assert transfer.state == TransferState.POSTED
        try:
            ledger.void_pending_transfer(self.session, sent.id, idempotency_key=f"void:{sent.id}")
        except Conflict:
            pass
        else:
            raise AssertionError("a posted reservation was voided")
        return Sent(transfer.id, sent.debit, sent.credit, final, f"post:{sent.id}", False)

    @rule(sent=consumes(pendings))
    def void(self, sent: Sent | None) -> None:
        if sent is None:
            return
        ledger.void_pending_transfer(self.session, sent.id, idempotency_key=f"void:{sent.id}")
        again = ledger.void_pending_transfer(
            self.session, sent.id, idempotency_key=f"void:{sent.id}"
        )
        assert again.pending_id == sent.id
        self.expect(sent.debit, sent.credit, pending=-sent.amount)

    @rule(sent=consumes(posted))
    def reverse(self, sent: Sent | None) -> None:
        if sent is None:
            return
        refuse = self.would_refuse(sent.credit, sent.debit, sent.amount)
        try:
            ledger.reverse_transfer(
                self.session, sent.id, idempotency_key=f"rev:{sent.id}", memo="correction"
            )
        except LimitExceeded:
            assert refuse
            return
        assert not refuse
        self.expect(sent.credit, sent.debit, posted=sent.amount)

    @rule(who=st.integers(0, 3))
    def welcome(self, who: int) -> None:
        member = self.members[who]
        account = self.accounts[who].id
        refuse = who not in self.welcomed and self.would_refuse(self.fund.id, account, 1000)
        try:
            ledger.grant_welcome(self.session, member)
        except LimitExceeded:
            assert refuse
            return
        if who not in self.welcomed:
            self.welcomed.add(who)
            self.expect(self.fund.id, account, posted=1000)

    @rule(
        floor=st.sampled_from([0, -100, -500, -2000]),
        ceiling=st.sampled_from([None, None, 1500, 3000]),
    )
    def change_limits(self, floor: int, ceiling: int | None) -> None:
        from coop_formation.ledger.policy import apply_limits_to_member_accounts

        apply_limits_to_member_accounts(self.session, self.cluster.id, floor, ceiling)
        for account in self.accounts:
            expected = self.model[account.id]
            expected.floor = min(floor, expected.available)
            reach = expected.posted + expected.pending_credits
            expected.ceiling = None if ceiling is None else max(ceiling, reach)

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def ledger_is_sound(self) -> None:
        assert_ledger_invariants(self.session)

    @invariant()
    def accounts_hold_what_the_model_predicts(self) -> None:
        rows = {
            a.id: a
            for a in self.session.scalars(
                sa.select(Account)
                .where(Account.id.in_(self.model))
                .execution_options(populate_existing=True)
            )
        }
        for account_id, expected in self.model.items():
            balance = ledger.account_balance(rows[account_id])
            assert (balance.posted, balance.pending_debits, balance.pending_credits) == (
                expected.posted,
                expected.pending_debits,
                expected.pending_credits,
            ), account_id
            assert rows[account_id].floor == expected.floor
            assert rows[account_id].ceiling == expected.ceiling
