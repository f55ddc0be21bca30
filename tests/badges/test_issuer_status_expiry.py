"""The issuer, status and expiry checks."""

from __future__ import annotations

from datetime import timedelta

import pytest

import badges
from badges.dataintegrity import sign as sign_document

from .conftest import NOW, Issuer


def test_key_of_another_issuer_fails_issuer_check(issuer: Issuer) -> None:
    mallory = Issuer(did="did:web:mallory.example", name="Mallory")
    resolver = badges.StaticResolver(dids={**issuer.resolver.dids, **mallory.resolver.dids})
    resolver.documents.update(issuer.resolver.documents)
    forged = sign_document(issuer.credential(), mallory.key.private_key, mallory.key.key_id)
    report = badges.verify(forged, resolver=resolver, now=NOW)
    assert report.check("signature").ok  # the signature is mathematically fine...
    assert not report.check("issuer").ok  # ...but not by the issuer it claims
    assert "autre émetteur" in report.check("issuer").message
    assert not report.valid


def test_key_not_in_issuer_did_document_fails(issuer: Issuer) -> None:
    stray = badges.generate_ed25519_key()
    forged = sign_document(issuer.credential(), stray, f"{issuer.did}#stray")
    report = badges.verify(forged, resolver=issuer.resolver, now=NOW)
    assert not report.check("issuer").ok
    assert not report.valid


def test_did_key_issuer_verifies_offline() -> None:
    key = badges.generate_ed25519_key()
    did = badges.did_key_for(key.public_key())
    issuer_key = badges.IssuerKey(f"{did}#{did.split(':')[-1]}", key)
    credential = badges.build_open_badge_credential(
        issuer=badges.IssuerProfile(id=did, name="Solo", url="https://solo.example"),
        achievement=badges.AchievementDefinition(
            id="urn:uuid:a", name="n", description="d", criteria_narrative="c"
        ),
        recipient=badges.Recipient(email="a@b.fr"),
        valid_from=NOW,
    )
    report = badges.verify(badges.sign_credential(credential, issuer_key), now=NOW)
    assert report.valid, report.failures


def test_unreachable_issuer_fails_with_a_reason(signed_credential: dict) -> None:
    report = badges.verify(signed_credential, now=NOW)  # offline resolver
    assert not report.check("issuer").ok
    assert "Impossible de retrouver la clé" in report.check("issuer").message


def test_trusted_issuers_mark_issuer_known(issuer: Issuer, signed_credential: dict) -> None:
    known = badges.verify(
        signed_credential, resolver=issuer.resolver, now=NOW, trusted_issuers={issuer.did}
    )
    stranger = badges.verify(signed_credential, resolver=issuer.resolver, now=NOW)
    assert known.issuer_known and not stranger.issuer_known
    assert known.valid and stranger.valid


def test_revoked_credential_fails_status(fresh_issuer: Issuer) -> None:
    credential = fresh_issuer.signed(index=42)
    assert badges.verify(credential, resolver=fresh_issuer.resolver, now=NOW).valid
    fresh_issuer.revoke(42)
    report = badges.verify(credential, resolver=fresh_issuer.resolver, now=NOW)
    assert not report.valid
    assert report.check("status").message == "Ce badge a été révoqué par son émetteur."
    assert report.check("signature").ok


def test_status_list_signed_by_someone_else_is_not_trusted(fresh_issuer: Issuer) -> None:
    credential = fresh_issuer.signed()
    mallory = Issuer(did="did:web:mallory.example")
    fresh_issuer.resolver.dids[mallory.did] = mallory.resolver.dids[mallory.did]
    fresh_issuer.resolver.documents[fresh_issuer.status_url] = mallory.resolver.documents[
        mallory.status_url
    ]
    report = badges.verify(credential, resolver=fresh_issuer.resolver, now=NOW)
    assert not report.check("status").ok


def test_unreachable_status_list_fails_status(issuer: Issuer, signed_credential: dict) -> None:
    resolver = badges.StaticResolver(dids=issuer.resolver.dids)
    report = badges.verify(signed_credential, resolver=resolver, now=NOW)
    assert not report.check("status").ok
    assert report.check("status").message.startswith("Impossible de vérifier la révocation")


def test_expired_credential_fails_expiry(issuer: Issuer, signed_credential: dict) -> None:
    report = badges.verify(
        signed_credential, resolver=issuer.resolver, now=NOW + timedelta(days=400)
    )
    assert not report.valid
    assert report.check("expiry").message.startswith("Le badge a expiré le")
    assert all(c.ok for c in report.checks if c.name != "expiry")


def test_not_yet_valid_credential_fails_expiry(issuer: Issuer, signed_credential: dict) -> None:
    report = badges.verify(signed_credential, resolver=issuer.resolver, now=NOW - timedelta(days=2))
    assert not report.check("expiry").ok
    assert "pas encore valide" in report.check("expiry").message


def test_status_list_bits() -> None:
    status = badges.StatusList()
    assert status.size == 131072
    status.set(0)
    status.set(131071)
    assert status.bits[0] == 0x80 and status.bits[-1] == 0x01
    decoded = badges.StatusList.decode(status.encode())
    assert decoded.get(0) and decoded.get(131071) and not decoded.get(1)
    decoded.set(0, False)
    assert not decoded.get(0)
    assert status.encode().startswith("u")
    with pytest.raises(badges.StatusListError):
        status.get(131072)
    with pytest.raises(badges.StatusListError):
        badges.StatusList(size=1024)


def test_status_entry_shape() -> None:
    entry = badges.status_entry("https://coop.example/status/1", 94567)
    assert entry == {
        "id": "https://coop.example/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://coop.example/status/1",
    }
