"""The welcome grant: paid once per member, whichever way the activation is reported."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation import events
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import Transfer
from coop_formation.ledger.policy import EDITABLE_FIELDS
from tests.ledger.invariants import assert_ledger_invariants


def _welcomes(session, member) -> list[Transfer]:  # type: ignore[no-untyped-def]
    key = ledger.welcome_key(member)
    return list(session.scalars(sa.select(Transfer).where(Transfer.idempotency_key == key)))


def _set_welcome_grant(session, world, amount: int) -> None:  # type: ignore[no-untyped-def]
    current = ledger.current_policy(session, world.cluster.id)
    values = {name: getattr(current, name) for name in EDITABLE_FIELDS}
    ledger.update_policy(session, world.admin, **(values | {"welcome_grant": amount}))


def _fund_balance(session, world) -> int:  # type: ignore[no-untyped-def]
    return ledger.account_balance(ledger.fund_account(session, world.cluster.id)).posted


def test_activation_event_grants_the_welcome(db_session, world):
    events.member_activated.send(db_session, member=world.member_beta)
    [grant] = _welcomes(db_session, world.member_beta)
    assert grant.amount == 1000 and grant.kind == "welcome"
    account = ledger.find_member_account(db_session, world.member_beta)
    assert ledger.account_balance(account).posted == 1000
    assert_ledger_invariants(db_session)


def test_activation_reported_twice_grants_once(db_session, world):
    events.member_activated.send(db_session, member=world.member_beta)
    events.member_activated.send(db_session, member=world.member_beta)
    assert len(_welcomes(db_session, world.member_beta)) == 1
    assert _fund_balance(db_session, world) == -1000
    assert_ledger_invariants(db_session)


def test_direct_grant_and_activation_event_together_grant_once(db_session, world):
    """While people still grants itself and also reports the activation, both paths coexist."""
    first = ledger.grant_welcome(db_session, world.member_alpha)
    events.member_activated.send(db_session, member=world.member_alpha)
    assert [t.id for t in _welcomes(db_session, world.member_alpha)] == [first.id]
    assert _fund_balance(db_session, world) == -1000
    assert_ledger_invariants(db_session)


def test_a_member_without_company_receives_no_welcome_on_activation(db_session, world):
    events.member_activated.send(db_session, member=world.hr)
    assert _welcomes(db_session, world.hr) == []
    assert ledger.find_member_account(db_session, world.hr) is None


def test_welcome_grant_stays_single_after_the_policy_changed_its_amount(db_session, world):
    first = ledger.grant_welcome(db_session, world.member_beta)
    _set_welcome_grant(db_session, world, 500)
    again = ledger.grant_welcome(db_session, world.member_beta)
    assert again.id == first.id and again.amount == 1000
    assert len(_welcomes(db_session, world.member_beta)) == 1
    assert_ledger_invariants(db_session)


def test_first_wallet_visit_after_activation_grants_nothing_more(db_session, world):
    events.member_activated.send(db_session, member=world.member_alpha)
    ledger.open_wallet(db_session, world.member_alpha)
    assert len(_welcomes(db_session, world.member_alpha)) == 1
    assert _fund_balance(db_session, world) == -1000
