"""An OAuth 2.0 client for the tests: registration, consent, PKCE code exchange."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from flask.testing import FlaskClient

PREFIX = "/ims/ob/v3p0"
SCOPE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
READ = SCOPE + "credential.readonly"
UPSERT = SCOPE + "credential.upsert"
PROFILE_READ = SCOPE + "profile.readonly"
PROFILE_UPDATE = SCOPE + "profile.update"
ALL_SCOPES = f"{READ} {UPSERT} {PROFILE_READ} {PROFILE_UPDATE} offline_access"
REDIRECT = "https://wallet.example/callback"


@dataclass
class RegisteredClient:
    client_id: str
    client_secret: str


def register(client: FlaskClient, scope: str = ALL_SCOPES) -> RegisteredClient:
    response = client.post(
        f"{PREFIX}/register",
        json={
            "client_name": "Portefeuille de test",
            "client_uri": "https://wallet.example/",
            "redirect_uris": [REDIRECT],
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "scope": scope,
        },
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    return RegisteredClient(body["client_id"], body["client_secret"])


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize_url(registered: RegisteredClient, scope: str, challenge: str, **extra: str) -> str:
    params = {
        "response_type": "code",
        "client_id": registered.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return f"{PREFIX}/authorize?{urlencode(params)}"


def basic(registered: RegisteredClient) -> dict[str, str]:
    raw = f"{registered.client_id}:{registered.client_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def approve(browser: FlaskClient, url: str) -> dict[str, list[str]]:
    """Open the consent page, approve, and return the redirect's query parameters."""
    page = browser.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    response = browser.post(url, data={"approve": "Autoriser"})
    assert response.status_code == 302, response.get_data(as_text=True)
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return parse_qs(location.query)


def exchange(client: FlaskClient, registered: RegisteredClient, code: str, verifier: str) -> Any:
    return client.post(
        f"{PREFIX}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
        headers=basic(registered),
    )


def obtain_tokens(
    client: FlaskClient, browser: FlaskClient, scope: str = ALL_SCOPES
) -> tuple[RegisteredClient, dict[str, Any]]:
    """The whole authorization-code + PKCE flow; returns the client and token response."""
    registered = register(client)
    verifier, challenge = pkce()
    query = approve(browser, authorize_url(registered, scope, challenge))
    assert query["state"] == ["xyz"]
    response = exchange(client, registered, query["code"][0], verifier)
    assert response.status_code == 200, response.get_data(as_text=True)
    return registered, response.get_json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
