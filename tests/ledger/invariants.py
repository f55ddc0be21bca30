"""``assert_ledger_invariants(session)``: every ledger invariant, for any test to call.

It runs the same audit as ``coop-formation ledger check`` (hash chains, stored columns equal
the sums of transfers, zero-sum, limits) and re-checks the core facts independently in SQL,
so a bug in the audit itself does not hide a broken ledger.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.ledger.audit import check_ledger
from coop_formation.ledger.models import Account, Transfer


def assert_ledger_invariants(session: Session) -> None:
    session.flush()
    result = check_ledger(session)
    assert result.ok, "\n".join(result.violations)

    balance = sa.func.coalesce(sa.func.sum(Account.credits_posted - Account.debits_posted), 0)
    assert session.scalar(sa.select(balance)) == 0, "the balances do not sum to zero"
    pending = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(Account.debits_pending), 0),
            sa.func.coalesce(sa.func.sum(Account.credits_pending), 0),
        )
    ).one()
    assert pending[0] == pending[1], "pending debits and credits differ"

    available = Account.credits_posted - Account.debits_posted - Account.debits_pending
    past_floor = session.scalar(
        sa.select(sa.func.count()).where(Account.floor.is_not(None), available < Account.floor)
    )
    assert past_floor == 0, "an account is past its floor"
    reach = Account.credits_posted + Account.credits_pending - Account.debits_posted
    past_ceiling = session.scalar(
        sa.select(sa.func.count()).where(Account.ceiling.is_not(None), reach > Account.ceiling)
    )
    assert past_ceiling == 0, "an account is past its ceiling"

    duplicated = session.scalar(
        sa.select(sa.func.count()).select_from(
            sa.select(Transfer.idempotency_key)
            .group_by(Transfer.idempotency_key)
            .having(sa.func.count() > 1)
            .subquery()
        )
    )
    assert duplicated == 0, "an idempotency key was applied twice"
