"""VC-JWT: the OB 3.0 JSON Web Token proof format."""

from __future__ import annotations

import json

import jwt as pyjwt
import pytest

import badges
from badges.encoding import b64url_decode, b64url_encode

from .conftest import NOW, Issuer


def _parts(token: str) -> tuple[dict, dict]:
    head, body, _ = token.split(".")
    return json.loads(b64url_decode(head)), json.loads(b64url_decode(body))


def test_jwt_verifies_and_carries_ob3_claims(issuer: Issuer) -> None:
    credential = issuer.credential()
    token = badges.sign_jwt(credential, issuer.key)
    header, payload = _parts(token)
    assert header == {"alg": "EdDSA", "kid": issuer.key.key_id, "typ": "JWT"}
    assert payload["iss"] == issuer.did
    assert payload["jti"] == credential["id"]
    assert payload["nbf"] == int(badges.parse_datetime(credential["validFrom"]).timestamp())
    assert payload["exp"] == int(badges.parse_datetime(credential["validUntil"]).timestamp())
    assert "sub" not in payload  # hashed e-mail only: no credentialSubject.id
    report = badges.verify(token, resolver=issuer.resolver, now=NOW)
    assert report.valid, report.failures
    assert report.format == "jwt"


def test_jwt_with_did_recipient_has_sub(issuer: Issuer) -> None:
    credential = issuer.credential()
    credential["credentialSubject"]["id"] = "did:example:camille"
    _, payload = _parts(badges.sign_jwt(credential, issuer.key))
    assert payload["sub"] == "did:example:camille"


def test_tampered_jwt_payload_fails(issuer: Issuer) -> None:
    token = badges.sign_jwt(issuer.credential(), issuer.key)
    head, body, signature = token.split(".")
    payload = json.loads(b64url_decode(body))
    payload["credentialSubject"]["achievement"]["name"] = "Soudure experte"
    forged = f"{head}.{b64url_encode(json.dumps(payload).encode())}.{signature}"
    report = badges.verify(forged, resolver=issuer.resolver, now=NOW)
    assert not report.valid
    assert not report.check("signature").ok


def test_jwt_claims_must_match_the_credential(issuer: Issuer) -> None:
    credential = issuer.credential()
    payload = {**credential, "iss": issuer.did, "jti": "urn:uuid:other", "nbf": 0}
    token = pyjwt.encode(
        payload, issuer.key.private_key, algorithm="EdDSA", headers={"kid": issuer.key.key_id}
    )
    report = badges.verify(token, resolver=issuer.resolver, now=NOW)
    assert not report.check("structure").ok
    assert report.check("signature").ok
    assert not report.valid


def test_rs256_jwt_from_jwks_is_accepted() -> None:
    rsa_key = badges.IssuerKey(
        "https://rh.example/.well-known/jwks.json#rsa-1", badges.generate_rsa_key(2048)
    )
    issuer = Issuer()
    profile = badges.IssuerProfile(
        id="https://rh.example/issuer", name="RH", url="https://rh.example"
    )
    credential = badges.build_open_badge_credential(
        issuer=profile,
        achievement=badges.AchievementDefinition(
            id="https://rh.example/a/1", name="Accueil", description="d", criteria_narrative="c"
        ),
        recipient=badges.Recipient(did="did:example:sami"),
        valid_from=NOW,
    )
    token = badges.sign_jwt(credential, rsa_key)
    assert _parts(token)[0]["alg"] == "RS256"
    resolver = badges.StaticResolver(
        documents={"https://rh.example/.well-known/jwks.json": badges.jwks([rsa_key])}
    )
    report = badges.verify(token, resolver=resolver, now=NOW)
    assert report.valid, report.failures
    # the same key published on a foreign site is not the issuer's
    foreign = badges.IssuerKey("https://evil.example/jwks.json#rsa-1", rsa_key.private_key)
    resolver.documents["https://evil.example/jwks.json"] = badges.jwks([foreign])
    report = badges.verify(badges.sign_jwt(credential, foreign), resolver=resolver, now=NOW)
    assert not report.check("issuer").ok
    del issuer


def test_jwt_signed_with_unsupported_alg_fails(issuer: Issuer) -> None:
    credential = issuer.credential()
    token = pyjwt.encode(
        {**credential, "iss": issuer.did, "jti": credential["id"]},
        "secret-secret-secret-secret-secret",
        algorithm="HS256",
        headers={"kid": issuer.key.key_id},
    )
    report = badges.verify(token, resolver=issuer.resolver, now=NOW)
    assert not report.check("signature").ok


@pytest.mark.parametrize("bad", ["a.b", "a.b.c.d", "%%%.x.y"])
def test_garbage_jwt_is_unusable(bad: str) -> None:
    with pytest.raises(badges.UnusableInput):
        badges.verify(bad)


def test_jwt_kid_may_point_to_the_issuers_jwks(issuer: Issuer) -> None:
    """For consumers that dereference ``kid`` to a JWK: same key, JWKS URL on the
    did:web issuer's own site."""
    jwks_url = "https://coop.example/.well-known/jwks.json"
    key = badges.IssuerKey(f"{jwks_url}#key-2025", issuer.key.private_key)
    resolver = badges.StaticResolver(issuer.resolver.dids, dict(issuer.resolver.documents))
    resolver.documents[jwks_url] = badges.jwks([key])
    report = badges.verify(badges.sign_jwt(issuer.credential(), key), resolver=resolver, now=NOW)
    assert report.valid, report.failures
