"""Unusable inputs, keys, DIDs and JWKS."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

import badges
from badges.did import find_verification_method, method_public_key

from .conftest import Issuer


@pytest.mark.parametrize(
    "data",
    ["bonjour", "{pas du json", "[1, 2]", b"\xff\xfe\x00", "", '{"name": "x"}', 42],
)
def test_unusable_inputs_raise_unusable_input(data: object) -> None:
    with pytest.raises(badges.UnusableInput):
        badges.verify(data)  # type: ignore[arg-type]


def test_did_web_urls() -> None:
    assert (
        badges.did_web_to_url("did:web:example.com") == "https://example.com/.well-known/did.json"
    )
    assert (
        badges.did_web_to_url("did:web:example.com%3A8080")
        == "https://example.com:8080/.well-known/did.json"
    )
    assert (
        badges.did_web_to_url("did:web:example.com:u:alice#k")
        == "https://example.com/u/alice/did.json"
    )
    assert (
        badges.url_to_did_web("https://example.com:8080/coop/") == "did:web:example.com%3A8080:coop"
    )
    with pytest.raises(badges.ResolutionError):
        badges.did_web_to_url("did:web:")
    with pytest.raises(badges.ResolutionError):
        badges.did_web_to_url("did:web:example.com:..:x")


def test_multikey_and_did_key() -> None:
    key = badges.generate_ed25519_key()
    multibase = badges.public_key_multibase(key.public_key())
    assert multibase.startswith("z6Mk")
    document = badges.resolve_did_key(badges.did_key_for(key.public_key()))
    vm = document["verificationMethod"][0]
    assert vm["type"] == "Multikey" and vm["publicKeyMultibase"] == multibase
    assert document["assertionMethod"] == [vm["id"]]


def test_encrypted_private_key_round_trip() -> None:
    key = badges.generate_ed25519_key()
    pem = badges.private_key_to_pem(key, "phrase secrète")
    assert b"ENCRYPTED PRIVATE KEY" in pem
    loaded = badges.load_private_key(pem, "phrase secrète")
    assert isinstance(loaded, ed25519.Ed25519PrivateKey)
    assert badges.public_key_multibase(loaded.public_key()) == badges.public_key_multibase(
        key.public_key()
    )
    with pytest.raises(badges.BadgeError):
        badges.load_private_key(pem, "mauvaise")
    with pytest.raises(badges.BadgeError):
        badges.private_key_to_pem(key, "")


def test_did_document_and_jwks_list_every_key(issuer: Issuer) -> None:
    document = badges.build_did_document(issuer.did, [issuer.old_key, issuer.key])
    assert document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
    ]
    assert document["assertionMethod"] == [issuer.old_key.key_id, issuer.key.key_id]
    method = find_verification_method(document, issuer.key.key_id)
    assert method is not None and method["controller"] == issuer.did
    assert badges.public_key_multibase(method_public_key(method)) == badges.public_key_multibase(
        issuer.key.public_key
    )
    keyset = badges.jwks([issuer.old_key, issuer.key])
    assert [k["kid"] for k in keyset["keys"]] == [issuer.old_key.key_id, issuer.key.key_id]
    assert all(k["kty"] == "OKP" and k["crv"] == "Ed25519" and "d" not in k for k in keyset["keys"])
    badges.check_defined_terms(document)  # the DID document is clean JSON-LD too


def test_did_document_refuses_foreign_key(issuer: Issuer) -> None:
    with pytest.raises(badges.BadgeError):
        badges.build_did_document("did:web:other.example", [issuer.key])


def test_hashed_email_identity() -> None:
    identity = badges.hashed_email_identity("Camille@Example.fr", "sel")
    assert identity["identityHash"].startswith("sha256$")
    assert badges.identity_matches(identity, "camille@example.fr ")
    assert not badges.identity_matches(identity, "sami@example.fr")


def test_esco_alignment_gets_type_and_framework() -> None:
    alignment = badges.Alignment("souder", "http://data.europa.eu/esco/skill/abc").to_json()
    assert alignment["targetType"] == "ext:ESCOSkill"
    assert alignment["targetFramework"] == "ESCO"
    assert alignment["type"] == ["Alignment"]


def test_offline_resolver_refuses_network() -> None:
    resolver = badges.OfflineResolver()
    with pytest.raises(badges.NetworkRefused):
        resolver.fetch_json("https://example.com/x")
    with pytest.raises(badges.NetworkRefused):
        resolver.resolve_did("did:web:example.com")


def test_unknown_context_is_never_fetched() -> None:
    with pytest.raises(badges.ContextNotAvailable):
        badges.document_loader("https://example.com/context.json", {})
