"""Sign-in, sign-out, throttling and CSRF on the people forms."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from coop_formation import create_app
from coop_formation.extensions import db, limiter
from coop_formation.people.auth import hash_password
from tests.factories import TEST_PASSWORD, World

GENERIC_ERROR = "Adresse e-mail ou mot de passe incorrect."


def _post_login(client: FlaskClient, email: str, password: str, next_url: str | None = None):
    url = "/login" if next_url is None else f"/login?next={next_url}"
    return client.post(url, data={"email": email, "password": password})


def test_login_page_shows_the_form(client: FlaskClient, world: World) -> None:
    body = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in body and 'name="password"' in body
    assert 'for="email"' in body


def test_login_with_right_password_redirects_home_and_records_the_time(
    client: FlaskClient, world: World
) -> None:
    response = _post_login(client, "membre@alpha.test", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert world.member_alpha.last_login_at is not None
    assert client.get("/me").status_code == 200


def test_login_ignores_case_and_spaces_in_the_email(client: FlaskClient, world: World) -> None:
    assert _post_login(client, "  Membre@Alpha.TEST ", TEST_PASSWORD).status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(
    client: FlaskClient, world: World
) -> None:
    wrong = _post_login(client, "membre@alpha.test", "not-the-password")
    unknown = _post_login(client, "nobody@alpha.test", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    wrong_body, unknown_body = wrong.get_data(as_text=True), unknown.get_data(as_text=True)
    assert GENERIC_ERROR in wrong_body and GENERIC_ERROR in unknown_body
    assert wrong_body.replace("membre@alpha.test", "X") == unknown_body.replace(
        "nobody@alpha.test", "X"
    )
    assert client.get("/me").status_code == 302  # still signed out


def test_account_not_yet_activated_cannot_sign_in(client: FlaskClient, world: World) -> None:
    world.member_beta.password_hash = None
    db.session.commit()
    response = _post_login(client, "membre@beta.test", TEST_PASSWORD)
    assert GENERIC_ERROR in response.get_data(as_text=True)


def test_login_follows_a_same_site_next(client: FlaskClient, world: World) -> None:
    response = _post_login(client, "membre@alpha.test", TEST_PASSWORD, next_url="/me")
    assert response.headers["Location"] == "/me"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "http:/evil.example", "javascript:alert(1)"],
)
def test_login_refuses_an_open_redirect(client: FlaskClient, world: World, target: str) -> None:
    response = client.post(
        "/login", data={"email": "membre@alpha.test", "password": TEST_PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_form_keeps_next_from_the_query_string(client: FlaskClient, world: World) -> None:
    body = client.get("/login?next=/needs").get_data(as_text=True)
    assert 'value="/needs"' in body


def test_empty_login_form_is_rerendered_with_messages(
    nothing_written, client: FlaskClient, world: World
) -> None:
    with nothing_written():
        response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert "Indiquez votre adresse e-mail." in response.get_data(as_text=True)


def test_outdated_password_hash_is_upgraded_at_login(client: FlaskClient, world: World) -> None:
    from argon2 import PasswordHasher

    world.member_alpha.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(
        TEST_PASSWORD
    )
    db.session.commit()
    old = world.member_alpha.password_hash
    assert _post_login(client, "membre@alpha.test", TEST_PASSWORD).status_code == 302
    assert world.member_alpha.password_hash != old


def test_logout_needs_a_post(client_for, world: World) -> None:
    client = client_for(world.member_alpha)
    assert client.get("/logout").status_code == 405
    assert client.get("/me").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/me").status_code == 302


def test_signed_in_member_visiting_login_is_sent_on(client_for, world: World) -> None:
    client = client_for(world.member_alpha)
    assert client.get("/login?next=/me").headers["Location"] == "/me"


def test_csrf_token_is_required_when_enabled(app: Flask, client: FlaskClient, world: World) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            "/login", data={"email": "membre@alpha.test", "password": TEST_PASSWORD}
        )
        assert response.status_code == 400
        assert client.get("/me").status_code == 302
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post(
            "/login",
            data={"email": "membre@alpha.test", "password": TEST_PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302
        assert client.post("/logout").status_code == 400  # no token: still signed in
        assert client.get("/me").status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture()
def throttled_client(app: Flask, db_session) -> FlaskClient:  # type: ignore[no-untyped-def]
    """A second app sharing the test database, with the limiter on and a low login limit."""
    config = {
        key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "MAIL_OUTBOX")
    }
    throttled = create_app(
        {
            **config,
            "TESTING": True,
            "INSTANCE_PATH": app.instance_path,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    limiter.reset()
    try:
        yield throttled.test_client()
    finally:
        limiter.reset()
        limiter.enabled = False  # the shared test app runs without limits


def test_login_is_throttled_after_the_limit(throttled_client: FlaskClient, world: World) -> None:
    assert _post_login(throttled_client, "membre@alpha.test", TEST_PASSWORD).status_code == 302
    for _ in range(2):
        response = _post_login(throttled_client, "membre@alpha.test", "wrong-password")
        assert response.status_code == 200
    response = _post_login(throttled_client, "membre@alpha.test", TEST_PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    fresh = throttled_client.application.test_client()
    assert fresh.get("/login").status_code == 200  # reading the form is not limited


def test_password_hashes_are_argon2id_with_default_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real hasher, not the cheap one of these tests
    assert hash_password("x" * 12).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
