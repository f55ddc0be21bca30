"""Open Badges 2.0, for older consumers: hosted ``Assertion`` + ``BadgeClass`` + ``Issuer``
JSON, and signed assertions (compact JWS, ``verification.type = "signed"``).

OB 2.0 verifiers mostly know RS256 only: sign OB 2.0 assertions with an RSA key
(:func:`badges.keys.generate_rsa_key`); an Ed25519 key gives an ``EdDSA`` JWS that only
this library and a few others read. Documents are plain JSON (no JSON-LD processing).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import jwt as pyjwt

from .build import AchievementDefinition, IssuerProfile, hash_identity
from .dates import format_datetime, parse_datetime
from .errors import BadgeError, ResolutionError, UnusableInput
from .keys import PrivateKey, PublicKey, load_public_key_pem, public_key_to_pem
from .report import Check
from .resolver import Resolver

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def is_ob2(document: Mapping[str, Any]) -> bool:
    """True for an OB 2.0 assertion (by context or type)."""
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return OB2_CONTEXT in contexts or document.get("type") == "Assertion"


def issuer_document(
    profile: IssuerProfile,
    *,
    issuer_url: str,
    public_key_url: str | None = None,
    revocation_list_url: str | None = None,
) -> dict[str, Any]:
    """The hosted ``Issuer`` profile (``issuer_url`` is where it is served)."""
    data: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": issuer_url,
        "name": profile.name,
        "url": profile.url,
    }
    for key, value in (("email", profile.email), ("image", profile.image)):
        if value:
            data[key] = value
    if profile.description:
        data["description"] = profile.description
    if public_key_url:
        data["publicKey"] = public_key_url
    if revocation_list_url:
        data["revocationList"] = revocation_list_url
    return data


def badge_class(
    achievement: AchievementDefinition, *, badge_url: str, issuer_url: str, image_url: str
) -> dict[str, Any]:
    """The hosted ``BadgeClass`` (OB 2.0 requires an image)."""
    criteria: dict[str, Any] = {}
    if achievement.criteria_url:
        criteria["id"] = achievement.criteria_url
    if achievement.criteria_narrative:
        criteria["narrative"] = achievement.criteria_narrative
    data: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": badge_url,
        "name": achievement.name,
        "description": achievement.description,
        "image": image_url,
        "criteria": criteria,
        "issuer": issuer_url,
    }
    alignment = []
    for item in achievement.alignments:
        entry = {k: v for k, v in item.to_json().items() if k not in ("type", "targetType")}
        alignment.append(entry)
    if alignment:
        data["alignment"] = alignment
    if achievement.tags:
        data["tags"] = list(achievement.tags)
    return data


def assertion(
    *,
    assertion_id: str,
    badge_url: str,
    email: str,
    issued_on: datetime,
    salt: str | None = None,
    expires: datetime | None = None,
    evidence_url: str | None = None,
    signing_key_url: str | None = None,
) -> dict[str, Any]:
    """An ``Assertion``: hosted at ``assertion_id`` unless ``signing_key_url`` is given
    (then ``verification`` is ``signed`` and the id may be a ``urn:uuid:``)."""
    salt = salt or secrets.token_hex(16)
    data: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": hash_identity(email.strip().lower(), salt),
        },
        "badge": badge_url,
        "issuedOn": format_datetime(issued_on),
        "verification": (
            {"type": "signed", "creator": signing_key_url}
            if signing_key_url
            else {"type": "hosted"}
        ),
    }
    if expires:
        data["expires"] = format_datetime(expires)
    if evidence_url:
        data["evidence"] = evidence_url
    return data


def cryptographic_key(key_url: str, issuer_url: str, public_key: PublicKey) -> dict[str, Any]:
    """The hosted ``CryptographicKey`` referenced by signed assertions."""
    return {
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": key_url,
        "owner": issuer_url,
        "publicKeyPem": public_key_to_pem(public_key),
    }


def revocation_list(
    list_url: str, issuer_url: str, revoked: Iterable[str | tuple[str, str]]
) -> dict[str, Any]:
    """The issuer's ``RevocationList`` for signed assertions."""
    entries = []
    for item in revoked:
        if isinstance(item, tuple):
            entries.append({"id": item[0], "revocationReason": item[1]})
        else:
            entries.append({"id": item})
    return {
        "@context": OB2_CONTEXT,
        "type": "RevocationList",
        "id": list_url,
        "issuer": issuer_url,
        "revokedAssertions": entries,
    }


