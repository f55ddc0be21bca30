"""Signing with eddsa-rdfc-2022: what we issue verifies, is byte-identical to the W3C
test vector, and nothing unsigned slips through."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime

import pytest
from pyld import jsonld

import badges
from badges.contexts import document_loader, make_document_loader
from badges.dataintegrity import sign as sign_document
from badges.keys import private_key_from_multibase, public_key_multibase

from .conftest import NOW, Issuer

DATE_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

# W3C VC-DI-EdDSA v1.0, TestVectors/keyPair.json and eddsa-rdfc-2022/signedDataInt.json
W3C_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SECRET_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_PROOF_VALUE = (
    "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"
)
W3C_UNSIGNED = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
W3C_EXAMPLES_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}


def test_signed_credential_verifies(issuer: Issuer, signed_credential: dict) -> None:
    report = badges.verify(signed_credential, resolver=issuer.resolver, now=NOW)
    assert report.valid, report.failures
    assert [c.name for c in report.checks] == list(badges.CHECK_NAMES)
    assert report.achievement_name == "Soudure TIG"
    assert report.issuer_id == issuer.did


def test_w3c_eddsa_rdfc_2022_test_vector_is_reproduced_byte_for_byte() -> None:
    key = private_key_from_multibase(W3C_SECRET_KEY)
    assert public_key_multibase(key.public_key()) == W3C_PUBLIC_KEY
    loader = make_document_loader(
        {"https://www.w3.org/ns/credentials/examples/v2": W3C_EXAMPLES_CONTEXT}
    )
    signed = sign_document(
        W3C_UNSIGNED,
        key,
        f"did:key:{W3C_PUBLIC_KEY}#{W3C_PUBLIC_KEY}",
        created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC),
        loader=loader,
    )
    assert signed["proof"][0]["proofValue"] == W3C_PROOF_VALUE


def test_canonicalisation_is_urdna2015_not_urgna2012(signed_credential: dict) -> None:
    """Several blank nodes (subject, identifier, criteria, alignment, evidence, proof):
    the two algorithms disagree, and we must use RDFC-1.0 (URDNA2015)."""
    unsigned = {k: v for k, v in signed_credential.items() if k != "proof"}
    options = {"format": "application/n-quads", "documentLoader": document_loader}
    urdna = jsonld.normalize(copy.deepcopy(unsigned), {**options, "algorithm": "URDNA2015"})
    urgna = jsonld.normalize(copy.deepcopy(unsigned), {**options, "algorithm": "URGNA2012"})
    assert urdna.count("_:c14n") > 4
    assert urdna != urgna
    assert badges.canonicalize(unsigned) == urdna


def test_every_date_we_write_has_the_z_form(signed_credential: dict) -> None:
    dates = [
        signed_credential["validFrom"],
        signed_credential["validUntil"],
        signed_credential["awardedDate"],
        signed_credential["proof"][0]["created"],
    ]
    assert all(DATE_Z.match(d) for d in dates), dates
    naive = badges.format_datetime(datetime(2025, 1, 2, 3, 4, 5, 678))
    assert naive == "2025-01-02T03:04:05Z"


def test_json_schema_accepts_what_we_issue(signed_credential: dict, issuer: Issuer) -> None:
    assert badges.validate_schema(signed_credential) == []
    endorsement = badges.build_endorsement_credential(
        issuer=issuer.profile, endorsed_id="urn:uuid:1", comment="Bravo", valid_from=NOW
    )
    assert badges.validate_schema(badges.sign_credential(endorsement, issuer.key)) == []


def test_signer_refuses_undefined_term(issuer: Issuer) -> None:
    credential = issuer.credential()
    credential["credentialSubject"]["achievement"]["teamName"] = "Les Castors"
    with pytest.raises(badges.UndefinedTermError) as caught:
        badges.sign_credential(credential, issuer.key)
    assert "teamName" in str(caught.value)
    assert caught.value.paths == ["credentialSubject.achievement.teamName"]


def test_signer_refuses_relative_type(issuer: Issuer) -> None:
    credential = issuer.credential()
    credential["evidence"] = [{"type": ["Preuve"], "name": "x"}]
    with pytest.raises(badges.UndefinedTermError, match="Preuve"):
        badges.sign_credential(credential, issuer.key)


def test_verifier_refuses_undefined_term_even_if_signature_holds(issuer: Issuer) -> None:
    credential = issuer.credential()
    credential["credentialSubject"]["teamName"] = "Les Castors"
    # sign without the safety net: pyld drops the term, so the signature "holds"
    unsafe = copy.deepcopy(credential)
    del unsafe["credentialSubject"]["teamName"]
    signed = badges.sign_credential(unsafe, issuer.key)
    signed["credentialSubject"]["teamName"] = "Les Castors"
    report = badges.verify(signed, resolver=issuer.resolver, now=NOW)
    assert not report.valid
    assert not report.check("structure").ok
    assert "teamName" in report.check("structure").message
    assert not report.check("signature").ok


def test_collective_badge_names_team_in_defined_terms(issuer: Issuer) -> None:
    signed = badges.sign_credential(
        issuer.credential(team="Les Castors", team_members=["Camille", "Sami"]), issuer.key
    )
    report = badges.verify(signed, resolver=issuer.resolver, now=NOW)
    assert report.valid, report.failures
    assert report.team == "Les Castors"


def test_compacted_single_object_forms_verify(issuer: Issuer, signed_credential: dict) -> None:
    compacted = copy.deepcopy(signed_credential)
    compacted["proof"] = compacted["proof"][0]
    compacted["issuer"]["type"] = "Profile"
    compacted["credentialSubject"]["type"] = "AchievementSubject"
    compacted["credentialSubject"]["achievement"]["alignment"] = compacted["credentialSubject"][
        "achievement"
    ]["alignment"][0]
    report = badges.verify(compacted, resolver=issuer.resolver, now=NOW)
    assert report.valid, report.failures


def test_signing_with_a_key_of_another_issuer_is_refused(issuer: Issuer) -> None:
    other = Issuer(did="did:web:other.example", name="Autre")
    with pytest.raises(badges.SigningError):
        badges.sign_credential(issuer.credential(), other.key)


def test_rotated_key_keeps_old_credentials_valid(fresh_issuer: Issuer) -> None:
    old = badges.sign_credential(fresh_issuer.credential(), fresh_issuer.old_key)
    report = badges.verify(old, resolver=fresh_issuer.resolver, now=NOW)
    assert report.valid, report.failures


def test_key_withdrawn_from_assertion_method_fails_issuer(fresh_issuer: Issuer) -> None:
    old = badges.sign_credential(fresh_issuer.credential(), fresh_issuer.old_key)
    fresh_issuer.resolver.dids[fresh_issuer.did] = badges.build_did_document(
        fresh_issuer.did,
        [fresh_issuer.old_key, fresh_issuer.key],
        assertion_key_ids=[fresh_issuer.key.key_id],
    )
    report = badges.verify(old, resolver=fresh_issuer.resolver, now=NOW)
    assert not report.check("issuer").ok
    assert not report.valid


def test_unsigned_credential_is_invalid(issuer: Issuer) -> None:
    report = badges.verify(issuer.credential(), resolver=issuer.resolver, now=NOW)
    assert not report.valid
    assert report.check("signature").message == "Le badge n'est pas signé."
