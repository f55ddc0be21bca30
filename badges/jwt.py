"""VC-JWT form of an Open Badges 3.0 credential (OB 3.0 §"JSON Web Token Proof Format").

We follow OB 3.0 (VC 2.0 variant), not the older VC 1.1 ``vc`` claim: the JWT payload
*is* the credential, plus the registered claims ``iss`` (issuer id), ``jti``
(credential id), ``nbf`` (validFrom), ``exp`` (validUntil, if any) and ``sub``
(credentialSubject.id - omitted when the recipient has only a hashed e-mail). The JOSE
header is exactly ``{alg, kid, typ: "JWT"}``; OB 3.0 says ``typ``, when present, MUST be
"JWT" (VC-JOSE-COSE's ``vc+jwt`` is accepted when reading). Reading also accepts the
VC 1.1 layout with the credential in a ``vc`` claim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from .dates import from_timestamp, parse_datetime, to_timestamp
from .encoding import b64url_decode
from .errors import SigningError, UnusableInput
from .keys import IssuerKey, PublicKey

JWT_CLAIMS = ("iss", "sub", "nbf", "exp", "jti", "iat", "aud")
ACCEPTED_ALGORITHMS = ("EdDSA", "RS256")
ACCEPTED_TYP = ("JWT", "vc+jwt", "vc-ld+jwt", "application/vc+jwt")
_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def looks_like_jwt(text: str) -> bool:
    """True for a compact JWS shape (three base64url parts)."""
    return bool(_COMPACT.match(text.strip()))


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _subject_id(credential: Mapping[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    return subject.get("id") if isinstance(subject, dict) else None


def sign_jwt(credential: Mapping[str, Any], key: IssuerKey) -> str:
    """The compact JWS of ``credential`` signed with ``key`` (EdDSA or RS256)."""
    issuer = _issuer_id(credential)
    if not issuer or not credential.get("id") or not credential.get("validFrom"):
        raise SigningError("Le justificatif doit avoir id, issuer et validFrom.")
    payload = {k: v for k, v in credential.items() if k not in JWT_CLAIMS}
    payload["iss"] = issuer
    payload["jti"] = credential["id"]
    payload["nbf"] = to_timestamp(credential["validFrom"])
    if credential.get("validUntil"):
        payload["exp"] = to_timestamp(credential["validUntil"])
    subject = _subject_id(credential)
    if subject:
        payload["sub"] = subject
    return pyjwt.encode(
        payload,
        key.private_key,
        algorithm=key.jwt_algorithm,
        headers={"kid": key.key_id, "typ": "JWT"},
    )


@dataclass(frozen=True)
class DecodedJwt:
    """A parsed (not yet verified) compact JWS."""

    token: str
    header: dict[str, Any]
    payload: dict[str, Any]

    @property
    def credential(self) -> dict[str, Any]:
        """The credential carried: the ``vc`` claim (VC 1.1) or the payload minus claims."""
        vc = self.payload.get("vc")
        if isinstance(vc, dict):
            return dict(vc)
        return {k: v for k, v in self.payload.items() if k not in JWT_CLAIMS}


def parse_jwt(token: str) -> DecodedJwt:
    """Parse a compact JWS without verifying it; :class:`UnusableInput` if it is not one."""
    token = token.strip()
    if not looks_like_jwt(token):
        raise UnusableInput("Ce n'est pas un jeton JWT.")
    head, body, _ = token.split(".")
    try:
        header = json.loads(b64url_decode(head))
        payload = json.loads(b64url_decode(body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnusableInput("Jeton JWT illisible.") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise UnusableInput("Jeton JWT illisible.")
    return DecodedJwt(token=token, header=header, payload=payload)


def verify_jwt_signature(decoded: DecodedJwt, public_key: PublicKey) -> bool:
    """True if the JWS signature is valid for ``public_key`` under the header's ``alg``."""
    alg = decoded.header.get("alg")
    if alg not in ACCEPTED_ALGORITHMS:
        return False
    if (alg == "EdDSA") != isinstance(public_key, ed25519.Ed25519PublicKey):
        return False
    if alg == "RS256" and not isinstance(public_key, rsa.RSAPublicKey):
        return False
    try:
        pyjwt.PyJWS().decode_complete(decoded.token, key=public_key, algorithms=[alg])
    except pyjwt.InvalidTokenError:
        return False
    return True


def claim_problems(decoded: DecodedJwt) -> list[str]:
    """Disagreements between the JWT claims and the credential (OB 3.0 §jwt-verify)."""
    problems: list[str] = []
    payload, credential = decoded.payload, decoded.credential
    typ = decoded.header.get("typ")
    if typ is not None and typ not in ACCEPTED_TYP:
        problems.append(f"en-tête typ inattendu : {typ}")
    if payload.get("iss") != _issuer_id(credential):
        problems.append("la revendication iss ne correspond pas à l'émetteur")
    if payload.get("jti") != credential.get("id"):
        problems.append("la revendication jti ne correspond pas à l'identifiant")
    if "sub" in payload and payload["sub"] != _subject_id(credential):
        problems.append("la revendication sub ne correspond pas au destinataire")
    problems.extend(_date_claim(payload, credential, "nbf", "validFrom", required=True))
    problems.extend(_date_claim(payload, credential, "exp", "validUntil", required=False))
    return problems


def _date_claim(
    payload: Mapping[str, Any], credential: Mapping[str, Any], claim: str, field: str, **kw: bool
) -> list[str]:
    if claim not in payload:
        return [f"revendication {claim} absente"] if kw["required"] else []
    value = payload[claim]
    if not isinstance(value, int | float):
        return [f"revendication {claim} invalide"]
    if field not in credential:
        if "vc" in payload:  # VC 1.1 layout: the claim is the only source of the date
            return []
        return [f"{field} absent alors que {claim} est présent"]
    try:
        if int(parse_datetime(credential[field]).timestamp()) != int(value):
            return [f"la revendication {claim} ({from_timestamp(value)}) diffère de {field}"]
    except ValueError:
        return [f"{field} invalide"]
    return []
