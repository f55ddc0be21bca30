"""Interoperability judged by others' code: Digital Bazaar's JavaScript implementation
of eddsa-rdfc-2022 (npm @digitalbazaar/vc) verifies what we issue, refuses what was
changed, and what it signs verifies with our verifier."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import badges
from badges.dataintegrity import sign as sign_document
from badges.keys import private_key_multibase
from tests.badges.conftest import NOW, Issuer

pytestmark = pytest.mark.external

HERE = Path(__file__).parent
NOW_ISO = badges.format_datetime(NOW)


@pytest.fixture(scope="session")
def node() -> str:
    executable = shutil.which("node")
    if executable is None:
        pytest.skip("Node.js (node) est absent : tests d'interopérabilité impossibles.")
    if not (HERE / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        npm = shutil.which("npm")
        assert npm is not None, "npm est nécessaire pour installer les paquets de test"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300)
    return executable


def _run(node: str, script: str, payload: dict[str, Any]) -> Any:
    result = subprocess.run(
        [node, script],
        cwd=HERE,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def db_verify(node: str, issuer: Issuer, credential: dict[str, Any]) -> dict[str, Any]:
    documents = {issuer.did: issuer.resolver.dids[issuer.did]}
    return _run(
        node, "verify.mjs", {"credential": credential, "documents": documents, "now": NOW_ISO}
    )


def db_sign(node: str, issuer: Issuer, credential: dict[str, Any]) -> dict[str, Any]:
    key = {
        "id": issuer.key.key_id,
        "controller": issuer.did,
        "publicKeyMultibase": badges.public_key_multibase(issuer.key.public_key),
        "secretKeyMultibase": private_key_multibase(issuer.key.private_key),
    }
    documents = {issuer.did: issuer.resolver.dids[issuer.did]}
    return _run(node, "sign.mjs", {"credential": credential, "key": key, "documents": documents})


@pytest.fixture(scope="module")
def issuer() -> Issuer:
    return Issuer()


def test_digital_bazaar_verifies_our_open_badge(node: str, issuer: Issuer) -> None:
    credential = issuer.signed(team="Les Castors", team_members=["Camille", "Sami"])
    assert db_verify(node, issuer, credential) == {"verified": True, "error": None}


def test_digital_bazaar_verifies_our_endorsement(node: str, issuer: Issuer) -> None:
    endorsement = badges.build_endorsement_credential(
        issuer=issuer.profile,
        endorsed_id="https://coop.example/achievements/soudure",
        comment="Camille transmet son savoir-faire avec patience.",
        valid_from=NOW,
    )
    signed = badges.sign_credential(endorsement, issuer.key, created=NOW)
    assert db_verify(node, issuer, signed) == {"verified": True, "error": None}


def test_digital_bazaar_verifies_our_status_list(node: str, issuer: Issuer) -> None:
    status_list = issuer.resolver.documents[issuer.status_url]
    assert db_verify(node, issuer, status_list)["verified"] is True


def test_digital_bazaar_refuses_a_one_character_change(node: str, issuer: Issuer) -> None:
    text = json.dumps(issuer.signed(), ensure_ascii=False)
    changed = json.loads(text.replace("Soudure TIG", "Soudure TIH", 1))
    result = db_verify(node, issuer, changed)
    assert result["verified"] is False
    assert "signature" in (result["error"] or "").lower()


def test_digital_bazaar_refuses_an_undefined_term_like_we_do(node: str, issuer: Issuer) -> None:
    credential = issuer.credential()
    signed = badges.sign_credential(credential, issuer.key, created=NOW)
    signed["credentialSubject"]["teamName"] = "Les Castors"  # pyld alone would not notice
    assert db_verify(node, issuer, signed)["verified"] is False
    assert not badges.verify(signed, resolver=issuer.resolver, now=NOW).valid
    with pytest.raises(badges.UndefinedTermError):
        sign_document(signed, issuer.key.private_key, issuer.key.key_id)


def test_we_verify_what_digital_bazaar_signs(node: str, issuer: Issuer) -> None:
    signed = db_sign(node, issuer, issuer.credential())
    assert isinstance(signed["proof"], dict)  # compacted form: a single proof object
    report = badges.verify(signed, resolver=issuer.resolver, now=NOW)
    assert report.valid, report.failures
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Soudure experte"
    assert not badges.verify(tampered, resolver=issuer.resolver, now=NOW).check("signature").ok


def test_we_verify_a_digital_bazaar_signed_endorsement(node: str, issuer: Issuer) -> None:
    endorsement = badges.build_endorsement_credential(
        issuer=issuer.profile, endorsed_id="urn:uuid:abc", comment="Bravo", valid_from=NOW
    )
    report = badges.verify(db_sign(node, issuer, endorsement), resolver=issuer.resolver, now=NOW)
    assert report.valid, report.failures
