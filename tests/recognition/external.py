"""Badges from elsewhere for the import tests: an issuer of its own (a ``did:key``, which
verifies offline) signing an Open Badges 3.0 credential for a given recipient."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import badges
from coop_formation.db import utcnow


class ExternalIssuer:
    def __init__(self, name: str = "Lycée des métiers Jean Prouvé") -> None:
        private = badges.generate_ed25519_key()
        did = badges.did_key_for(private.public_key())
        fingerprint = did[len("did:key:") :]
        self.key = badges.IssuerKey(f"{did}#{fingerprint}", private)
        self.profile = badges.IssuerProfile(id=did, name=name, url="https://lycee.example")

    def credential(
        self,
        *,
        email: str | None = None,
        did: str | None = None,
        name: str = "Habilitation",
        plain: bool = False,
    ) -> dict[str, Any]:
        """Signed; ``plain`` writes the e-mail in clear (``hashed: false``), ``did`` sets
        ``credentialSubject.id``."""
        return badges.sign_credential(
            self.unsigned(email=email, did=did, name=name, plain=plain), self.key
        )

    def unsigned(
        self, *, email: str | None, did: str | None, name: str, plain: bool
    ) -> dict[str, Any]:
        unsigned = badges.build_open_badge_credential(
            issuer=self.profile,
            achievement=badges.AchievementDefinition(
                id="https://lycee.example/badges/habilitation",
                name=name,
                description="Habilitation électrique B1V.",
                criteria_narrative="A réussi l'examen pratique.",
            ),
            recipient=badges.Recipient(email=email, did=did),
            valid_from=utcnow() - timedelta(days=30),
        )
        if plain and email:
            unsigned["credentialSubject"]["identifier"] = [
                {
                    "type": "IdentityObject",
                    "identityHash": email,
                    "identityType": "emailAddress",
                    "hashed": False,
                }
            ]
        return unsigned

    def jwt(self, *, email: str, name: str = "Habilitation") -> str:
        unsigned = self.unsigned(email=email, did=None, name=name, plain=False)
        return badges.sign_jwt(unsigned, self.key)
