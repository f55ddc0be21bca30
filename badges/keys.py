"""Issuer keys: generation, encrypted storage, Multikey and JWK forms, JWKS.

Ed25519 is the signing key of every credential (``eddsa-rdfc-2022`` and VC-JWT
``EdDSA``). RSA keys are supported for VC-JWT ``RS256`` and Open Badges 2.0 signed
assertions, whose consumers often know nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from .encoding import (
    ED25519_PRIV_PREFIX,
    ED25519_PUB_PREFIX,
    b64url_decode,
    b64url_encode,
    multibase_b58_encode,
    multibase_decode,
)
from .errors import BadgeError

PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey


@dataclass(frozen=True)
class IssuerKey:
    """A private key and the id of its verification method (``did:web:host#key-1``).

    The part of ``key_id`` before ``#`` is the controller (the issuer's id).
    """

    key_id: str
    private_key: PrivateKey

    @property
    def public_key(self) -> PublicKey:
        return self.private_key.public_key()

    @property
    def controller(self) -> str:
        return self.key_id.split("#", 1)[0]

    @property
    def jwt_algorithm(self) -> str:
        return "EdDSA" if isinstance(self.private_key, ed25519.Ed25519PrivateKey) else "RS256"


def generate_ed25519_key() -> ed25519.Ed25519PrivateKey:
    """A fresh Ed25519 private key."""
    return ed25519.Ed25519PrivateKey.generate()


def generate_rsa_key(bits: int = 3072) -> rsa.RSAPrivateKey:
    """A fresh RSA private key (for RS256 consumers only)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _passphrase_bytes(passphrase: str | bytes) -> bytes:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase


def private_key_to_pem(key: PrivateKey, passphrase: str | bytes) -> bytes:
    """PKCS#8 PEM encrypted with the best available algorithm; the passphrase is required."""
    if not passphrase:
        raise BadgeError("Une phrase de passe est nécessaire pour enregistrer une clé privée.")
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.BestAvailableEncryption(_passphrase_bytes(passphrase)),
    )


def load_private_key(pem: bytes | str, passphrase: str | bytes | None) -> PrivateKey:
    """Load a PEM private key (encrypted PKCS#8 or not); only Ed25519 and RSA are accepted."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(
            data, password=_passphrase_bytes(passphrase) if passphrase else None
        )
    except (ValueError, TypeError) as exc:
        raise BadgeError(f"Clé privée illisible ou phrase de passe incorrecte : {exc}") from exc
    if not isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey):
        raise BadgeError("Seules les clés Ed25519 et RSA sont prises en charge.")
    return key


def public_key_to_pem(key: PublicKey) -> str:
    """SubjectPublicKeyInfo PEM (Open Badges 2.0 ``CryptographicKey.publicKeyPem``)."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key_pem(pem: str | bytes) -> PublicKey:
    """Inverse of :func:`public_key_to_pem`."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, ed25519.Ed25519PublicKey | rsa.RSAPublicKey):
        raise BadgeError("Seules les clés Ed25519 et RSA sont prises en charge.")
    return key


def _raw_public(key: ed25519.Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(key: ed25519.Ed25519PublicKey) -> str:
    """Multikey ``publicKeyMultibase``: base58btc of 0xed01 + raw key (``z6Mk...``)."""
    return multibase_b58_encode(ED25519_PUB_PREFIX + _raw_public(key))


def public_key_from_multibase(text: str) -> ed25519.Ed25519PublicKey:
    """Parse a ``z6Mk...`` Multikey value; raises :class:`BadgeError` otherwise."""
    try:
        data = multibase_decode(text)
    except ValueError as exc:
        raise BadgeError(f"Clé publique multibase invalide : {exc}") from exc
    if len(data) != 34 or not data.startswith(ED25519_PUB_PREFIX):
        raise BadgeError("La clé publique n'est pas une clé Ed25519 Multikey.")
    return ed25519.Ed25519PublicKey.from_public_bytes(data[2:])


def private_key_multibase(key: ed25519.Ed25519PrivateKey) -> str:
    """Multikey ``secretKeyMultibase`` (0x8026 + 32-byte seed); handle with care."""
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return multibase_b58_encode(ED25519_PRIV_PREFIX + raw)


def private_key_from_multibase(text: str) -> ed25519.Ed25519PrivateKey:
    """Parse a Multikey secret key (``z3u2...``)."""
    data = multibase_decode(text)
    if len(data) != 34 or not data.startswith(ED25519_PRIV_PREFIX):
        raise BadgeError("La clé privée n'est pas une clé Ed25519 Multikey.")
    return ed25519.Ed25519PrivateKey.from_private_bytes(data[2:])


def _int_b64(value: int) -> str:
    return b64url_encode(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def public_jwk(key: PublicKey, kid: str | None = None) -> dict[str, Any]:
    """Public JWK (``OKP``/``Ed25519`` or ``RSA``); never contains private material."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        jwk: dict[str, Any] = {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(_raw_public(key))}
        alg = "EdDSA"
    elif isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        jwk = {"kty": "RSA", "n": _int_b64(numbers.n), "e": _int_b64(numbers.e)}
        alg = "RS256"
    else:
        raise BadgeError("Type de clé non pris en charge.")
    if kid:
        jwk["kid"] = kid
    jwk.update({"use": "sig", "alg": alg})
    return jwk


def public_key_from_jwk(jwk: dict[str, Any]) -> PublicKey:
    """Public key from a JWK; refuses JWKs carrying private material (``d``)."""
    if not isinstance(jwk, dict):
        raise BadgeError("JWK invalide.")
    if "d" in jwk:
        raise BadgeError("Le JWK publié contient une clé privée : refusé.")
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
        if jwk.get("kty") == "RSA":
            n = int.from_bytes(b64url_decode(jwk["n"]), "big")
            e = int.from_bytes(b64url_decode(jwk["e"]), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, ValueError, TypeError) as exc:
        raise BadgeError(f"JWK invalide : {exc}") from exc
    raise BadgeError("Type de JWK non pris en charge (Ed25519 ou RSA attendus).")


def jwks(keys: Iterable[IssuerKey | tuple[str, PublicKey]]) -> dict[str, Any]:
    """A JWKS ``{"keys": [...]}``, each key's ``kid`` being its verification method id.

    List retired keys too, so credentials signed before a rotation keep verifying.
    """
    entries = []
    for item in keys:
        kid, public = (
            (item.key_id, item.public_key) if isinstance(item, IssuerKey) else (item[0], item[1])
        )
        entries.append(public_jwk(public, kid))
    return {"keys": entries}
