"""What the app issues, judged by others' code: its VC-JWT verifies with panva's ``jose``
(``jwtVerify`` + ``createLocalJWKSet`` over our ``/.well-known/jwks.json``, fetched through
the app), and its OB 3.0 JSON validates against 1EdTech's JSON schema (jsonschema)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from coop_formation.extensions import db
from coop_formation.recognition import services
from tests.factories import SkillFactory
from tests.recognition.conftest import award, document_of

pytestmark = pytest.mark.external

HERE = Path(__file__).resolve().parent.parent  # tests/external (node scripts, node_modules)
SCHEMAS = HERE.parent.parent / "badges" / "schemas"


@pytest.fixture(scope="module")
def node() -> str:
    executable = shutil.which("node")
    if executable is None:
        pytest.skip("Node.js (node) est absent : tests d'interopérabilité impossibles.")
    if not (HERE / "node_modules" / "jose").is_dir():
        npm = shutil.which("npm")
        assert npm is not None, "npm est nécessaire pour installer les paquets de test"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300)
    return executable


def jose_verify(node: str, jwks: dict[str, Any], tokens: list[str], issuer: str) -> list[dict]:
    result = subprocess.run(
        [node, "jose-verify.mjs"],
        cwd=HERE,
        input=json.dumps({"jwks": jwks, "tokens": tokens, "issuer": issuer}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_jose_verifies_the_app_vc_jwt_with_the_published_jwks(node, client, credential):  # type: ignore[no-untyped-def]
    jwks = client.get("/.well-known/jwks.json").get_json()
    served = client.get(f"/credentials/{credential.public_id}.jwt").get_data(as_text=True).strip()
    issuer = services.issuer_did()
    [stored, fetched] = jose_verify(node, jwks, [credential.jwt, served], issuer)
    assert stored["verified"] and fetched["verified"], (stored, fetched)
    assert stored["alg"] == "EdDSA" and stored["kid"] in {k.get("kid") for k in jwks["keys"]}
    assert stored["vcId"] == document_of(credential)["id"]


def test_jose_refuses_changed_or_unsigned_tokens(node, client, credential):  # type: ignore[no-untyped-def]
    jwks = client.get("/.well-known/jwks.json").get_json()
    head, payload, signature = credential.jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Badge falsifié"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    none_head = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    results = jose_verify(
        node,
        jwks,
        [f"{head}.{forged}.{signature}", f"{none_head}.{payload}."],
        services.issuer_did(),
    )
    assert [r["verified"] for r in results] == [False, False]


def test_jose_still_verifies_after_key_rotation(node, client, credential, world):  # type: ignore[no-untyped-def]
    services.rotate_key(db.session)
    db.session.commit()
    newer = award(world.member_alpha, by=world.correspondent_alpha)
    db.session.commit()
    assert newer.key_id != credential.key_id
    jwks = client.get("/.well-known/jwks.json").get_json()
    results = jose_verify(node, jwks, [credential.jwt, newer.jwt], services.issuer_did())
    assert all(r["verified"] for r in results), results


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_app_open_badge_validates_against_1edtech_schema(client, credential):  # type: ignore[no-untyped-def]
    served = client.get(
        f"/credentials/{credential.public_id}", headers={"Accept": "application/ld+json"}
    ).get_json()
    errors = [e.message for e in validator("achievementcredential.json").iter_errors(served)]
    assert errors == []
    assert served == document_of(credential)


def test_app_endorsement_validates_against_1edtech_schema(world):  # type: ignore[no-untyped-def]
    skill = SkillFactory(label="Soudure")
    endorsement = services.endorse(
        db.session,
        world.member_beta,
        endorsed_id=world.member_alpha.id,
        skill_id=skill.id,
        comment="Alice explique avec patience.",
    )
    document = json.loads(endorsement.document)
    errors = [e.message for e in validator("endorsementcredential.json").iter_errors(document)]
    assert errors == []


def test_schema_catches_a_missing_required_field(credential):  # type: ignore[no-untyped-def]
    document = document_of(credential)
    del document["credentialSubject"]
    assert list(validator("achievementcredential.json").iter_errors(document))
