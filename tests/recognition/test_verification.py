"""One verifier behind the page, the API and the CLI: what the app issues verifies, and a
tampered, revoked, expired or foreign-signed credential does not."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

import badges
from badges.dataintegrity import sign as sign_document
from coop_formation.db import utcnow
from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.fetching import fetch_url
from coop_formation.recognition.models import Credential
from tests.recognition.conftest import award, document_of


def tampered_text(credential: Credential) -> str:
    """The signed JSON with one character changed inside a signed value."""
    text = credential.document
    name = credential.achievement.name
    changed = name[:-1] + ("X" if name[-1] != "X" else "Y")
    assert text.count(name) >= 1
    return text.replace(name, changed, 1)


def api_verify(client, body: str | dict, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    data = json.dumps(body) if isinstance(body, dict) else body
    return client.post("/api/v1/verify", data=data, content_type=content_type)


def cli_verify(app, path: Path, *extra: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["verify", str(path), *extra])


# --- valid -----------------------------------------------------------------------------


def test_issued_credential_verifies_through_api_page_and_cli(app, client, credential, tmp_path):
    response = api_verify(client, {"credential": document_of(credential)})
    assert response.status_code == 200
    body = response.get_json()
    assert body["valid"] is True, body
    assert body["issuer_known"] is True
    assert [c["name"] for c in body["checks"]] == [
        "structure",
        "signature",
        "issuer",
        "status",
        "expiry",
    ]

    page = client.post("/verify", data={"text": credential.document})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Badge valide" in html and "émetteur connu de la grappe" in html

    path = tmp_path / "badge.json"
    path.write_text(credential.document)
    result = cli_verify(app, path)
    assert result.exit_code == 0, result.output
    assert "VALIDE" in result.output


def test_jwt_form_verifies_everywhere(app, client, credential, tmp_path):
    response = api_verify(client, credential.jwt, "text/plain")
    assert response.get_json()["valid"] is True
    assert response.get_json()["format"] == "jwt"
    assert "Badge valide" in client.post("/verify", data={"text": credential.jwt}).get_data(
        as_text=True
    )
    path = tmp_path / "badge.jwt"
    path.write_text(credential.jwt)
    assert cli_verify(app, path).exit_code == 0


def test_own_credential_url_verifies_without_network(app, client, credential):
    url = f"http://localhost/credentials/{credential.public_id}"
    assert api_verify(client, {"url": url}).get_json()["valid"] is True
    assert "Badge valide" in client.post("/verify", data={"text": url}).get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["verify", url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["valid"] is True


@pytest.mark.parametrize("form", ["png", "svg"])
def test_baked_images_extract_and_verify(app, client, credential, tmp_path, form):
    image = client.get(f"/credentials/{credential.public_id}.{form}").data
    extracted = badges.extract_png(image) if form == "png" else badges.extract_svg(image)
    assert json.loads(extracted)["id"] == document_of(credential)["id"]

    response = client.post(
        "/api/v1/verify",
        data={"file": (__import__("io").BytesIO(image), f"badge.{form}")},
        content_type="multipart/form-data",
    )
    assert response.get_json()["valid"] is True
    page = client.post(
        "/verify",
        data={"file": (__import__("io").BytesIO(image), f"badge.{form}")},
        content_type="multipart/form-data",
    )
    assert "Badge valide" in page.get_data(as_text=True)
    path = tmp_path / f"badge.{form}"
    path.write_bytes(image)
    assert cli_verify(app, path).exit_code == 0


# --- invalid -------------------------------------------------------------------------


def test_one_changed_character_is_refused_by_api_page_and_cli(app, client, credential, tmp_path):
    text = tampered_text(credential)
    body = api_verify(client, text, "application/json").get_json()
    assert body["valid"] is False
    assert {c["name"]: c["ok"] for c in body["checks"]}["signature"] is False

    html = client.post("/verify", data={"text": text}).get_data(as_text=True)
    assert "Badge non valide" in html and "La signature ne correspond pas" in html

    path = tmp_path / "tampered.json"
    path.write_text(text)
    result = cli_verify(app, path)
    assert result.exit_code == 1
    assert "NON VALIDE" in result.output


def test_tampered_jwt_is_refused(client, credential):
    head, payload, signature = credential.jwt.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    body = api_verify(client, f"{head}.{payload}.{flipped}", "text/plain").get_json()
    assert body["valid"] is False


def test_our_issuer_signed_with_a_stranger_key_fails_the_issuer_check(client, credential):
    stranger = badges.generate_ed25519_key()
    stranger_did = badges.did_key_for(stranger.public_key())
    unsigned = {k: v for k, v in document_of(credential).items() if k != "proof"}
    forged = sign_document(unsigned, stranger, f"{stranger_did}#{stranger_did[8:]}")
    body = api_verify(client, {"credential": forged}).get_json()
    checks = {c["name"]: c for c in body["checks"]}
    assert body["valid"] is False
    assert checks["issuer"]["ok"] is False
    assert "autre émetteur" in checks["issuer"]["message"]


def test_a_strangers_own_credential_is_reported_as_unknown_issuer(client, world):
    key = badges.generate_ed25519_key()
    did = badges.did_key_for(key.public_key())
    issuer_key = badges.IssuerKey(f"{did}#{did[8:]}", key)
    unsigned = badges.build_open_badge_credential(
        issuer=badges.IssuerProfile(
            id=did, name="Officine inconnue", url="https://inconnu.example"
        ),
        achievement=badges.AchievementDefinition(
            id="https://inconnu.example/a/1",
            name="Badge ailleurs",
            description="d",
            criteria_narrative="c",
        ),
        recipient=badges.Recipient(email="x@example.org"),
        valid_from=utcnow() - timedelta(days=1),
    )
    body = api_verify(
        client, {"credential": badges.sign_credential(unsigned, issuer_key)}
    ).get_json()
    assert body["issuer_known"] is False
    html = client.post(
        "/verify", data={"text": json.dumps(badges.sign_credential(unsigned, issuer_key))}
    )
    assert "émetteur inconnu" in html.get_data(as_text=True)


def test_revoked_credential_fails_the_status_check_after_revocation(
    app, client, world, credential, tmp_path
):
    assert api_verify(client, {"credential": document_of(credential)}).get_json()["valid"] is True
    services.revoke_credential(
        db.session, world.correspondent_alpha, credential.public_id, "Erreur de saisie"
    )
    db.session.commit()
    body = api_verify(client, {"credential": document_of(credential)}).get_json()
    checks = {c["name"]: c for c in body["checks"]}
    assert body["valid"] is False
    assert checks["status"]["ok"] is False and "révoqué" in checks["status"]["message"]
    assert "révoqué" in client.post("/verify", data={"text": credential.jwt}).get_data(as_text=True)
    path = tmp_path / "revoked.json"
    path.write_text(credential.document)
    assert cli_verify(app, path).exit_code == 1


def test_expired_credential_fails_the_expiry_check(app, client, world, tmp_path):
    now = utcnow()
    expired = award(
        world.member_alpha,
        by=world.correspondent_alpha,
        now=now - timedelta(days=30),
        valid_until=now - timedelta(days=1),
    )
    db.session.commit()
    body = api_verify(client, {"credential": document_of(expired)}).get_json()
    checks = {c["name"]: c for c in body["checks"]}
    assert body["valid"] is False
    assert checks["expiry"]["ok"] is False and "expiré" in checks["expiry"]["message"]
    path = tmp_path / "expired.json"
    path.write_text(expired.document)
    assert cli_verify(app, path).exit_code == 1


# --- unusable input --------------------------------------------------------------------


def test_cli_unusable_input_exits_2_with_one_line(app, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("ceci n'est pas un badge")
    result = app.test_cli_runner().invoke(args=["verify", str(path)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    missing = app.test_cli_runner().invoke(args=["verify", str(tmp_path / "absent.json")])
    assert missing.exit_code == 2


def test_verify_page_reports_unusable_input_in_french(client, db_session, nothing_written):
    with nothing_written():
        response = client.post("/verify", data={"text": "bonjour"})
    assert response.status_code == 422
    assert "Impossible de vérifier" in response.get_data(as_text=True)


def test_verify_page_is_public(client, db_session):
    assert client.get("/verify").status_code == 200


# --- fetching other sites --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/badge.json",
        "https://127.0.0.1/badge.json",
        "https://10.1.2.3/badge.json",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/badge.json",
        "https://localhost/badge.json",
        "ftp://example.org/badge.json",
    ],
)
def test_fetcher_refuses_plain_http_and_private_addresses(url):
    with pytest.raises(badges.ResolutionError):
        fetch_url(url)


def test_foreign_url_goes_through_the_safe_fetcher(client, db_session):
    body = api_verify(client, {"url": "https://127.0.0.1/badge.json"})
    assert body.status_code == 422
    assert body.mimetype == "application/problem+json"
