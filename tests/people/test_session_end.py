"""Sessions and links that end when they should (issue 10, point 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from coop_formation.errors import NotFound
from coop_formation.extensions import db
from coop_formation.people import accounts
from coop_formation.people.models import TokenPurpose
from tests.conftest import IsolatedClient
from tests.factories import World

NEW_PASSWORD = "un nouveau mot de passe"


def _copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding the very cookies ``client`` holds now."""
    thief = IsolatedClient(app, app.response_class, use_cookies=True)
    for cookie in list(client._cookies.values()):
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def test_a_cookie_copied_before_logout_is_refused_after_it(
    app: Flask, client_for, world: World
) -> None:
    browser = client_for(world.member_alpha)
    assert browser.get("/portefeuille").status_code == 200
    copied = _copy_of(app, browser)
    assert copied.get("/portefeuille").status_code == 200
    assert browser.post("/logout").status_code == 302
    assert browser.get("/portefeuille").status_code == 302
    refused = copied.get("/portefeuille")
    assert refused.status_code == 302
    assert "/login" in refused.headers["Location"]


def test_a_link_claimed_once_refuses_a_second_submission(world: World) -> None:
    member = world.member_alpha
    token = accounts.issue_token(
        db.session, member, TokenPurpose.PASSWORD_RESET, accounts.reset_lifetime()
    )
    db.session.commit()
    accounts.reset_password(db.session, token, NEW_PASSWORD, NEW_PASSWORD)
    db.session.commit()
    with pytest.raises(NotFound):
        accounts.reset_password(db.session, token, NEW_PASSWORD, NEW_PASSWORD)


def test_the_same_link_posted_twice_succeeds_once(
    client: FlaskClient, world: World, nothing_written
) -> None:
    token = accounts.issue_token(
        db.session, world.member_alpha, TokenPurpose.PASSWORD_RESET, accounts.reset_lifetime()
    )
    db.session.commit()
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    first = client.post(f"/password/reset/{token}", data=data)
    assert first.status_code == 302
    with nothing_written():
        second = client.post(f"/password/reset/{token}", data=data)
    assert second.status_code == 404


def test_the_reset_form_does_the_same_work_for_known_and_unknown_addresses(
    client: FlaskClient, world: World, outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepared: list[str] = []
    real = accounts.password_reset_mail

    def spy(email: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        prepared.append(email)
        return real(email, *args, **kwargs)

    monkeypatch.setattr(accounts, "password_reset_mail", spy)
    for address in ("membre@alpha.test", "personne@alpha.test"):
        response = client.post("/password/forgot", data={"email": address})
        assert response.status_code == 302
    assert prepared == ["membre@alpha.test", "personne@alpha.test"]
