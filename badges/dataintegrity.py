"""Embedded Data Integrity proofs, cryptosuite ``eddsa-rdfc-2022`` (W3C VC-DI-EdDSA 1.0).

hashData = SHA-256(RDFC-1.0(proof config)) || SHA-256(RDFC-1.0(document without proof));
the proof value is the Ed25519 signature of hashData, multibase base58btc (``z...``).
The proof configuration's ``@context`` is the document's ``@context``.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from .contexts import Loader, canonicalize, check_defined_terms
from .dates import format_datetime, parse_datetime, utcnow
from .encoding import multibase_b58_encode, multibase_decode
from .errors import SigningError
from .keys import PrivateKey, PublicKey

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
_CONFIG_KEYS = ("type", "cryptosuite", "created", "verificationMethod", "proofPurpose")
_OPTIONAL_CONFIG_KEYS = ("expires", "domain", "challenge", "nonce", "previousProof")


def proofs_of(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's proofs as a list (``proof`` may be one object or an array)."""
    proof = document.get("proof")
    if proof is None:
        return []
    return [p for p in (proof if isinstance(proof, list) else [proof]) if isinstance(p, dict)]


def hash_data(
    unsecured: Mapping[str, Any], proof_config: Mapping[str, Any], loader: Loader | None = None
) -> bytes:
    """The 64 bytes that are signed: hash of the proof config then of the document."""
    config_hash = hashlib.sha256(canonicalize(proof_config, loader).encode("utf-8")).digest()
    doc_hash = hashlib.sha256(canonicalize(unsecured, loader).encode("utf-8")).digest()
    return config_hash + doc_hash


def _proof_config(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    config = {k: proof[k] for k in (*_CONFIG_KEYS, *_OPTIONAL_CONFIG_KEYS) if k in proof}
    config["@context"] = copy.deepcopy(document.get("@context"))
    return config


def sign(
    document: Mapping[str, Any],
    private_key: PrivateKey,
    verification_method: str,
    *,
    created: datetime | None = None,
    proof_purpose: str = "assertionMethod",
    loader: Loader | None = None,
) -> dict[str, Any]:
    """A signed copy of ``document`` with the new proof appended to ``proof: [...]``.

    Refuses (:class:`UndefinedTermError`) a document holding a term its contexts do not
    define: such a term would be silently left out of the signature.
    """
    if not isinstance(private_key, ed25519.Ed25519PrivateKey):
        raise SigningError("eddsa-rdfc-2022 exige une clé Ed25519.")
    if "@context" not in document:
        raise SigningError("Le document n'a pas de @context.")
    signed = copy.deepcopy(dict(document))
    existing = proofs_of(signed)
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    check_defined_terms(unsecured, loader)
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created or utcnow()),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    data = hash_data(unsecured, _proof_config(unsecured, proof), loader)
    proof["proofValue"] = multibase_b58_encode(private_key.sign(data))
    signed["proof"] = [*existing, proof]
    return signed


def verify_proof(
    document: Mapping[str, Any],
    proof: Mapping[str, Any],
    public_key: PublicKey,
    loader: Loader | None = None,
) -> bool:
    """True if ``proof`` (one of the document's proofs) is a valid eddsa-rdfc-2022 proof.

    Proofs of a proof set are each checked against the document without any proof.
    Does not check who controls the key: that is the verifier's ``issuer`` check.
    """
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    if not isinstance(public_key, ed25519.Ed25519PublicKey):
        return False
    try:
        parse_datetime(proof.get("created", ""))
        signature = multibase_decode(proof.get("proofValue", ""))
    except ValueError:
        return False
    if not str(proof.get("proofValue", "")).startswith("z") or len(signature) != 64:
        return False
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    data = hash_data(unsecured, _proof_config(unsecured, proof), loader)
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
