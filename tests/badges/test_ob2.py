"""Open Badges 2.0 for older consumers: hosted and signed assertions."""

from __future__ import annotations

from datetime import timedelta

import jwt as pyjwt

import badges
from badges import ob2

from .conftest import NOW

ISSUER_URL = "https://coop.example/ob2/issuer"
BADGE_URL = "https://coop.example/ob2/badges/soudure"
KEY_URL = "https://coop.example/ob2/key"
REVOCATIONS_URL = "https://coop.example/ob2/revocations"
PROFILE = badges.IssuerProfile(id="did:web:coop.example", name="Coop", url="https://coop.example")
ACHIEVEMENT = badges.AchievementDefinition(
    id="https://coop.example/achievements/soudure",
    name="Soudure TIG",
    description="Souder.",
    criteria_narrative="Trois soudures.",
    alignments=[badges.Alignment("souder", "http://data.europa.eu/esco/skill/abc")],
)


def _resolver(private_key=None, revoked=()) -> badges.StaticResolver:
    docs = {
        ISSUER_URL: ob2.issuer_document(
            PROFILE,
            issuer_url=ISSUER_URL,
            public_key_url=KEY_URL,
            revocation_list_url=REVOCATIONS_URL,
        ),
        BADGE_URL: ob2.badge_class(
            ACHIEVEMENT, badge_url=BADGE_URL, issuer_url=ISSUER_URL, image_url=BADGE_URL + ".png"
        ),
        REVOCATIONS_URL: ob2.revocation_list(REVOCATIONS_URL, ISSUER_URL, revoked),
    }
    if private_key is not None:
        docs[KEY_URL] = ob2.cryptographic_key(KEY_URL, ISSUER_URL, private_key.public_key())
    return badges.StaticResolver(documents=docs)


def test_hosted_assertion_verifies() -> None:
    url = "https://coop.example/ob2/assertions/1"
    assertion = ob2.assertion(
        assertion_id=url, badge_url=BADGE_URL, email="a@b.fr", issued_on=NOW - timedelta(days=1)
    )
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["recipient"]["identity"].startswith("sha256$")
    resolver = _resolver()
    resolver.documents[url] = assertion
    report = badges.verify(assertion, resolver=resolver, now=NOW)
    assert report.valid, report.failures
    assert report.format == "ob2-hosted" and report.achievement_name == "Soudure TIG"
    tampered = {**assertion, "issuedOn": "2020-01-01T00:00:00Z"}
    assert not badges.verify(tampered, resolver=resolver, now=NOW).check("signature").ok


def test_signed_assertion_rs256_verifies_and_tamper_fails() -> None:
    key = badges.generate_rsa_key(2048)
    assertion = ob2.assertion(
        assertion_id="urn:uuid:1234",
        badge_url=BADGE_URL,
        email="a@b.fr",
        issued_on=NOW - timedelta(days=1),
        signing_key_url=KEY_URL,
    )
    token = ob2.sign_assertion(assertion, key)
    assert pyjwt.get_unverified_header(token)["alg"] == "RS256"
    report = badges.verify(token, resolver=_resolver(key), now=NOW)
    assert report.valid, report.failures
    assert report.format == "ob2-signed"
    head, body, sig = token.split(".")
    forged = f"{head}.{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{sig}"
    try:
        bad = badges.verify(forged, resolver=_resolver(key), now=NOW)
        assert not bad.valid
    except badges.UnusableInput:
        pass


def test_signed_assertion_in_revocation_list_fails_status() -> None:
    key = badges.generate_rsa_key(2048)
    assertion = ob2.assertion(
        assertion_id="urn:uuid:5678",
        badge_url=BADGE_URL,
        email="a@b.fr",
        issued_on=NOW - timedelta(days=1),
        signing_key_url=KEY_URL,
    )
    token = ob2.sign_assertion(assertion, key)
    report = badges.verify(token, resolver=_resolver(key, revoked=["urn:uuid:5678"]), now=NOW)
    assert not report.check("status").ok
