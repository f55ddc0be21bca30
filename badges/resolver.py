"""How the verifier reaches documents it does not hold: DID documents, JWKS, status lists.

The library never opens a network connection itself. The caller passes an object
implementing :class:`Resolver`; the default, :class:`OfflineResolver`, refuses
everything except ``did:key`` (resolved locally). :class:`StaticResolver` serves
documents the caller already holds (the cooperative's own DID document, tests...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from .did import did_web_to_url, resolve_did_key
from .errors import NetworkRefused, ResolutionError


@runtime_checkable
class Resolver(Protocol):
    """What the verifier needs from the outside world. Both methods raise on failure."""

    def resolve_did(self, did: str) -> dict[str, Any]:
        """The DID document of ``did`` (no fragment)."""
        ...

    def fetch_json(self, url: str) -> dict[str, Any]:
        """The JSON document at ``url`` (JWKS, controller document, status list...)."""
        ...


class OfflineResolver:
    """Resolves ``did:key`` locally and refuses any network access."""

    def resolve_did(self, did: str) -> dict[str, Any]:
        if did.startswith("did:key:"):
            return resolve_did_key(did)
        raise NetworkRefused(f"Résolution réseau refusée : {did}")

    def fetch_json(self, url: str) -> dict[str, Any]:
        raise NetworkRefused(f"Accès réseau refusé : {url}")


class StaticResolver(OfflineResolver):
    """Serves documents given in advance; ``did:web`` falls back to its URL in ``documents``."""

    def __init__(
        self,
        dids: Mapping[str, dict[str, Any]] | None = None,
        documents: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        self.dids = dict(dids or {})
        self.documents = dict(documents or {})

    def resolve_did(self, did: str) -> dict[str, Any]:
        if did in self.dids:
            return self.dids[did]
        if did.startswith("did:web:"):
            url = did_web_to_url(did)
            if url in self.documents:
                return self.documents[url]
        if did.startswith("did:key:"):
            return resolve_did_key(did)
        raise ResolutionError(f"DID inconnu : {did}")

    def fetch_json(self, url: str) -> dict[str, Any]:
        if url in self.documents:
            return self.documents[url]
        raise ResolutionError(f"Document introuvable : {url}")
