"""Issuer keys: encrypted at rest, published as did:web and JWKS, rotated without
invalidating what older keys signed."""

from __future__ import annotations

import json

import badges
from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.models import IssuerKey
from tests.recognition.conftest import award, document_of


def _keys() -> list[IssuerKey]:
    return list(db.session.execute(db.select(IssuerKey).order_by(IssuerKey.id)).scalars())


def test_first_key_is_created_on_first_issue_and_stored_encrypted(world):
    assert _keys() == []
    award(world.member_alpha, by=world.correspondent_alpha)
    (key,) = _keys()
    assert "ENCRYPTED PRIVATE KEY" in key.private_key_pem
    assert key.key_id.startswith("did:web:localhost#key-")
    assert '"d"' not in key.public_jwk


def test_did_document_and_jwks_publish_the_keys(client, credential):
    did = client.get("/.well-known/did.json")
    assert did.status_code == 200
    document = did.get_json(force=True)
    assert document["id"] == "did:web:localhost"
    method_ids = [m["id"] for m in document["verificationMethod"]]
    assert credential.key_id in method_ids
    assert credential.key_id in document["assertionMethod"]
    jwks = client.get("/.well-known/jwks.json").get_json(force=True)
    assert [k["kid"] for k in jwks["keys"]] == method_ids
    assert all("d" not in k for k in jwks["keys"])


def test_rotation_keeps_old_credentials_valid_and_signs_new_ones_with_the_new_key(
    app, client, world, credential
):
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    old_key, new_key = _keys()
    assert old_key.retired_at is not None and new_key.retired_at is None
    fresh = award(world.other_alpha, by=world.correspondent_alpha)
    db.session.commit()
    assert fresh.key_id == new_key.key_id != credential.key_id
    assert document_of(fresh)["proof"][0]["verificationMethod"] == new_key.key_id
    for issued in (credential, fresh):
        report = services.verify_input(db.session, issued.document)
        assert report.valid, report.failures
        assert services.verify_input(db.session, issued.jwt).valid
    published = client.get("/.well-known/did.json").get_json(force=True)
    assert {old_key.key_id, new_key.key_id} <= {m["id"] for m in published["verificationMethod"]}


def test_a_compromised_key_is_withdrawn_and_its_credentials_fail(world, credential):
    (key,) = _keys()
    key.compromised_at = key.created_at
    db.session.flush()
    report = services.verify_input(db.session, credential.document)
    assert not report.valid
    assert not report.check("issuer").ok


def test_keys_survive_a_different_encryption_secret_only_with_the_right_one(app, world, credential):
    row = _keys()[0]
    try:
        badges.load_private_key(row.private_key_pem, b"wrong secret")
    except badges.BadgeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("the stored key opened with a wrong passphrase")
    assert json.loads(row.public_jwk)["kid"] == row.key_id
