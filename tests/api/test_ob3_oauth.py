"""Open Badges API authorization: discovery, dynamic registration, consent with PKCE
(S256 required), token exchange, refresh rotation and revocation."""

from __future__ import annotations

import time

import sqlalchemy as sa

from coop_formation.api.models import OAuthAuthorizationCode, OAuthClient, OAuthToken, digest
from coop_formation.extensions import db
from tests.api.helpers import (
    ALL_SCOPES,
    PREFIX,
    READ,
    REDIRECT,
    authorize_url,
    basic,
    bearer,
    exchange,
    obtain_tokens,
    pkce,
    register,
)


def test_discovery_describes_the_oauth_flow(client, db_session):  # type: ignore[no-untyped-def]
    document = client.get(f"{PREFIX}/discovery").get_json()
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    flow = scheme["flows"]["authorizationCode"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-imssf-registrationUrl"].endswith("/ims/ob/v3p0/register")
    assert flow["authorizationUrl"].endswith("/authorize") and flow["tokenUrl"].endswith("/token")
    assert {
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly",
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert",
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly",
    } <= set(flow["scopes"])
    assert {"/credentials", "/profile", "/discovery"} <= set(document["paths"])


def test_registration_stores_only_a_hash_of_the_secret(client, db_session):  # type: ignore[no-untyped-def]
    registered = register(client)
    stored = db.session.scalar(
        sa.select(OAuthClient).where(OAuthClient.client_id == registered.client_id)
    )
    assert stored.client_secret_hash == digest(registered.client_secret)


def test_registration_without_redirect_uris_is_refused(client, nothing_written):  # type: ignore[no-untyped-def]
    with nothing_written():
        response = client.post(f"{PREFIX}/register", json={"client_name": "x", "scope": READ})
    assert response.status_code == 400


def test_full_authorization_code_flow_with_pkce(client, client_for, world, credential):  # type: ignore[no-untyped-def]
    _registered, token = obtain_tokens(client, client_for(world.member_alpha))
    assert token["token_type"].lower() == "bearer" and token["refresh_token"]
    assert token["expires_in"] == 3600
    stored = db.session.scalar(
        sa.select(OAuthToken).where(OAuthToken.access_token_hash == digest(token["access_token"]))
    )
    assert stored is not None and stored.member_id == world.member_alpha.id
    body = client.get(f"{PREFIX}/credentials", headers=bearer(token["access_token"])).get_json()
    assert [c["id"].rsplit("/", 1)[-1] for c in body["credential"]] == [credential.public_id]


def test_consent_requires_sign_in(client, db_session):  # type: ignore[no-untyped-def]
    registered = register(client)
    _verifier, challenge = pkce()
    response = client.get(authorize_url(registered, READ, challenge))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_consent_form_is_csrf_protected(app, client, client_for, world, monkeypatch):  # type: ignore[no-untyped-def]
    registered = register(client)
    _verifier, challenge = pkce()
    url = authorize_url(registered, READ, challenge)
    browser = client_for(world.member_alpha)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = browser.post(url, data={"approve": "Autoriser"})
    assert response.status_code in (400, 403)
    assert db.session.scalar(sa.select(sa.func.count(OAuthAuthorizationCode.id))) == 0


def test_denying_redirects_with_access_denied(client, client_for, world):  # type: ignore[no-untyped-def]
    registered = register(client)
    _verifier, challenge = pkce()
    url = authorize_url(registered, READ, challenge)
    response = client_for(world.member_alpha).post(url, data={"deny": "Refuser"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(REDIRECT)
    assert "error=access_denied" in response.headers["Location"]


def test_pkce_is_required_and_must_be_s256(client, client_for, world):  # type: ignore[no-untyped-def]
    registered = register(client)
    browser = client_for(world.member_alpha)
    _verifier, challenge = pkce()
    plain = browser.get(authorize_url(registered, READ, challenge, code_challenge_method="plain"))
    assert plain.status_code == 400
    url = authorize_url(registered, READ, challenge).replace("code_challenge=", "x=")
    assert browser.get(url).status_code == 400


def test_wrong_verifier_and_reused_code_are_refused(client, client_for, world):  # type: ignore[no-untyped-def]
    from tests.api.helpers import approve

    registered = register(client)
    verifier, challenge = pkce()
    query = approve(client_for(world.member_alpha), authorize_url(registered, READ, challenge))
    code = query["code"][0]
    wrong = exchange(client, registered, code, pkce()[0])
    assert wrong.status_code == 400 and wrong.get_json()["error"] == "invalid_grant"
    assert exchange(client, registered, code, verifier).status_code == 200
    again = exchange(client, registered, code, verifier)
    assert again.status_code == 400


def test_unknown_redirect_uri_is_not_followed(client, client_for, world):  # type: ignore[no-untyped-def]
    registered = register(client)
    _verifier, challenge = pkce()
    url = authorize_url(registered, READ, challenge, redirect_uri="https://evil.example/cb")
    response = client_for(world.member_alpha).get(url)
    assert response.status_code == 400 and "evil.example" not in response.headers.get(
        "Location", ""
    )


def test_refresh_rotates_and_old_refresh_token_dies(client, client_for, world):  # type: ignore[no-untyped-def]
    registered, token = obtain_tokens(client, client_for(world.member_alpha))
    data = {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    fresh = client.post(f"{PREFIX}/token", data=data, headers=basic(registered))
    assert fresh.status_code == 200, fresh.get_data(as_text=True)
    new = fresh.get_json()
    assert new["access_token"] != token["access_token"]
    assert client.get(f"{PREFIX}/profile", headers=bearer(new["access_token"])).status_code == 200
    old = client.get(f"{PREFIX}/profile", headers=bearer(token["access_token"]))
    assert old.status_code == 401
    replay = client.post(f"{PREFIX}/token", data=data, headers=basic(registered))
    assert replay.status_code == 400


def test_revoked_token_is_401_imsx(client, client_for, world):  # type: ignore[no-untyped-def]
    registered, token = obtain_tokens(client, client_for(world.member_alpha))
    response = client.post(
        f"{PREFIX}/revoke", data={"token": token["access_token"]}, headers=basic(registered)
    )
    assert response.status_code == 200
    refused = client.get(f"{PREFIX}/credentials", headers=bearer(token["access_token"]))
    assert refused.status_code == 401
    body = refused.get_json()
    assert body["imsx_codeMajor"] == "failure"
    minor = body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
    assert minor == "unauthorizedrequest"


def test_expired_access_token_is_401(client, client_for, world):  # type: ignore[no-untyped-def]
    _registered, token = obtain_tokens(client, client_for(world.member_alpha))
    stored = db.session.scalar(
        sa.select(OAuthToken).where(OAuthToken.access_token_hash == digest(token["access_token"]))
    )
    stored.issued_at = int(time.time()) - 7200
    db.session.commit()
    response = client.get(f"{PREFIX}/credentials", headers=bearer(token["access_token"]))
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_another_clients_secret_cannot_revoke(client, client_for, nothing_written, world):  # type: ignore[no-untyped-def]
    _registered, token = obtain_tokens(client, client_for(world.member_alpha))
    intruder = register(client)
    with nothing_written():
        response = client.post(
            f"{PREFIX}/revoke", data={"token": token["access_token"]}, headers=basic(intruder)
        )
    assert response.status_code == 400
    ok = client.get(f"{PREFIX}/profile", headers=bearer(token["access_token"]))
    assert ok.status_code == 200


def test_scope_not_registered_by_the_client_is_not_granted(client, client_for, world):  # type: ignore[no-untyped-def]
    registered = register(client, scope=READ)
    verifier, challenge = pkce()
    from tests.api.helpers import approve

    query = approve(
        client_for(world.member_alpha), authorize_url(registered, ALL_SCOPES, challenge)
    )
    token = exchange(client, registered, query["code"][0], verifier).get_json()
    assert token["scope"] == READ
    assert client.get(f"{PREFIX}/profile", headers=bearer(token["access_token"])).status_code == 403


def test_consent_page_names_the_client_and_what_it_asks(client, client_for, world):  # type: ignore[no-untyped-def]
    registered = register(client)
    _verifier, challenge = pkce()
    page = client_for(world.member_alpha).get(authorize_url(registered, ALL_SCOPES, challenge))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Portefeuille de test" in text
    assert "Lire vos badges" in text and "Modifier votre nom" in text and "approve" in text


def test_v1_openapi_documents_the_bearer_endpoints(client, db_session):  # type: ignore[no-untyped-def]
    document = client.get("/api/v1/openapi.json").get_json()
    assert {"/me", "/me/credentials"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"
