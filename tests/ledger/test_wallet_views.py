"""Wallet pages: balance and history, CSV export, sending credits; who may not use them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import Transfer
from coop_formation.people.models import Visibility
from tests.factories import MemberFactory
from tests.ledger.conftest import fund_member

LEDGER_PAGES = [
    ("get", "/portefeuille"),
    ("get", "/portefeuille/export.csv"),
    ("get", "/portefeuille/envoyer"),
    ("post", "/portefeuille/envoyer"),
    ("get", "/gestion/monnaie"),
    ("post", "/gestion/monnaie"),
    ("get", "/club/contributions"),
    ("post", "/club/contributions"),
    ("get", "/club/compensation"),
    ("get", "/club/compensation.csv"),
]


@pytest.mark.parametrize(("method", "path"), LEDGER_PAGES)
def test_anonymous_visitor_is_sent_to_login(client, nothing_written, method, path):
    with nothing_written():
        response = getattr(client, method)(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def _token(html: str) -> str:
    match = re.search(r'name="form_token"[^>]*value="([0-9a-f]{32})"', html) or re.search(
        r'value="([0-9a-f]{32})"[^>]*name="form_token"', html
    )
    assert match, html
    return match.group(1)


def test_first_wallet_visit_opens_the_account_with_the_welcome_grant(client_for, world, db_session):
    client = client_for(world.member_alpha)
    page = client.get("/portefeuille").get_data(as_text=True)
    assert "10,00\u00a0CF" in page
    assert "Allocation de bienvenue" in page
    client.get("/portefeuille")  # a second visit grants nothing more
    account = ledger.find_member_account(db_session, world.member_alpha)
    assert ledger.account_balance(account).posted == 1000


def test_sending_credits_moves_them_once_even_when_the_form_is_submitted_twice(
    client_for, world, db_session
):
    client = client_for(world.member_alpha)
    token = _token(client.get("/portefeuille/envoyer").get_data(as_text=True))
    data = {
        "recipient_email": "autre@alpha.test",
        "amount": "2,50",
        "memo": "Merci pour Excel",
        "form_token": token,
    }
    first = client.post("/portefeuille/envoyer", data=data)
    second = client.post("/portefeuille/envoyer", data=data)
    assert first.status_code == second.status_code == 302
    sender = ledger.find_member_account(db_session, world.member_alpha)
    recipient = ledger.find_member_account(db_session, world.other_alpha)
    db_session.refresh(sender)
    db_session.refresh(recipient)
    assert ledger.account_balance(sender).posted == -250
    assert ledger.account_balance(recipient).posted == 250
    count = db_session.scalar(sa.select(sa.func.count()).where(Transfer.kind == "direct"))
    assert count == 1


def test_sending_beyond_the_floor_is_refused_with_the_reason_and_nothing_changes(
    client_for, world, db_session, nothing_written
):
    client = client_for(world.member_alpha)
    token = _token(client.get("/portefeuille/envoyer").get_data(as_text=True))
    with nothing_written():
        response = client.post(
            "/portefeuille/envoyer",
            data={
                "recipient_email": "autre@alpha.test",
                "amount": "6",
                "memo": "Trop",
                "form_token": token,
            },
        )
    assert response.status_code == 422
    assert "Solde disponible insuffisant" in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Transfer)) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"recipient_email": "inconnu@nulle.part", "amount": "1", "memo": "x"},
            "Aucun membre actif",
        ),
        ({"recipient_email": "membre@alpha.test", "amount": "1", "memo": "x"}, "vous envoyer"),
        (
            {"recipient_email": "autre@alpha.test", "amount": "abc", "memo": "x"},
            "Indiquez un montant",
        ),
        ({"recipient_email": "autre@alpha.test", "amount": "0", "memo": "x"}, "supérieur à zéro"),
        ({"recipient_email": "autre@alpha.test", "amount": "1", "memo": ""}, "Écrivez un message"),
        (
            {"recipient_email": "pas-une-adresse", "amount": "1", "memo": "x"},
            "Adresse e-mail invalide",
        ),
    ],
)
def test_bad_send_form_is_shown_again_with_a_french_message(
    client_for, world, nothing_written, data, message
):
    client = client_for(world.member_alpha)
    token = _token(client.get("/portefeuille/envoyer").get_data(as_text=True))
    with nothing_written():
        response = client.post("/portefeuille/envoyer", data=data | {"form_token": token})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_member_of_another_cluster_cannot_be_paid(client_for, world, db_session, nothing_written):
    MemberFactory(email="ailleurs@autre.test")  # another cluster
    client = client_for(world.member_alpha)
    token = _token(client.get("/portefeuille/envoyer").get_data(as_text=True))
    with nothing_written():
        response = client.post(
            "/portefeuille/envoyer",
            data={
                "recipient_email": "ailleurs@autre.test",
                "amount": "1",
                "memo": "x",
                "form_token": token,
            },
        )
    assert response.status_code == 422
    assert "Aucun membre actif" in response.get_data(as_text=True)


def test_history_names_a_counterparty_only_when_their_profile_allows_it(
    client_for, world, db_session
):
    fund_member(db_session, world.member_alpha, 500)
    ledger.send_credits(
        db_session,
        world.member_alpha,
        recipient_email="autre@alpha.test",
        amount=100,
        memo="a",
        form_token="a" * 32,
    )
    ledger.send_credits(
        db_session,
        world.member_alpha,
        recipient_email="membre@beta.test",
        amount=100,
        memo="b",
        form_token="b" * 32,
    )
    world.other_alpha.learning_visibility = Visibility.COMPANY
    world.member_beta.learning_visibility = Visibility.PRIVATE
    db_session.commit()
    client = client_for(world.member_alpha)
    page = client.get("/portefeuille").get_data(as_text=True)
    assert "Paul Durand" in page  # a colleague who shows their learning to the company
    assert "Bruno Roux" not in page
    assert "un membre" in page
    csv_text = client.get("/portefeuille/export.csv").get_data(as_text=True)
    assert "Bruno Roux" not in csv_text and "un membre" in csv_text


def test_wallet_csv_lists_the_members_own_movements(client_for, world, db_session):
    client = client_for(world.member_alpha)
    client.get("/portefeuille")
    response = client.get("/portefeuille/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("\ufeffdate;type;etat"), "UTF-8 with BOM, then the header"
    assert len(lines) == 2 and "Allocation de bienvenue" in lines[1] and ";10,00;" in lines[1]


def test_a_member_never_sees_another_members_movements(client_for, world, db_session):
    fund_member(db_session, world.member_beta, 700)
    db_session.commit()
    client = client_for(world.member_alpha)
    page = client.get("/portefeuille").get_data(as_text=True)
    assert "7,00" not in page
    assert "7,00" not in client.get("/portefeuille/export.csv").get_data(as_text=True)


def test_credits_filter_formats_amounts_in_french(app):
    template = app.jinja_env.from_string(
        "{{ 1250|credits }} {{ -500|credits }} {{ 123456|credits }} {{ 5|credits(signed=True) }}"
    )
    assert (
        template.render() == "12,50\u00a0CF \u22125,00\u00a0CF 1\u202f234,56\u00a0CF +0,05\u00a0CF"
    )


def test_an_expired_send_form_is_refused_and_comes_back_with_a_new_token(
    client_for, world, nothing_written
):
    client = client_for(world.member_alpha)
    data = {"recipient_email": "autre@alpha.test", "amount": "1", "memo": "Merci"}
    with nothing_written():
        response = client.post("/portefeuille/envoyer", data=data | {"form_token": "périmé"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Le formulaire a expiré" in html
    assert (
        client.post("/portefeuille/envoyer", data=data | {"form_token": _token(html)}).status_code
        == 302
    )


def test_a_token_reused_for_other_data_is_refused_and_a_new_token_is_given(
    client_for, world, db_session, nothing_written
):
    client = client_for(world.member_alpha)
    token = _token(client.get("/portefeuille/envoyer").get_data(as_text=True))
    data = {
        "recipient_email": "autre@alpha.test",
        "amount": "1",
        "memo": "Merci",
        "form_token": token,
    }
    assert client.post("/portefeuille/envoyer", data=data).status_code == 302
    with nothing_written():
        response = client.post("/portefeuille/envoyer", data=data | {"amount": "2"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "autres données" in html
    assert _token(html) != token
    assert db_session.scalar(sa.select(sa.func.count()).where(Transfer.kind == "direct")) == 1


def test_a_refusal_on_a_field_keeps_the_form_token(client_for, world):
    client = client_for(world.member_alpha)
    token = _token(client.get("/portefeuille/envoyer").get_data(as_text=True))
    data = {
        "recipient_email": "autre@alpha.test",
        "amount": "6",
        "memo": "Trop",
        "form_token": token,
    }
    response = client.post("/portefeuille/envoyer", data=data)
    assert response.status_code == 422
    assert _token(response.get_data(as_text=True)) == token
