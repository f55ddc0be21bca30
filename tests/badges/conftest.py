"""Shared fixtures: an issuer (did:web) with a rotated key set, a status list, a
resolver serving the issuer's documents, and a freshly built credential."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import badges
from badges import (
    AchievementDefinition,
    Alignment,
    CredentialOptions,
    IssuerKey,
    IssuerProfile,
    Recipient,
    StaticResolver,
    StatusList,
)

ISSUER_DID = "did:web:coop.example"
STATUS_URL = "https://coop.example/status/1"
NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)


class Issuer:
    """A test issuer: keys, DID document, status list, and a resolver serving them."""

    def __init__(self, did: str = ISSUER_DID, name: str = "Coopérative de formation") -> None:
        self.did = did
        self.old_key = IssuerKey(f"{did}#key-2024", badges.generate_ed25519_key())
        self.key = IssuerKey(f"{did}#key-2025", badges.generate_ed25519_key())
        self.profile = IssuerProfile(
            id=did, name=name, url="https://coop.example", email="contact@coop.example"
        )
        self.status_list = StatusList()
        self.status_url = STATUS_URL
        self.resolver = StaticResolver()
        self.publish()

    def publish(self) -> None:
        self.resolver.dids[self.did] = badges.build_did_document(self.did, [self.old_key, self.key])
        status = badges.build_status_list_credential(
            list_url=self.status_url,
            issuer_id=self.did,
            status_list=self.status_list,
            valid_from=NOW - timedelta(days=30),
        )
        self.resolver.documents[self.status_url] = badges.sign_credential(status, self.key)

    def revoke(self, index: int) -> None:
        self.status_list.set(index)
        self.publish()

    def credential(self, index: int = 7, **options: Any) -> dict[str, Any]:
        achievement = AchievementDefinition(
            id="https://coop.example/achievements/soudure",
            name="Soudure TIG",
            description="Souder à l'arc sous gaz inerte.",
            criteria_narrative="A suivi la formation et réalisé trois soudures contrôlées.",
            image="https://coop.example/achievements/soudure.png",
            achievement_type="Competency",
            alignments=[
                Alignment("souder des métaux", "http://data.europa.eu/esco/skill/aaaa-bbbb")
            ],
            tags=["soudure", "atelier"],
        )
        opts = CredentialOptions(
            credential_status=badges.status_entry(self.status_url, index),
            valid_until=options.pop("valid_until", NOW + timedelta(days=365)),
            **options,
        )
        return badges.build_open_badge_credential(
            issuer=self.profile,
            achievement=achievement,
            recipient=Recipient(email="Camille.Martin@example.fr", salt="sel"),
            valid_from=options.get("valid_from", NOW - timedelta(days=1)),
            options=opts,
        )

    def signed(self, **options: Any) -> dict[str, Any]:
        return badges.sign_credential(self.credential(**options), self.key, created=NOW)


@pytest.fixture(scope="session")
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture
def fresh_issuer() -> Issuer:
    return Issuer()


@pytest.fixture(scope="session")
def signed_credential(issuer: Issuer) -> dict[str, Any]:
    return issuer.signed()
