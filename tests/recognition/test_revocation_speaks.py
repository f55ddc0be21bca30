"""Revocation that speaks: the issuer's reason is on the public page, in every
verification report (page, API, CLI) and in the holder's notification; a revoked badge's
page offers no "add to LinkedIn"."""

from __future__ import annotations

import io
import json

import pytest

from coop_formation.extensions import db
from coop_formation.notifications.models import Notification
from coop_formation.recognition import services
from tests.recognition.conftest import award, document_of

REASON = "Délivré par erreur : la session n'a pas eu lieu."
LINKEDIN = "Ajouter à mon profil LinkedIn"


def _escaped(text: str) -> str:
    return text.replace("'", "&#39;")


@pytest.fixture()
def revoked(world, credential):  # type: ignore[no-untyped-def]
    services.revoke_credential(db.session, world.correspondent_alpha, credential.public_id, REASON)
    db.session.commit()
    return credential


def test_public_page_of_a_revoked_badge_says_why_and_offers_no_linkedin(client, revoked):
    page = client.get(f"/credentials/{revoked.public_id}").get_data(as_text=True)
    assert "Révoqué le" in page and _escaped(REASON) in page
    assert LINKEDIN not in page and "linkedin.com" not in page


def test_page_of_a_valid_badge_still_offers_linkedin(client, credential):
    page = client.get(f"/credentials/{credential.public_id}").get_data(as_text=True)
    assert LINKEDIN in page and "Raison de la révocation" not in page


@pytest.mark.parametrize("form", ["json", "jwt", "png"])
def test_verify_page_reports_the_reason(client, revoked, form):
    if form == "png":
        png = client.get(f"/credentials/{revoked.public_id}.png").data
        response = client.post(
            "/verify",
            data={"file": (io.BytesIO(png), "badge.png")},
            content_type="multipart/form-data",
        )
    else:
        text = revoked.document if form == "json" else revoked.jwt
        response = client.post("/verify", data={"text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Badge non valide" in page
    assert _escaped(REASON) in page


def test_verify_api_reports_the_reason(client, revoked):
    response = client.post("/api/v1/verify", json={"credential": document_of(revoked)})
    body = response.get_json()
    assert response.status_code == 200 and body["valid"] is False
    assert body["revocation_reason"] == REASON and body["revoked_at"].endswith("Z")
    status = next(c for c in body["checks"] if c["name"] == "status")
    assert status["ok"] is False and REASON in status["message"]


def test_cli_verify_reports_the_reason(app, revoked, tmp_path):
    path = tmp_path / "revoque.json"
    path.write_text(revoked.document)
    text = app.test_cli_runner().invoke(args=["verify", str(path)])
    assert text.exit_code == 1 and REASON in text.output
    as_json = app.test_cli_runner().invoke(args=["verify", str(path), "--json"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.output)["revocation_reason"] == REASON


def test_a_valid_badge_reports_no_reason(client, credential):
    body = client.post("/api/v1/verify", json={"credential": document_of(credential)}).get_json()
    assert body["valid"] is True and body["revocation_reason"] is None


def test_holder_is_notified_with_the_reason(world, client_for, revoked):
    (notice,) = db.session.execute(
        db.select(Notification).where(
            Notification.recipient_id == world.member_alpha.id,
            Notification.kind == "badge_revoked",
        )
    ).scalars()
    assert revoked.achievement.name in notice.subject
    assert REASON in notice.body and notice.link == f"/credentials/{revoked.public_id}"
    mine = client_for(world.member_alpha).get("/me/badges").get_data(as_text=True)
    assert _escaped(REASON) in mine


def test_nobody_else_is_notified_of_the_revocation(world):
    other = award(world.other_alpha, by=world.correspondent_alpha)
    services.revoke_credential(db.session, world.correspondent_alpha, other.public_id, REASON)
    recipients = db.session.execute(
        db.select(Notification.recipient_id).where(Notification.kind == "badge_revoked")
    ).scalars()
    assert list(recipients) == [world.other_alpha.id]
