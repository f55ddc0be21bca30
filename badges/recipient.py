"""Whom a badge designates: the recipient of an Open Badges 3.0 credential (its
``credentialSubject``: ``identifier`` IdentityObjects or ``id``) or of an Open Badges
2.0 assertion (``recipient``), compared with a person's e-mail addresses.

Used to keep a person from presenting someone else's badge as their own: a badge that
designates nobody, or someone else, does not match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .build import identity_matches

EMAIL_IDENTITY_TYPES = ("emailAddress", "email")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _email_identities(credential: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The e-mail IdentityObjects of an OB 3.0 credential or OB 2.0 assertion, written
    as OB 3.0 IdentityObjects (``identityHash``, ``hashed``, ``salt``)."""
    found: list[Mapping[str, Any]] = []
    recipient = credential.get("recipient")
    # OB 2.0: {"type": "email", "identity": ..., "hashed": ..., "salt": ...}
    if isinstance(recipient, Mapping) and recipient.get("type", "email") in EMAIL_IDENTITY_TYPES:
        found.append(
            {
                "identityHash": recipient.get("identity", ""),
                "hashed": recipient.get("hashed") is True,
                "salt": recipient.get("salt") or "",
            }
        )
    for subject in _as_list(credential.get("credentialSubject")):
        if not isinstance(subject, Mapping):
            continue
        for identity in _as_list(subject.get("identifier")):
            if not isinstance(identity, Mapping):
                continue
            if identity.get("identityType", "emailAddress") in EMAIL_IDENTITY_TYPES:
                found.append(identity)
    return found


def _subject_ids(credential: Mapping[str, Any]) -> list[str]:
    return [
        subject["id"]
        for subject in _as_list(credential.get("credentialSubject"))
        if isinstance(subject, Mapping) and isinstance(subject.get("id"), str)
    ]


def designates_someone(credential: Mapping[str, Any]) -> bool:
    """The credential names a recipient (an e-mail identity or a subject id)."""
    return bool(_email_identities(credential) or _subject_ids(credential))


def recipient_matches(credential: Mapping[str, Any], emails: Iterable[str]) -> bool:
    """True if the credential's recipient is one of ``emails``: a hashed or plain
    e-mail IdentityObject (OB 3.0), an OB 2.0 e-mail recipient, or a subject id
    ``mailto:<address>``."""
    addresses = [e.strip().lower() for e in emails if e and e.strip()]
    if not addresses:
        return False
    for identity in _email_identities(credential):
        if any(identity_matches(identity, address) for address in addresses):
            return True
    mailtos = {f"mailto:{address}" for address in addresses}
    return any(subject_id.strip().lower() in mailtos for subject_id in _subject_ids(credential))
