"""Currency policy (coop admin, with history) and company contributions (HR club, admin)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coop_formation.errors import Forbidden, InvalidInput
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import LedgerPolicy, Transfer
from tests.ledger.conftest import form_token
from tests.ledger.invariants import assert_ledger_invariants

POLICY_FORM = {
    "unit_name": "crédit formation",
    "unit_code": "CF",
    "price_per_hour": "1,50",
    "trainer_rate_per_hour": "1",
    "preparation_minutes": "30",
    "floor": "-10",
    "ceiling": "",
    "welcome_grant": "5",
    "cancellation_deadline_hours": "48",
    "no_show_rule": "void",
    "note": "Assemblée de mars",
}


def _values(**changes):  # type: ignore[no-untyped-def]
    base = {
        name: getattr(LedgerPolicy.defaults(0), name)
        for name in (
            "unit_name",
            "unit_code",
            "price_per_hour",
            "preparation_minutes",
            "trainer_rate_per_hour",
            "floor",
            "ceiling",
            "welcome_grant",
            "cancellation_deadline_hours",
            "no_show_rule",
        )
    }
    return base | changes


def test_default_policy_applies_before_any_change(db_session, world):
    policy = ledger.current_policy(db_session, world.cluster.id)
    assert (policy.unit_code, policy.minor_per_unit, policy.floor, policy.welcome_grant) == (
        "CF",
        100,
        -500,
        1000,
    )
    assert (policy.price_per_hour, policy.preparation_minutes, policy.trainer_rate_per_hour) == (
        100,
        60,
        100,
    )
    assert (policy.cancellation_deadline_hours, policy.no_show_rule, policy.ceiling) == (
        24,
        "post",
        None,
    )


def test_policy_change_adds_a_version_and_keeps_the_history(db_session, world):
    ledger.update_policy(db_session, world.admin, **_values(price_per_hour=150))
    ledger.update_policy(db_session, world.admin, note="deux", **_values(price_per_hour=200))
    assert ledger.current_policy(db_session, world.cluster.id).price_per_hour == 200
    history = ledger.policy_history(db_session, world.admin)
    assert [p.price_per_hour for p in history] == [200, 150]
    assert history[0].changed_by_id == world.admin.id


def test_only_the_coop_admin_changes_the_policy(db_session, world):
    for who in (world.member_alpha, world.correspondent_alpha, world.hr):
        with pytest.raises(Forbidden):
            ledger.update_policy(db_session, who, **_values())


@pytest.mark.parametrize(
    "changes",
    [
        {"floor": 100},
        {"ceiling": 0},
        {"welcome_grant": -1},
        {"unit_code": ""},
        {"no_show_rule": "x"},
        {"price_per_hour": "1"},
    ],
)
def test_invalid_policy_is_refused(db_session, world, changes):
    with pytest.raises(InvalidInput):
        ledger.update_policy(db_session, world.admin, **_values(**changes))


def test_raising_the_floor_never_makes_an_existing_debt_illegal(db_session, world):
    alice = ledger.member_account(db_session, world.member_alpha)
    paul = ledger.member_account(db_session, world.other_alpha)
    ledger.create_transfer(
        db_session,
        debit_account_id=alice.id,
        credit_account_id=paul.id,
        amount=300,
        kind="direct",
        idempotency_key="k",
    )
    ledger.update_policy(db_session, world.admin, **_values(floor=-100, ceiling=200))
    db_session.refresh(alice)
    db_session.refresh(paul)
    assert (alice.floor, paul.floor) == (-300, -100)  # Alice keeps her position as her limit
    assert paul.ceiling == 300
    assert ledger.member_account(db_session, world.member_beta).floor == -100
    assert_ledger_invariants(db_session)


def test_admin_edits_the_policy_on_its_page(client_for, world, db_session):
    client = client_for(world.admin)
    page = client.get("/gestion/monnaie")
    assert page.status_code == 200 and 'value="-5,00"' in page.get_data(as_text=True)
    response = client.post("/gestion/monnaie", data=POLICY_FORM)
    assert response.status_code == 302
    policy = ledger.current_policy(db_session, world.cluster.id)
    assert (policy.price_per_hour, policy.floor, policy.welcome_grant, policy.no_show_rule) == (
        150,
        -1000,
        500,
        "void",
    )
    assert "Assemblée de mars" in client.get("/gestion/monnaie").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("floor", "3", "nul ou négatif"),
        ("price_per_hour", "beaucoup", "Indiquez un montant"),
        ("ceiling", "-2", "négatif"),
        ("preparation_minutes", "9999", "Entre 0"),
    ],
)
def test_policy_page_explains_invalid_values_in_french(
    client_for, world, nothing_written, field, value, message
):
    client = client_for(world.admin)
    with nothing_written():
        response = client.post("/gestion/monnaie", data=POLICY_FORM | {field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["member_alpha", "correspondent_alpha", "hr"])
def test_policy_page_is_for_the_coop_admin_only(client_for, world, nothing_written, who):
    client = client_for(getattr(world, who))
    assert client.get("/gestion/monnaie").status_code == 403
    with nothing_written():
        assert client.post("/gestion/monnaie", data=POLICY_FORM).status_code == 403


def test_contribution_goes_from_issuance_through_the_company_to_the_fund(db_session, world):
    transfer = ledger.record_contribution(
        db_session,
        world.hr,
        company_id=world.alpha.id,
        amount=2000,
        memo="Prix de l'innovation",
        form_token=form_token(),
    )
    assert transfer.kind == "contribution"
    fund = ledger.fund_account(db_session, world.cluster.id)
    company = ledger.company_account(db_session, world.alpha)
    issuance = ledger.issuance_account(db_session, world.cluster.id)
    assert ledger.account_balance(fund).posted == 2000
    assert ledger.account_balance(company).posted == 0
    assert ledger.account_balance(issuance).posted == -2000
    assert [c.company for c in ledger.recent_contributions(db_session, world.admin)] == ["Alpha"]
    assert_ledger_invariants(db_session)


def test_members_and_correspondents_cannot_record_contributions(db_session, world):
    for who in (world.member_alpha, world.correspondent_alpha):
        with pytest.raises(Forbidden):
            ledger.record_contribution(
                db_session,
                who,
                company_id=world.alpha.id,
                amount=1,
                memo="x",
                form_token=form_token(),
            )


def test_contribution_for_a_company_of_another_cluster_is_not_found(db_session, world):
    from coop_formation.errors import NotFound
    from tests.factories import CompanyFactory

    other = CompanyFactory()
    with pytest.raises(NotFound):
        ledger.record_contribution(
            db_session, world.hr, company_id=other.id, amount=1, memo="x", form_token=form_token()
        )


def test_contribution_page_records_once_even_when_submitted_twice(client_for, world, db_session):
    client = client_for(world.hr)
    html = client.get("/club/contributions").get_data(as_text=True)
    token = re.search(r'name="form_token"[^>]*value="([0-9a-f]{32})"', html).group(1)
    data = {
        "company_id": str(world.beta.id),
        "amount": "15",
        "memo": "Objectif qualité atteint",
        "form_token": token,
    }
    assert client.post("/club/contributions", data=data).status_code == 302
    assert client.post("/club/contributions", data=data).status_code == 302
    fund = ledger.fund_account(db_session, world.cluster.id)
    db_session.refresh(fund)
    assert ledger.account_balance(fund).posted == 1500
    assert "Objectif qualité atteint" in client.get("/club/contributions").get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).where(Transfer.kind == "contribution")) == 1


@pytest.mark.parametrize("who", ["member_alpha", "correspondent_alpha"])
def test_contribution_page_is_refused_to_members_and_correspondents(
    client_for, world, nothing_written, who
):
    client = client_for(getattr(world, who))
    assert client.get("/club/contributions").status_code == 403
    data = {"company_id": str(world.alpha.id), "amount": "1", "memo": "x", "form_token": "a" * 32}
    with nothing_written():
        assert client.post("/club/contributions", data=data).status_code == 403


def test_welcome_grant_is_paid_once_from_the_fund(db_session, world):
    first = ledger.grant_welcome(db_session, world.member_beta)
    assert ledger.grant_welcome(db_session, world.member_beta).id == first.id
    assert first.idempotency_key == f"welcome:{world.member_beta.id}"
    fund = ledger.fund_account(db_session, world.cluster.id)
    assert ledger.account_balance(fund).posted == -1000
    assert_ledger_invariants(db_session)


def test_admin_correction_reverses_a_transfer(db_session, world):
    grant = ledger.grant_welcome(db_session, world.member_alpha)
    reversal = ledger.correct_transfer(
        db_session, world.admin, grant.id, memo="Doublon", form_token=form_token()
    )
    assert reversal.reversal_of_id == grant.id
    with pytest.raises(Forbidden):
        ledger.correct_transfer(db_session, world.hr, grant.id, memo="x", form_token=form_token())
    assert_ledger_invariants(db_session)