def sign_assertion(assertion_data: Mapping[str, Any], private_key: PrivateKey) -> str:
    """Compact JWS of a signed assertion (RS256 for RSA keys, EdDSA for Ed25519)."""
    if _dict(assertion_data.get("verification")).get("type") not in ("signed", "SignedBadge"):
        raise BadgeError("L'assertion doit avoir verification.type = signed.")
    alg = "RS256" if hasattr(private_key, "key_size") else "EdDSA"
    payload = json.dumps(dict(assertion_data), ensure_ascii=False).encode("utf-8")
    return pyjwt.PyJWS().encode(payload, private_key, algorithm=alg)


# --- verification ------------------------------------------------------------------------


def _fetch(resolver: Resolver, value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    if not isinstance(value, str):
        raise ResolutionError(f"{what} absent")
    try:
        document = resolver.fetch_json(value)
    except ResolutionError:
        raise
    except Exception as exc:
        raise ResolutionError(f"{what} introuvable ({value}) : {exc}") from exc
    if not isinstance(document, Mapping):
        raise ResolutionError(f"{what} illisible ({value})")
    return dict(document)


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _origin(url: Any) -> tuple[str, str] | None:
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc.lower()) if parts.scheme in ("http", "https") else None


def verify_ob2(
    value: str | Mapping[str, Any], *, resolver: Resolver, now: datetime
) -> tuple[list[Check], dict[str, Any], str, dict[str, Any]]:
    """(checks, assertion, format, summary view) for an OB 2.0 assertion, its URL or JWS."""
    token: str | None = None
    if isinstance(value, str) and value.count(".") == 2 and not value.startswith("http"):
        token = value
        try:
            data = json.loads(pyjwt.PyJWS().decode(token, options={"verify_signature": False}))
        except (pyjwt.InvalidTokenError, ValueError) as exc:
            raise UnusableInput("JWS Open Badges 2.0 illisible.") from exc
    elif isinstance(value, str):
        try:
            data = _fetch(resolver, value, "Assertion")
        except ResolutionError as exc:
            raise UnusableInput(f"Assertion Open Badges 2.0 inaccessible : {exc}") from exc
    else:
        data = dict(value)
    if not isinstance(data, dict):
        raise UnusableInput("Assertion Open Badges 2.0 illisible.")
    checks: list[Check] = []
    missing = [k for k in ("id", "recipient", "badge", "verification", "issuedOn") if k not in data]
    structure_ok = not missing and data.get("type") == "Assertion"
    checks.append(
        Check("structure", True, "Le badge respecte le format Open Badges 2.0.")
        if structure_ok
        else Check(
            "structure",
            False,
            f"Assertion Open Badges 2.0 incomplète : {', '.join(missing) or 'type'}.",
        )
    )
    badge: dict[str, Any] = {}
    issuer: dict[str, Any] = {}
    try:
        badge = _fetch(resolver, data.get("badge"), "Définition du badge")
        issuer = _fetch(resolver, badge.get("issuer"), "Émetteur")
    except ResolutionError as exc:
        checks.append(Check("signature", False, "Signature invérifiable : émetteur introuvable."))
        checks.append(Check("issuer", False, f"Impossible de retrouver l'émetteur : {exc}"))
    else:
        checks.extend(_ob2_proof_checks(data, token, issuer, resolver))
    checks.append(_ob2_status(data, token, issuer, resolver))
    checks.append(_ob2_expiry(data, now))
    view = {
        "id": data.get("id"),
        "type": ["Assertion"],
        "issuer": {"id": issuer.get("id"), "name": issuer.get("name")},
        "credentialSubject": {
            "identifier": [{"identityHash": _dict(data.get("recipient")).get("identity")}],
            "achievement": {"name": badge.get("name")},
        },
        "validFrom": data.get("issuedOn"),
        "validUntil": data.get("expires"),
    }
    return checks, data, "ob2-signed" if token else "ob2-hosted", view


