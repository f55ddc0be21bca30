"""Public pages (no login): a credential's page and its forms by content negotiation,
baked images, QR code, LinkedIn link, issuer profile, status list; privacy of hidden ones."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

import badges
from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.models import RecipientChoice
from tests.recognition.conftest import award, document_of


def test_page_is_html_by_default_without_the_name_until_made_public(client, credential):
    response = client.get(f"/credentials/{credential.public_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert credential.achievement.name in html
    assert "Alice Martin" not in html and "nom non public" in html
    assert 'src="data:image/svg+xml' in html  # QR code
    assert "https://www.linkedin.com/profile/add?" in html
    assert "membre@alpha.test" not in html


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/json"),
        ("application/vc+jwt", "application/vc+jwt"),
        ("text/html", "text/html"),
        ("*/*", "text/html"),
    ],
)
def test_same_url_negotiates_its_form(client, credential, accept, mimetype):
    response = client.get(f"/credentials/{credential.public_id}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "Accept" in response.headers.get("Vary", "")
    if mimetype.endswith("json"):
        assert response.get_json(force=True)["id"] == document_of(credential)["id"]
    if mimetype == "application/vc+jwt":
        assert response.get_data(as_text=True) == credential.jwt


def test_download_forms_are_served(client, credential):
    public_id = credential.public_id
    assert client.get(f"/credentials/{public_id}.jwt").get_data(as_text=True) == credential.jwt
    assert client.get(f"/credentials/{public_id}.json").get_json(force=True)["proof"]
    png = client.get(f"/credentials/{public_id}.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = client.get(f"/credentials/{public_id}.svg")
    assert svg.mimetype == "image/svg+xml" and b"openbadges:credential" in svg.data
    assert "sandbox" in svg.headers["Content-Security-Policy"]
    qr = client.get(f"/credentials/{public_id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


def test_public_documents_never_hold_the_email(client, credential):
    text = client.get(f"/credentials/{credential.public_id}.json").get_data(as_text=True)
    assert "membre@alpha.test" not in text
    identity = document_of(credential)["credentialSubject"]["identifier"][0]
    assert badges.identity_matches(identity, "membre@alpha.test")


def test_linkedin_link_is_filled_in(client, credential):
    page = services.credential_page(credential, None)
    query = parse_qs(urlsplit(page.linkedin_url).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == [credential.achievement.name]
    assert query["certId"] == [credential.public_id]
    assert query["certUrl"] == [f"http://localhost/credentials/{credential.public_id}"]
    assert query["issueYear"] == [str(credential.issued_at.year)]


def test_name_shows_once_the_recipient_accepts_and_makes_it_public(client, world, credential):
    services.set_recipient_choice(
        db.session,
        world.member_alpha,
        credential.public_id,
        choice=RecipientChoice.ACCEPTED,
        public=True,
    )
    db.session.commit()
    html = client.get(f"/credentials/{credential.public_id}").get_data(as_text=True)
    assert "Alice Martin" in html


def test_hidden_credential_is_404_to_the_public_in_every_form(client, world, credential):
    services.set_recipient_choice(
        db.session,
        world.member_alpha,
        credential.public_id,
        choice=RecipientChoice.HIDDEN,
        public=True,
    )
    db.session.commit()
    assert credential.is_public is False
    for suffix in ("", ".json", ".jwt", ".png", ".svg", "/qr.svg"):
        assert client.get(f"/credentials/{credential.public_id}{suffix}").status_code == 404
    json_404 = client.get(
        f"/credentials/{credential.public_id}", headers={"Accept": "application/json"}
    )
    assert json_404.status_code == 404


def test_hidden_credential_stays_visible_to_its_recipient(client_for, world, credential):
    services.set_recipient_choice(
        db.session,
        world.member_alpha,
        credential.public_id,
        choice=RecipientChoice.HIDDEN,
        public=False,
    )
    db.session.commit()
    browser = client_for(world.member_alpha)
    assert browser.get(f"/credentials/{credential.public_id}").status_code == 200
    assert (
        client_for(world.member_beta).get(f"/credentials/{credential.public_id}").status_code == 404
    )


def test_unknown_credential_is_404(client, db_session):
    assert client.get("/credentials/00000000-0000-0000-0000-000000000000").status_code == 404


def test_issuer_profile_in_html_and_json(client, credential):
    issuer = credential.issuer
    html = client.get(f"/issuers/{issuer.public_id}")
    assert html.status_code == 200 and issuer.name in html.get_data(as_text=True)
    profile = client.get(f"/issuers/{issuer.public_id}", headers={"Accept": "application/ld+json"})
    data = profile.get_json(force=True)
    assert data["id"] == "did:web:localhost" and "Profile" in data["type"]
    assert (
        document_of(credential)["issuer"]["url"] == f"http://localhost/issuers/{issuer.public_id}"
    )


def test_status_list_is_a_signed_credential(client, credential):
    url = document_of(credential)["credentialStatus"]["statusListCredential"]
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    status_list = response.get_json(force=True)
    assert "BitstringStatusListCredential" in status_list["type"]
    assert status_list["proof"]
    assert client.get("/status/999999").status_code == 404


def test_achievement_page_and_image_are_public(client, credential):
    public_id = credential.achievement.public_id
    assert client.get(f"/achievements/{public_id}").status_code == 200
    image = client.get(f"/achievements/{public_id}/image")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"


def test_profile_shows_only_accepted_public_credentials(client_for, world):
    shown = award(world.member_alpha, by=world.correspondent_alpha)
    kept_private = award(world.member_alpha, by=world.correspondent_alpha)
    pending = award(world.member_alpha, by=world.correspondent_alpha)
    services.set_recipient_choice(
        db.session,
        world.member_alpha,
        shown.public_id,
        choice=RecipientChoice.ACCEPTED,
        public=True,
    )
    services.set_recipient_choice(
        db.session,
        world.member_alpha,
        kept_private.public_id,
        choice=RecipientChoice.ACCEPTED,
        public=False,
    )
    db.session.commit()
    html = (
        client_for(world.member_beta)
        .get(f"/members/{world.member_alpha.id}/badges")
        .get_data(as_text=True)
    )
    assert shown.public_id in html
    assert kept_private.public_id not in html and pending.public_id not in html


def test_profile_badges_require_login(client, world):
    response = client.get(f"/members/{world.member_alpha.id}/badges")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
