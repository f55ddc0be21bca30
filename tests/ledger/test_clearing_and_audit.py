"""Inter-company clearing (HR club and coop admin only, no names) and ``ledger check``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from coop_formation.cli.ledger import ledger_command
from coop_formation.errors import Forbidden, InvalidInput
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import Account
from tests.clock import FROZEN_NOW
from tests.ledger.conftest import new_key

TODAY = FROZEN_NOW.date()
TOMORROW = TODAY + timedelta(days=1)


def _fee(session, learner, session_id, amount, *, post=True):  # type: ignore[no-untyped-def]
    account = ledger.member_account(session, learner)
    fund = ledger.fund_account(session, learner.cluster_id)
    pending = ledger.create_transfer(
        session,
        debit_account_id=account.id,
        credit_account_id=fund.id,
        amount=amount,
        kind="session_fee",
        reference_type="training_session",
        reference_id=session_id,
        idempotency_key=new_key("enrol"),
        pending=True,
    )
    if post:
        return ledger.post_pending_transfer(
            session, pending.id, idempotency_key=new_key("enrol-post")
        )
    return pending


def _teach(session, trainer, session_id, amount):  # type: ignore[no-untyped-def]
    fund = ledger.fund_account(session, trainer.cluster_id)
    ledger.create_transfer(
        session,
        debit_account_id=fund.id,
        credit_account_id=ledger.member_account(session, trainer).id,
        amount=amount,
        kind="teaching",
        reference_type="training_session",
        reference_id=session_id,
        idempotency_key=f"teach:{session_id}",
    )


@pytest.fixture()
def exchanges(db_session, world):  # type: ignore[no-untyped-def]
    """Beta's Bruno taught two Alpha members 2 h each; Alpha's Paul taught Bruno 1 h."""
    _fee(db_session, world.member_alpha, 42, 200)
    _fee(db_session, world.other_alpha, 42, 200)
    _teach(db_session, world.member_beta, 42, 300)
    _fee(db_session, world.member_beta, 43, 100)
    _teach(db_session, world.other_alpha, 43, 200)
    _fee(db_session, world.other_alpha, 44, 100)  # same company: not clearing
    _teach(db_session, world.member_alpha, 44, 200)
    _fee(db_session, world.member_alpha, 45, 100)  # not settled yet: left out
    reversed_fee = _fee(db_session, world.member_beta, 43, 100)
    ledger.reverse_transfer(db_session, reversed_fee.id, idempotency_key=new_key())
    _fee(db_session, world.member_alpha, 46, 100, post=False)  # still reserved: left out
    _teach(db_session, world.member_beta, 46, 100)
    db_session.commit()


def test_clearing_counts_hours_between_companies(db_session, world, exchanges):
    report = ledger.clearing_report(db_session, world.hr, start=TODAY, end=TOMORROW)
    lines = {line.company: line for line in report.companies}
    assert (lines["Alpha"].taught_hours, lines["Alpha"].received_hours) == (Decimal(1), Decimal(4))
    assert (lines["Beta"].taught_hours, lines["Beta"].received_hours) == (Decimal(4), Decimal(1))
    assert lines["Alpha"].net_hours == Decimal(-3) and lines["Beta"].net_amount == 300
    [pair] = report.pairs
    assert (pair.first, pair.second, pair.net_hours) == ("Alpha", "Beta", Decimal(-3))


def test_clearing_converts_fees_with_the_price_in_force_when_posted(db_session, world):
    values = {
        n: getattr(ledger.current_policy(db_session, world.cluster.id), n)
        for n in (
            "unit_name",
            "unit_code",
            "preparation_minutes",
            "trainer_rate_per_hour",
            "floor",
            "ceiling",
            "welcome_grant",
            "cancellation_deadline_hours",
            "no_show_rule",
        )
    }
    ledger.update_policy(db_session, world.admin, price_per_hour=200, **values)
    _fee(db_session, world.member_alpha, 50, 400)
    _teach(db_session, world.member_beta, 50, 300)
    report = ledger.clearing_report(db_session, world.admin, start=TODAY, end=TOMORROW)
    assert {line.company: line.taught_hours for line in report.companies}["Beta"] == Decimal(2)


def test_clearing_outside_the_period_is_empty(db_session, world, exchanges):
    report = ledger.clearing_report(
        db_session, world.hr, start=TODAY - timedelta(days=30), end=TODAY
    )
    assert all(line.taught_hours == 0 for line in report.companies) and report.pairs == []


def test_clearing_refuses_a_period_ending_before_it_starts(db_session, world):
    with pytest.raises(InvalidInput):
        ledger.clearing_report(db_session, world.hr, start=TOMORROW, end=TODAY)


@pytest.mark.parametrize("who", ["member_alpha", "correspondent_alpha", "correspondent_beta"])
def test_members_and_correspondents_cannot_read_the_clearing(db_session, world, who):
    with pytest.raises(Forbidden):
        ledger.clearing_report(db_session, getattr(world, who), start=TODAY, end=TOMORROW)


@pytest.mark.parametrize("who", ["member_alpha", "correspondent_alpha"])
def test_clearing_pages_answer_403_to_members_and_correspondents(client_for, world, who):
    client = client_for(getattr(world, who))
    assert client.get("/club/compensation").status_code == 403
    assert client.get("/club/compensation.csv").status_code == 403


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_clearing_page_and_csv_show_companies_and_never_people(client_for, world, exchanges, who):
    client = client_for(getattr(world, who))
    args = f"?start={TODAY.isoformat()}&end={TOMORROW.isoformat()}"
    page = client.get("/club/compensation" + args)
    assert page.status_code == 200
    csv_response = client.get("/club/compensation.csv" + args)
    assert csv_response.mimetype == "text/csv"
    csv_text = csv_response.get_data(as_text=True)
    assert "Beta;4;1;3;4,00;1,00;3,00" in csv_text
    assert "Alpha;Beta;1;4;-3" in csv_text
    html = page.get_data(as_text=True)
    for name in ("Alice Martin", "Paul Durand", "Bruno Roux", "membre@", "autre@"):
        assert name not in html and name not in csv_text


def test_clearing_page_explains_a_bad_period(client_for, world):
    client = client_for(world.hr)
    response = client.get(
        f"/club/compensation?start={TOMORROW.isoformat()}&end={TODAY.isoformat()}"
    )
    assert response.status_code == 422
    assert "La fin de la période doit suivre son début." in response.get_data(as_text=True)
    assert client.get("/club/compensation?start=hier&end=demain").status_code == 422


def test_ledger_check_exits_0_with_one_ok_line_on_a_sound_ledger(app, db_session, world, exchanges):
    result = app.test_cli_runner().invoke(ledger_command, ["check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("OK : ")
    assert len(result.stdout.strip().splitlines()) == 1


def test_ledger_check_exits_1_with_one_line_per_violation(app, db_session, world, exchanges):
    alpha = ledger.member_account(db_session, world.member_alpha)
    db_session.execute(
        sa.update(Account)
        .where(Account.id == alpha.id)
        .values(credits_posted=Account.credits_posted + 7)
    )
    db_session.commit()
    result = app.test_cli_runner().invoke(ledger_command, ["check"])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert f"compte {alpha.id} : credits_posted" in lines[0]
    assert any("somme des soldes" in line for line in lines)
