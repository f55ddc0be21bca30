"""Tampered or hostile input through ``POST /api/v1/verify``: each is reported invalid
(200, ``valid: false``) or refused as unusable (4xx problem+json), never a 500.

Complements test_verify_api.py (``alg: none``, unsigned field, truncated PNG, 3 MB upload).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import struct
import zlib

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

import badges
from tests.recognition.conftest import document_of

PROBLEM = "application/problem+json"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def verify(client, data, content_type):  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/verify", data=data, content_type=content_type)
    assert response.status_code != 500, response.get_data(as_text=True)
    return response


def assert_invalid(response, check: str | None = None) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["valid"] is False
    if check is not None:
        assert {c["name"]: c["ok"] for c in body["checks"]}[check] is False


def parts(token: str) -> tuple[dict, dict]:
    head, payload, _sig = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(head))), json.loads(
        base64.urlsafe_b64decode(pad(payload))
    )


def hs256(header: dict, payload_segment: str, secret: bytes) -> str:
    head = b64(json.dumps(header).encode())
    signing_input = f"{head}.{payload_segment}".encode()
    return (
        f"{head}.{payload_segment}.{b64(hmac.new(secret, signing_input, hashlib.sha256).digest())}"
    )


def public_key_forms(client) -> list[bytes]:  # type: ignore[no-untyped-def]
    """The issuer's public key as an attacker would find it: JWKS JSON, JWK, raw x."""
    jwks = client.get("/.well-known/jwks.json").get_json()
    jwk = jwks["keys"][0]
    raw = base64.urlsafe_b64decode(jwk["x"] + "==")
    public = ed25519.Ed25519PublicKey.from_public_bytes(raw)
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return [json.dumps(jwks).encode(), json.dumps(jwk).encode(), raw, pem]


def test_hs256_with_the_public_key_as_secret_is_invalid(client, credential):  # type: ignore[no-untyped-def]
    header, _payload = parts(credential.jwt)
    payload_segment = credential.jwt.split(".")[1]
    for secret in public_key_forms(client):
        forged = hs256({**header, "alg": "HS256"}, payload_segment, secret)
        assert_invalid(verify(client, forged, "text/plain"), "signature")


@pytest.mark.parametrize("alg", ["HS512", "RS512", "ES256", "PS256", "none", "NONE", "", None])
def test_unexpected_algorithms_are_invalid(client, credential, alg):  # type: ignore[no-untyped-def]
    header, _payload = parts(credential.jwt)
    head = b64(json.dumps({**header, "alg": alg}).encode())
    _h, payload_segment, signature = credential.jwt.split(".")
    response = verify(client, f"{head}.{payload_segment}.{signature}", "text/plain")
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.get_json()["valid"] is False


def test_kid_of_an_unpublished_key_is_invalid(client, credential):  # type: ignore[no-untyped-def]
    _header, payload = parts(credential.jwt)
    attacker = ed25519.Ed25519PrivateKey.generate()
    for kid in ("did:web:localhost#cle-inconnue", "did:web:localhost#key-1", "#0", "x" * 2000):
        forged = pyjwt.encode(payload, attacker, algorithm="EdDSA", headers={"kid": kid})
        assert_invalid(verify(client, forged, "text/plain"))


def test_kid_of_a_did_key_not_the_issuers_is_invalid(client, credential):  # type: ignore[no-untyped-def]
    _header, payload = parts(credential.jwt)
    attacker = ed25519.Ed25519PrivateKey.generate()
    did = badges.did_key_for(attacker.public_key())
    kid = f"{did}#{did.removeprefix('did:key:')}"
    forged = pyjwt.encode(payload, attacker, algorithm="EdDSA", headers={"kid": kid})
    assert_invalid(verify(client, forged, "text/plain"))


def test_real_kid_but_other_signature_is_invalid(client, credential):  # type: ignore[no-untyped-def]
    header, payload = parts(credential.jwt)
    attacker = ed25519.Ed25519PrivateKey.generate()
    forged = pyjwt.encode(payload, attacker, algorithm="EdDSA", headers={"kid": header["kid"]})
    assert_invalid(verify(client, forged, "text/plain"), "signature")


def test_kid_that_is_not_a_string_is_refused_or_invalid(client, credential):  # type: ignore[no-untyped-def]
    header, _payload = parts(credential.jwt)
    _h, payload_segment, signature = credential.jwt.split(".")
    for kid in (42, ["a"], {"x": 1}, None):
        head = b64(json.dumps({**header, "kid": kid}).encode())
        response = verify(client, f"{head}.{payload_segment}.{signature}", "text/plain")
        assert response.status_code in (200, 422)
        if response.status_code == 200:
            assert response.get_json()["valid"] is False


def test_swapped_proof_verification_method_is_invalid(client, credential):  # type: ignore[no-untyped-def]
    document = document_of(credential)
    attacker = ed25519.Ed25519PrivateKey.generate()
    did = badges.did_key_for(attacker.public_key())
    proof = document["proof"][0] if isinstance(document["proof"], list) else document["proof"]
    proof["verificationMethod"] = f"{did}#{did.removeprefix('did:key:')}"
    assert_invalid(verify(client, json.dumps(document), "application/json"))


@pytest.mark.parametrize("content_type", ["image/png", "application/json", "text/plain"])
def test_body_over_5_mb_is_413_problem(client, db_session, content_type):  # type: ignore[no-untyped-def]
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024 + 10)
    response = verify(client, big, content_type)
    assert response.status_code == 413 and response.mimetype == PROBLEM


def test_upload_over_5_mb_is_413_problem(client, db_session):  # type: ignore[no-untyped-def]
    big = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024))
    response = client.post(
        "/api/v1/verify",
        data={"file": (big, "badge.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and response.mimetype == PROBLEM


def chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


SIGNATURE = b"\x89PNG\r\n\x1a\n"
IHDR = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
IEND = chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "png",
    [
        SIGNATURE,
        SIGNATURE + IHDR,
        SIGNATURE + IHDR + IEND,
        SIGNATURE + struct.pack(">I", 0xFFFFFFF0) + b"IHDR",
        SIGNATURE + IHDR + chunk(b"iTXt", b"openbadges\0\0\0\0\0{pas du json") + IEND,
        SIGNATURE + IHDR + chunk(b"iTXt", b"openbadges\0\x01\0\0\0" + b"\x78\x9c garbage") + IEND,
        SIGNATURE + IHDR + chunk(b"iTXt", b"openbadges\0\0\0\0\0{}", crc=0) + IEND,
        SIGNATURE + IHDR + chunk(b"iTXt", b"openbadges") + IEND,
        SIGNATURE + IHDR + chunk(b"iTXt", b"openbadges\0\0\0\0\0" + b"\xff\xfe") + IEND,
        b"\x89PNX\r\n\x1a\n" + IHDR + IEND,
    ],
)
def test_malformed_png_is_refused_as_unusable(client, db_session, png):  # type: ignore[no-untyped-def]
    response = verify(client, png, "image/png")
    assert response.status_code in (400, 413, 415, 422), response.get_data(as_text=True)
    assert response.mimetype == PROBLEM


def test_malformed_png_upload_is_refused_as_unusable(client, db_session):  # type: ignore[no-untyped-def]
    png = SIGNATURE + IHDR + chunk(b"iTXt", b"openbadges\0\0\0\0\0eyJ.bad.jwt") + IEND
    response = client.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(png), "badge.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 422) and response.status_code != 500
    if response.status_code == 200:
        assert response.get_json()["valid"] is False