def _ob2_proof_checks(
    data: dict[str, Any], token: str | None, issuer: dict[str, Any], resolver: Resolver
) -> list[Check]:
    bad = "La signature ne correspond pas au contenu : le badge a été modifié."
    if token is None:
        if _dict(data.get("verification")).get("type") not in ("hosted", "HostedBadge"):
            return [
                Check("signature", False, "Badge signé fourni sans sa signature (JWS)."),
                Check("issuer", False, "Émetteur non vérifiable sans signature."),
            ]
        try:
            hosted = _fetch(resolver, data.get("id"), "Assertion hébergée")
        except ResolutionError as exc:
            return [
                Check("signature", False, f"Copie hébergée inaccessible : {exc}"),
                Check("issuer", False, "Émetteur non vérifiable."),
            ]
        same = hosted == data
        signature = Check(
            "signature",
            same,
            "Le badge est identique à la copie hébergée par l'émetteur." if same else bad,
        )
        ok = _origin(data.get("id")) == _origin(issuer.get("id")) is not None
        message = (
            "Le badge est hébergé sur le site de l'émetteur."
            if ok
            else "Le badge n'est pas hébergé sur le site de l'émetteur."
        )
        return [signature, Check("issuer", ok, message)]
    creator = _dict(data.get("verification")).get("creator")
    try:
        key_doc = _fetch(resolver, creator, "Clé publique")
        public_key = load_public_key_pem(key_doc.get("publicKeyPem", ""))
    except (ResolutionError, BadgeError, ValueError, TypeError) as exc:
        return [
            Check("signature", False, "Signature invérifiable : clé introuvable."),
            Check("issuer", False, f"Impossible de retrouver la clé de l'émetteur : {exc}"),
        ]
    alg = "RS256" if hasattr(public_key, "key_size") else "EdDSA"
    try:
        pyjwt.PyJWS().decode(token, key=public_key, algorithms=[alg])
        signature = Check("signature", True, "La signature est valide.")
    except pyjwt.InvalidTokenError:
        signature = Check("signature", False, bad)
    keys = issuer.get("publicKey")
    keys = keys if isinstance(keys, list) else [keys]
    key_ids = [k.get("id") if isinstance(k, Mapping) else k for k in keys]
    owned = key_doc.get("owner") == issuer.get("id") and creator in key_ids
    message = (
        "La clé de signature appartient bien à l'émetteur."
        if owned
        else ("La clé de signature n'appartient pas à l'émetteur.")
    )
    return [signature, Check("issuer", owned, message)]


def _ob2_status(
    data: dict[str, Any], token: str | None, issuer: dict[str, Any], resolver: Resolver
) -> Check:
    if data.get("revoked"):
        return Check("status", False, "Ce badge a été révoqué par son émetteur.")
    if token is None or not issuer.get("revocationList"):
        return Check("status", True, "Le badge n'a pas été révoqué.")
    try:
        listing = _fetch(resolver, issuer["revocationList"], "Liste de révocation")
    except ResolutionError as exc:
        return Check("status", False, f"Impossible de vérifier la révocation : {exc}")
    revoked = listing.get("revokedAssertions")
    for entry in revoked if isinstance(revoked, list) else []:
        revoked_id = entry.get("id") if isinstance(entry, Mapping) else entry
        if revoked_id == data.get("id"):
            return Check("status", False, "Ce badge a été révoqué par son émetteur.")
    return Check("status", True, "Le badge n'a pas été révoqué.")


def _ob2_expiry(data: dict[str, Any], now: datetime) -> Check:
    try:
        issued = parse_datetime(str(data.get("issuedOn", "")))
        expires = parse_datetime(data["expires"]) if data.get("expires") else None
    except ValueError:
        return Check("expiry", False, "Les dates du badge sont illisibles.")
    if now < issued:
        return Check("expiry", False, "Le badge n'est pas encore valide.")
    if expires is not None and now >= expires:
        return Check("expiry", False, f"Le badge a expiré le {expires:%d/%m/%Y}.")
    return Check("expiry", True, "Le badge est en cours de validité.")
