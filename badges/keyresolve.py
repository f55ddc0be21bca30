"""From a verification method id or a JWT ``kid`` to a public key, and whether the
credential's issuer controls that key.

Rules (the ``issuer`` check):

* a DID key (``did:web:host#key-1``, ``did:key:...``): the DID document is the
  issuer's (its id equals the issuer id), lists the key, and lists it under
  ``assertionMethod``; ``did:key`` is resolved locally, other DIDs through the resolver;
* an HTTPS key URL (JWKS, JWK or controller document): fetched through the resolver;
  the key is the issuer's when the key URL has the same origin as the issuer id (an
  HTTPS URL, or a ``did:web`` whose document lives on that origin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .did import (
    did_web_to_url,
    find_verification_method,
    is_assertion_method,
    method_public_key,
    resolve_did_key,
)
from .errors import BadgeError, ResolutionError
from .keys import PublicKey, public_key_from_jwk
from .resolver import Resolver


@dataclass(frozen=True)
class ResolvedKey:
    """A public key found for ``key_id`` and whether ``issuer_id`` controls it."""

    key_id: str
    public_key: PublicKey
    controlled_by_issuer: bool
    reason: str = ""


def resolve_key(key_id: str, issuer_id: str | None, resolver: Resolver) -> ResolvedKey:
    """Find the public key ``key_id``; raises :class:`ResolutionError` if it cannot."""
    if not isinstance(key_id, str) or not key_id:
        raise ResolutionError("Aucune clé de signature n'est indiquée.")
    if key_id.startswith("did:"):
        return _resolve_did_key(key_id, issuer_id, resolver)
    if key_id.startswith("https://") or key_id.startswith("http://"):
        return _resolve_url_key(key_id, issuer_id, resolver)
    raise ResolutionError(f"Identifiant de clé non pris en charge : {key_id}")


def _resolve_did_key(key_id: str, issuer_id: str | None, resolver: Resolver) -> ResolvedKey:
    did = key_id.split("#", 1)[0]
    try:
        document = resolve_did_key(did) if did.startswith("did:key:") else resolver.resolve_did(did)
    except ResolutionError:
        raise
    except Exception as exc:  # a caller's resolver may raise anything
        raise ResolutionError(f"Document DID introuvable pour {did} : {exc}") from exc
    if not isinstance(document, dict):
        raise ResolutionError(f"Document DID invalide pour {did}.")
    method = find_verification_method(document, key_id)
    if method is None:
        raise ResolutionError(f"La clé {key_id} ne figure pas dans le document DID.")
    try:
        public_key = method_public_key(method)
    except BadgeError as exc:
        raise ResolutionError(str(exc)) from exc
    reason = ""
    if document.get("id") != did:
        reason = "le document DID obtenu ne correspond pas à ce DID"
    elif did != issuer_id:
        reason = "la clé appartient à un autre émetteur"
    elif method.get("controller", did) != did:
        reason = "la clé est contrôlée par une autre entité"
    elif not is_assertion_method(document, key_id):
        reason = "la clé n'est pas (ou plus) autorisée à signer des badges"
    return ResolvedKey(key_id, public_key, not reason, reason)


def _resolve_url_key(key_id: str, issuer_id: str | None, resolver: Resolver) -> ResolvedKey:
    url = key_id.split("#", 1)[0]
    try:
        document = resolver.fetch_json(url)
    except ResolutionError:
        raise
    except Exception as exc:
        raise ResolutionError(f"Clé introuvable à l'adresse {url} : {exc}") from exc
    if not isinstance(document, dict):
        raise ResolutionError(f"Document de clé invalide à l'adresse {url}.")
    public_key = _key_from_document(document, key_id)
    reason = ""
    if _origin(key_id) != _issuer_origin(issuer_id):
        reason = "la clé n'est pas publiée sur le site de l'émetteur"
    return ResolvedKey(key_id, public_key, not reason, reason)


def _key_from_document(document: dict[str, Any], key_id: str) -> PublicKey:
    fragment = key_id.split("#", 1)[1] if "#" in key_id else None
    try:
        if isinstance(document.get("keys"), list):  # JWKS
            candidates = [k for k in document["keys"] if isinstance(k, dict)]
            for jwk in candidates:
                if jwk.get("kid") in (key_id, fragment):
                    return public_key_from_jwk(jwk)
            if fragment is None and len(candidates) == 1:
                return public_key_from_jwk(candidates[0])
            raise ResolutionError(f"La clé {key_id} ne figure pas dans le JWKS.")
        if "kty" in document:  # a bare JWK
            return public_key_from_jwk(document)
        method = find_verification_method(document, key_id)
        if method is None and document.get("id") == key_id:
            method = document
        if method is None:
            raise ResolutionError(f"La clé {key_id} ne figure pas dans le document.")
        return method_public_key(method)
    except BadgeError as exc:
        if isinstance(exc, ResolutionError):
            raise
        raise ResolutionError(str(exc)) from exc


def _origin(url: str | None) -> tuple[str, str, int | None] | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname.lower(), port


def _issuer_origin(issuer_id: str | None) -> tuple[str, str, int | None] | None:
    if issuer_id and issuer_id.startswith("did:web:"):
        try:
            return _origin(did_web_to_url(issuer_id))
        except ResolutionError:
            return None
    return _origin(issuer_id)
