"""DIDs: ``did:web`` URL rules, ``did:key`` resolution, DID documents for issuers.

Pure functions: nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric import ed25519

from .contexts import DID_V1, MULTIKEY_V1
from .errors import BadgeError, ResolutionError
from .keys import (
    IssuerKey,
    PublicKey,
    public_key_from_jwk,
    public_key_from_multibase,
    public_key_multibase,
)


def did_web_to_url(did: str) -> str:
    """URL of the DID document of a ``did:web`` (W3C CCG did:web method).

    ``did:web:example.com`` -> ``https://example.com/.well-known/did.json``;
    ``did:web:example.com%3A8080:u:alice`` -> ``https://example.com:8080/u/alice/did.json``.
    """
    did = did.split("#", 1)[0]
    if not did.startswith("did:web:") or len(did) <= len("did:web:"):
        raise ResolutionError(f"Ce n'est pas un did:web : {did}")
    parts = did[len("did:web:") :].split(":")
    host = unquote(parts[0])
    if not host or "/" in host or "@" in host:
        raise ResolutionError(f"Hôte did:web invalide : {did}")
    path = "/".join(unquote(p) for p in parts[1:])
    if any(seg in ("", ".", "..") for seg in path.split("/")) and path:
        raise ResolutionError(f"Chemin did:web invalide : {did}")
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def url_to_did_web(base_url: str) -> str:
    """The ``did:web`` of a site.

    ``https://example.com:8080/coop`` -> ``did:web:example.com%3A8080:coop``.
    """
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise BadgeError(f"URL de base invalide pour un did:web : {base_url}")
    host = parts.hostname + (f"%3A{parts.port}" if parts.port else "")
    segments = [quote(s, safe="") for s in parts.path.strip("/").split("/") if s]
    return ":".join(["did:web", host, *segments])


def did_key_for(public_key: ed25519.Ed25519PublicKey) -> str:
    """The ``did:key`` of an Ed25519 public key (``did:key:z6Mk...``)."""
    return "did:key:" + public_key_multibase(public_key)


def resolve_did_key(did: str) -> dict[str, Any]:
    """DID document of an Ed25519 ``did:key``, built locally (no resolver needed)."""
    did = did.split("#", 1)[0]
    if not did.startswith("did:key:z6Mk"):
        raise ResolutionError(f"did:key non pris en charge (Ed25519 uniquement) : {did}")
    fingerprint = did[len("did:key:") :]
    public_key = public_key_from_multibase(fingerprint)
    vm_id = f"{did}#{fingerprint}"
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [multikey_method(vm_id, did, public_key)],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityDelegation": [vm_id],
        "capabilityInvocation": [vm_id],
    }


def multikey_method(
    vm_id: str, controller: str, public_key: ed25519.Ed25519PublicKey
) -> dict[str, Any]:
    """A ``Multikey`` verification method entry."""
    return {
        "id": vm_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_multibase(public_key),
    }


def build_did_document(
    did: str,
    keys: Iterable[IssuerKey | tuple[str, PublicKey]],
    *,
    assertion_key_ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """DID document listing every key (current and retired) as a verification method.

    Only Ed25519 keys (as ``Multikey``) belong here; publish RSA keys in the JWKS.
    Every key is an ``assertionMethod`` unless ``assertion_key_ids`` restricts it: drop a
    *compromised* key from there (its credentials then fail), keep a merely *retired* key
    so that credentials it signed keep verifying.
    """
    methods: list[dict[str, Any]] = []
    for item in keys:
        vm_id, public = (
            (item.key_id, item.public_key) if isinstance(item, IssuerKey) else (item[0], item[1])
        )
        if not vm_id.startswith(did + "#"):
            raise BadgeError(f"La clé {vm_id} n'appartient pas à {did}.")
        if not isinstance(public, ed25519.Ed25519PublicKey):
            raise BadgeError("Le document DID ne liste que des clés Ed25519 (Multikey).")
        methods.append(multikey_method(vm_id, did, public))
    ids = [m["id"] for m in methods]
    assertion = list(assertion_key_ids) if assertion_key_ids is not None else ids
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": assertion,
    }


def find_verification_method(did_document: dict[str, Any], vm_id: str) -> dict[str, Any] | None:
    """The verification method ``vm_id`` (absolute or ``#fragment``) of a DID document."""
    did = did_document.get("id", "")
    for method in _as_list(did_document.get("verificationMethod")):
        if isinstance(method, dict) and _absolute(method.get("id", ""), did) == vm_id:
            return method
    for relation in ("assertionMethod", "authentication"):
        for method in _as_list(did_document.get(relation)):
            if isinstance(method, dict) and _absolute(method.get("id", ""), did) == vm_id:
                return method
    return None


def is_assertion_method(did_document: dict[str, Any], vm_id: str) -> bool:
    """True if ``vm_id`` is listed (by reference or embedded) under ``assertionMethod``."""
    did = did_document.get("id", "")
    for entry in _as_list(did_document.get("assertionMethod")):
        ref = entry.get("id", "") if isinstance(entry, dict) else entry
        if isinstance(ref, str) and _absolute(ref, did) == vm_id:
            return True
    return False


def method_public_key(method: dict[str, Any]) -> PublicKey:
    """Public key of a ``Multikey`` / ``Ed25519VerificationKey2020`` / ``JsonWebKey`` entry."""
    if method.get("publicKeyMultibase"):
        return public_key_from_multibase(method["publicKeyMultibase"])
    if method.get("publicKeyJwk"):
        return public_key_from_jwk(method["publicKeyJwk"])
    raise BadgeError("La méthode de vérification ne contient pas de clé publique utilisable.")


def _absolute(ref: str, did: str) -> str:
    return did + ref if ref.startswith("#") else ref


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
