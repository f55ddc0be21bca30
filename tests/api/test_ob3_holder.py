"""The Open Badges API keeps a badge for its holder only: ``upsertCredential`` refuses
someone else's credential and any that fails verification (nothing stored, the valid copy
kept); ``getCredentials`` lists every credential the member holds, each once."""

from __future__ import annotations

import json

import pytest

from coop_formation.extensions import db
from coop_formation.recognition import services
from tests.api.helpers import PREFIX, READ, UPSERT, bearer, obtain_tokens
from tests.recognition.conftest import award, document_of
from tests.recognition.external import ExternalIssuer


@pytest.fixture()
def alice_access(client, client_for, world):  # type: ignore[no-untyped-def]
    _c, token = obtain_tokens(client, client_for(world.member_alpha), scope=f"{UPSERT} {READ}")
    return bearer(token["access_token"])


def _upsert(client, access, data: str, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    return client.post(
        f"{PREFIX}/credentials", data=data, content_type=content_type, headers=access
    )


@pytest.mark.parametrize("form", ["json", "jwt"])
def test_upsert_refuses_someone_elses_credential(
    client, world, alice_access, nothing_written, form
):
    bruno = award(world.member_beta, by=world.correspondent_beta)
    db.session.commit()
    data, kind = (
        (bruno.document, "application/json") if form == "json" else (bruno.jwt, "text/plain")
    )
    with nothing_written():
        response = _upsert(client, alice_access, data, kind)
    assert response.status_code == 400
    body = response.get_json()
    assert body["imsx_codeMajor"] == "failure"
    assert "quelqu'un d'autre" in body["imsx_description"]
    assert services.imported_badges(db.session, world.member_alpha) == []


def test_upsert_never_replaces_a_valid_copy_with_an_altered_one(
    client, world, alice_access, credential, nothing_written
):
    assert _upsert(client, alice_access, credential.document).status_code == 201
    (kept,) = services.imported_badges(db.session, world.member_alpha)
    original = kept.original
    altered = credential.document.replace(credential.achievement.name, "Directrice", 1)
    with nothing_written():
        response = _upsert(client, alice_access, altered)
    assert response.status_code == 400
    assert response.get_json()["imsx_codeMajor"] == "failure"
    db.session.expire_all()
    (still,) = services.imported_badges(db.session, world.member_alpha)
    assert still.id == kept.id and still.valid and still.original == original


def test_upsert_refuses_an_altered_credential_it_never_saw(
    client, world, alice_access, nothing_written
):
    foreign = ExternalIssuer().credential(email="membre@alpha.test")
    foreign["name"] = "Autre chose"
    with nothing_written():
        response = _upsert(client, alice_access, json.dumps(foreign))
    assert response.status_code == 400
    assert "vérification" in response.get_json()["imsx_description"]


def test_upsert_of_the_same_credential_keeps_it_once(client, world, alice_access, credential):
    assert _upsert(client, alice_access, credential.document).status_code == 201
    assert _upsert(client, alice_access, credential.document).status_code == 200
    assert _upsert(client, alice_access, credential.jwt, "text/plain").status_code == 200
    assert len(services.imported_badges(db.session, world.member_alpha)) == 1


def test_get_credentials_lists_issued_and_imported_each_once(
    client, world, alice_access, credential
):
    issuer = ExternalIssuer()
    external_json = issuer.credential(email="membre@alpha.test", name="Habilitation B1V")
    external_jwt = issuer.jwt(email="membre@alpha.test", name="CACES 3")
    assert _upsert(client, alice_access, credential.document).status_code == 201  # her own
    assert _upsert(client, alice_access, json.dumps(external_json)).status_code == 201
    assert _upsert(client, alice_access, external_jwt, "text/plain").status_code == 201
    response = client.get(f"{PREFIX}/credentials", headers=alice_access)
    assert response.status_code == 200
    body = response.get_json()
    ids = sorted(c["id"] for c in body["credential"])
    assert ids == sorted([document_of(credential)["id"], external_json["id"]])
    assert body["compactJwsString"] == [external_jwt]
    assert response.headers["X-Total-Count"] == "3"
    paged = client.get(f"{PREFIX}/credentials?limit=1", headers=alice_access)
    assert paged.headers["X-Total-Count"] == "3"
    page = paged.get_json()
    assert len(page["credential"]) + len(page["compactJwsString"]) == 1


def test_get_credentials_leaves_out_revoked_ones(client, world, alice_access, credential):
    services.revoke_credential(
        db.session, world.correspondent_alpha, credential.public_id, "Délivré par erreur."
    )
    db.session.commit()
    response = client.get(f"{PREFIX}/credentials", headers=alice_access)
    assert response.get_json() == {"credential": [], "compactJwsString": []}
