"""A badge belongs to its holder: importing someone else's badge is refused with nothing
stored, one's own is kept once and never replaced by a copy that fails verification, it
downloads exactly as imported and it is in the member's data export."""

from __future__ import annotations

import io
import json

import pytest

import badges
from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.models import ImportedBadge
from tests.recognition.conftest import award
from tests.recognition.external import ExternalIssuer

IMPORT = "/me/badges/importer"


def _post_file(browser, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return browser.post(
        IMPORT, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _imports() -> list[ImportedBadge]:
    db.session.expire_all()
    return list(db.session.execute(db.select(ImportedBadge).order_by(ImportedBadge.id)).scalars())


@pytest.fixture()
def bruno_badge(world):  # type: ignore[no-untyped-def]
    """A badge Beta's correspondent awarded to Bruno (Beta), committed."""
    issued = award(world.member_beta, by=world.correspondent_beta)
    db.session.commit()
    return issued


@pytest.mark.parametrize("form", ["json", "jwt", "png", "svg"])
def test_importing_someone_elses_badge_is_refused_and_stores_nothing(
    world, client_for, client, nothing_written, bruno_badge, form
):
    """Alice posts Bruno's badge, in each form the public page hands out."""
    suffix = {"json": ".json", "jwt": ".jwt", "png": ".png", "svg": ".svg"}[form]
    data = client.get(f"/credentials/{bruno_badge.public_id}{suffix}").data
    alice = client_for(world.member_alpha)
    with nothing_written():
        if form in ("png", "svg"):
            response = _post_file(alice, data, f"badge{suffix}")
        else:
            response = alice.post(IMPORT, data={"text": data.decode()})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "délivré à quelqu&#39;un d&#39;autre" in page or "délivré à quelqu'un d'autre" in page
    assert _imports() == []
    assert (
        "vérifié" not in alice.get("/me/badges").get_data(as_text=True).split("Badges importés")[1]
    )


def test_a_colleagues_badge_is_refused_too(world, client_for, nothing_written, client):
    """Same company, same issuer: still not Alice's badge."""
    colleague = award(world.other_alpha, by=world.correspondent_alpha)
    db.session.commit()
    png = client.get(f"/credentials/{colleague.public_id}.png").data
    with nothing_written():
        response = _post_file(client_for(world.member_alpha), png, "badge.png")
    assert response.status_code == 422 and _imports() == []


def test_a_badge_from_elsewhere_for_someone_else_is_refused(world, client_for, nothing_written):
    foreign = ExternalIssuer().credential(email="camille@ailleurs.example")
    with nothing_written():
        response = client_for(world.member_alpha).post(IMPORT, data={"text": json.dumps(foreign)})
    assert response.status_code == 422 and _imports() == []


def test_a_badge_naming_nobody_is_refused(world, client_for, nothing_written):
    anonymous = ExternalIssuer().credential(did="did:example:quelquun")
    anonymous_subject = {k: v for k, v in anonymous["credentialSubject"].items() if k != "id"}
    unsigned = {k: v for k, v in anonymous.items() if k != "proof"}
    unsigned["credentialSubject"] = anonymous_subject
    with nothing_written():
        response = client_for(world.member_alpha).post(IMPORT, data={"text": json.dumps(unsigned)})
    assert response.status_code == 422
    assert "ne désigne pas son titulaire" in response.get_data(as_text=True)


@pytest.mark.parametrize("identity", ["hashed", "plain", "mailto"])
def test_own_badge_from_elsewhere_is_imported_whatever_the_identity_form(
    world, client_for, identity
):
    issuer = ExternalIssuer()
    email = "Membre@Alpha.test"
    if identity == "hashed":
        credential = issuer.credential(email=email)
    elif identity == "plain":
        credential = issuer.credential(email=email, plain=True)
    else:
        credential = issuer.credential(did="mailto:membre@alpha.test")
    response = client_for(world.member_alpha).post(IMPORT, data={"text": json.dumps(credential)})
    assert response.status_code == 302, response.get_data(as_text=True)
    (kept,) = _imports()
    assert kept.member_id == world.member_alpha.id and kept.valid, kept.report


def test_own_badge_is_kept_once_whatever_the_form_it_comes_in(
    world, client_for, client, credential
):
    alice = client_for(world.member_alpha)
    png = client.get(f"/credentials/{credential.public_id}.png").data
    assert _post_file(alice, png, "badge.png").status_code == 302
    assert _post_file(alice, png, "badge.png").status_code == 302
    flashed = alice.get("/me/badges").get_data(as_text=True)
    assert "déjà parmi vos badges importés" in flashed
    assert alice.post(IMPORT, data={"text": credential.jwt}).status_code == 302
    assert alice.post(IMPORT, data={"text": credential.document}).status_code == 302
    (kept,) = _imports()
    assert (
        kept.valid and kept.credential_id == f"http://localhost/credentials/{credential.public_id}"
    )


def test_an_altered_copy_never_replaces_the_valid_one(
    world, client_for, credential, nothing_written
):
    alice = client_for(world.member_alpha)
    assert alice.post(IMPORT, data={"text": credential.document}).status_code == 302
    (kept,) = _imports()
    original = kept.original
    altered = credential.document.replace(credential.achievement.name, "Ingénieure en chef", 1)
    with nothing_written():
        response = alice.post(IMPORT, data={"text": altered})
    assert response.status_code == 422
    assert "ne remplace pas" in response.get_data(as_text=True)
    (still,) = _imports()
    assert still.id == kept.id and still.valid and still.original == original


def test_importing_the_same_bytes_twice_keeps_one_row(world, credential):
    data = credential.document.encode()
    first = services.import_badge(db.session, world.member_alpha, data)
    second = services.import_badge(db.session, world.member_alpha, data)
    assert first.badge.id == second.badge.id
    assert second.outcome == services.ImportOutcome.UNCHANGED


@pytest.mark.parametrize("form", ["png", "svg", "json"])
def test_imported_badge_downloads_byte_for_byte(world, client_for, client, credential, form):
    data = client.get(f"/credentials/{credential.public_id}.{form}").data
    if form == "json":
        data += b"\n"  # a file as a wallet saved it, trailing newline included
    alice = client_for(world.member_alpha)
    assert _post_file(alice, data, f"badge.{form}").status_code == 302
    (kept,) = _imports()
    page = alice.get("/me/badges").get_data(as_text=True)
    assert f"/me/badges/importes/{kept.id}/fichier" in page
    download = alice.get(f"/me/badges/importes/{kept.id}/fichier")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert (
        client_for(world.member_beta).get(f"/me/badges/importes/{kept.id}/fichier").status_code
        == 404
    )


def test_export_holds_issued_and_imported_badges_and_nothing_of_others(
    world, client_for, credential, bruno_badge
):
    foreign = ExternalIssuer(name="Lycée Prouvé").credential(email="membre@alpha.test")
    alice = client_for(world.member_alpha)
    assert alice.post(IMPORT, data={"text": json.dumps(foreign)}).status_code == 302
    response = alice.get("/me/export")
    data = json.loads(response.get_data(as_text=True))
    section = data["badges"]
    assert [b["id"] for b in section["issued"]] == [credential.public_id]
    assert section["issued"][0]["achievement"] == credential.achievement.name
    (imported,) = section["imported"]
    assert imported["issuer"] == "Lycée Prouvé" and imported["valid"] is True
    assert json.loads(imported["content"]) == foreign
    text = response.get_data(as_text=True)
    assert bruno_badge.public_id not in text and "Bruno" not in text


def test_recipient_check_reads_ob2_assertions():
    salt = "grain"
    hashed = badges.build.hash_identity("membre@alpha.test", salt)
    assertion = {"recipient": {"type": "email", "hashed": True, "salt": salt, "identity": hashed}}
    assert badges.recipient_matches(assertion, ["MEMBRE@alpha.test"])
    assert not badges.recipient_matches(assertion, ["autre@alpha.test"])
    plain = {"recipient": {"type": "email", "hashed": False, "identity": "membre@alpha.test"}}
    assert badges.recipient_matches(plain, ["membre@alpha.test"])
    assert not badges.designates_someone({"credentialSubject": {"type": ["AchievementSubject"]}})
