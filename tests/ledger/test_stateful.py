"""Random sequences of transfers, reservations, posts, voids, reversals, welcome grants and
limit changes keep every ledger invariant (see :mod:`tests.ledger.stateful`)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.ledger.stateful import LedgerMachine

SETTINGS = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_random_ledger_operations_keep_every_invariant(app):
    LedgerMachine.app = app
    run_state_machine_as_test(LedgerMachine, settings=SETTINGS)
