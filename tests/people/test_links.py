"""One-time links: password reset and invitations."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.extensions import db
from coop_formation.people import accounts
from coop_formation.people.models import Member, OneTimeToken, TokenPurpose
from tests.factories import TEST_PASSWORD, MemberFactory, World
from tests.people.helpers import link_path, mail_text, read_mails

NEW_PASSWORD = "un nouveau mot de passe"
SAME_ANSWER = "Si un compte correspond à cette adresse"


def _request_reset(client: FlaskClient, address: str):
    return client.post("/password/forgot", data={"email": address}, follow_redirects=True)


def test_forgot_password_answers_the_same_whether_or_not_the_email_exists(
    client: FlaskClient, world: World, outbox: Path
) -> None:
    known = _request_reset(client, "membre@alpha.test")
    unknown = _request_reset(client, "personne@alpha.test")
    assert known.status_code == unknown.status_code == 200
    assert SAME_ANSWER in known.get_data(as_text=True)
    assert SAME_ANSWER in unknown.get_data(as_text=True)
    mails = read_mails(outbox)
    assert [m["To"] for m in mails] == ["membre@alpha.test"]


def test_reset_token_is_stored_hashed(client: FlaskClient, world: World, outbox: Path) -> None:
    _request_reset(client, "membre@alpha.test")
    path = link_path(read_mails(outbox)[0], "/password/reset/")
    secret = path.rsplit("/", 1)[1]
    stored = db.session.scalars(sa.select(OneTimeToken.token_hash)).all()
    assert len(stored) == 1 and secret not in stored[0] and len(stored[0]) == 64


def test_reset_link_works_once_and_ends_other_sessions(
    client_for, client: FlaskClient, world: World, outbox: Path
) -> None:
    other_device = client_for(world.member_alpha)
    assert other_device.get("/me").status_code == 200

    _request_reset(client, "membre@alpha.test")
    path = link_path(read_mails(outbox)[0], "/password/reset/")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/me").status_code == 200  # signed in with the new session

    assert other_device.get("/me").status_code == 302  # the old session has ended
    assert client.get(path).status_code == 404  # single use
    assert accounts.authenticate(db.session, "membre@alpha.test", NEW_PASSWORD) is not None
    assert accounts.authenticate(db.session, "membre@alpha.test", TEST_PASSWORD) is None


def test_expired_reset_link_is_refused(
    nothing_written, client: FlaskClient, world: World, outbox: Path
) -> None:
    _request_reset(client, "membre@alpha.test")
    path = link_path(read_mails(outbox)[0], "/password/reset/")
    token = db.session.scalars(sa.select(OneTimeToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with nothing_written():
        response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 404
    assert "expiré" in response.get_data(as_text=True)


def test_reset_expiry_comes_from_the_configuration(app, world: World) -> None:
    accounts.request_password_reset(db.session, "membre@alpha.test")
    token = db.session.scalars(sa.select(OneTimeToken)).one()
    minutes = (token.expires_at - token.created_at) / timedelta(minutes=1)
    assert round(minutes) == app.config["RESET_TOKEN_MINUTES"]


def test_a_new_reset_request_voids_the_previous_link(
    client: FlaskClient, world: World, outbox: Path
) -> None:
    _request_reset(client, "membre@alpha.test")
    first = link_path(read_mails(outbox)[0], "/password/reset/")
    _request_reset(client, "membre@alpha.test")
    assert client.get(first).status_code == 404


def test_short_or_mismatched_new_password_is_refused(
    nothing_written, client: FlaskClient, world: World, outbox: Path
) -> None:
    _request_reset(client, "membre@alpha.test")
    path = link_path(read_mails(outbox)[0], "/password/reset/")
    with nothing_written():
        short = client.post(path, data={"password": "court", "confirm": "court"})
        assert short.status_code == 422 and "au moins" in short.get_data(as_text=True)
        mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert mismatch.status_code == 422
    assert client.get(path).status_code == 200  # still usable after a refused attempt


def test_unknown_token_is_a_french_404(client: FlaskClient, world: World) -> None:
    response = client.get("/password/reset/not-a-token")
    assert response.status_code == 404
    assert "pas valable" in response.get_data(as_text=True)


def test_invitation_link_activates_the_account(
    client: FlaskClient, world: World, outbox: Path
) -> None:
    invited = MemberFactory(company=world.alpha, email="nouveau@alpha.test", password_hash=None)
    mail = accounts.create_invitation(db.session, invited)
    db.session.commit()
    from coop_formation.people.mails import deliver

    deliver([mail])
    message = read_mails(outbox)[0]
    assert message["To"] == "nouveau@alpha.test"
    assert "14 jours" in mail_text(message)
    path = link_path(message, "/invitation/")

    page = client.get(path)
    assert page.status_code == 200 and invited.display_name in page.get_data(as_text=True)
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    member = db.session.get(Member, invited.id)
    assert member is not None and member.activated_at is not None and member.is_active
    assert client.get("/me").status_code == 200
    assert client.get(path).status_code == 404  # single use
    # The cooperative fund welcomes the new member, once.
    from coop_formation.ledger import services as ledger

    account = ledger.member_account(db.session, member)
    policy = ledger.current_policy(db.session, member.cluster_id)
    assert ledger.account_balance(account).posted == policy.welcome_grant


def test_invitation_is_refused_for_an_already_active_account(world: World) -> None:
    world.member_alpha.activated_at = utcnow()
    with pytest.raises(InvalidInput, match="déjà activé"):
        accounts.create_invitation(db.session, world.member_alpha)


def test_invitation_secret_does_not_open_a_password_reset(world: World) -> None:
    invited = MemberFactory(company=world.alpha, password_hash=None)
    mail = accounts.create_invitation(db.session, invited)
    secret = mail.body.split("/invitation/")[1].split()[0]
    assert accounts.find_valid_token(db.session, secret, TokenPurpose.INVITATION)
    with pytest.raises(NotFound):
        accounts.find_valid_token(db.session, secret, TokenPurpose.PASSWORD_RESET)


def test_closed_account_gets_no_reset_mail(world: World) -> None:
    world.member_alpha.closed_at = utcnow()
    assert accounts.request_password_reset(db.session, "membre@alpha.test") is None
