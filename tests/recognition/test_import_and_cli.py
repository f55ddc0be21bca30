"""Importing badges earned elsewhere, and ``coop-formation credentials list``."""

from __future__ import annotations

import io
import json

from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.models import ImportedBadge, RecipientChoice
from tests.recognition.conftest import award


def test_member_imports_a_baked_badge_and_sees_its_status(world, client_for, credential, client):
    png = client.get(f"/credentials/{credential.public_id}.png").data
    browser = client_for(world.member_alpha)
    response = browser.post(
        "/me/badges/importer",
        data={"file": (io.BytesIO(png), "badge.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    imported = db.session.execute(db.select(ImportedBadge)).scalar_one()
    assert imported.valid and imported.member_id == world.member_alpha.id
    page = browser.get("/me/badges").get_data(as_text=True)
    assert credential.achievement.name in page and "vérifié" in page


def test_import_of_a_tampered_badge_is_kept_as_not_valid(world, client_for, credential):
    text = credential.document.replace(credential.achievement.name, "Faux badge", 1)
    browser = client_for(world.member_alpha)
    assert browser.post("/me/badges/importer", data={"text": text}).status_code == 302
    assert db.session.execute(db.select(ImportedBadge)).scalar_one().valid is False
    assert "non valide" in browser.get("/me/badges").get_data(as_text=True)


def test_import_of_something_that_is_no_badge_re_renders_the_form(
    world, client_for, nothing_written
):
    browser = client_for(world.member_alpha)
    with nothing_written():
        response = browser.post("/me/badges/importer", data={"text": "bonjour"})
    assert response.status_code == 422
    assert "ne contient pas de badge" in response.get_data(as_text=True)


def test_only_the_owner_removes_an_imported_badge(world, client_for, credential):
    mine = services.import_badge(db.session, world.member_alpha, credential.document.encode()).badge
    db.session.commit()
    client_for(world.member_beta).post(f"/me/badges/importes/{mine.id}/supprimer")
    assert db.session.get(ImportedBadge, mine.id) is not None
    client_for(world.member_alpha).post(f"/me/badges/importes/{mine.id}/supprimer")
    db.session.expire_all()
    assert db.session.get(ImportedBadge, mine.id) is None


def test_credentials_list_shows_names_only_where_made_public(app, world):
    shown = award(world.member_alpha, by=world.correspondent_alpha)
    hidden = award(world.member_beta, by=world.correspondent_beta)
    services.set_recipient_choice(
        db.session,
        world.member_alpha,
        shown.public_id,
        choice=RecipientChoice.ACCEPTED,
        public=True,
    )
    services.set_recipient_choice(
        db.session, world.member_beta, hidden.public_id, choice=RecipientChoice.HIDDEN, public=False
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["credentials", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert rows[shown.public_id]["recipient"] == "Alice Martin"
    assert rows[hidden.public_id]["recipient"] == "(non public)"
    assert rows[shown.public_id]["url"] == f"http://localhost/credentials/{shown.public_id}"
    assert rows[shown.public_id]["status"] == "issued"
    text = app.test_cli_runner().invoke(args=["credentials", "list"]).output
    assert "Bruno Roux" not in text and "(non public)" in text
