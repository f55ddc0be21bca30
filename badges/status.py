"""Revocation with the W3C Bitstring Status List v1.0.

The list is a bitstring of at least 131,072 entries (16 KiB); bit 0 is the most
significant bit of the first byte. ``encodedList`` is multibase base64url (``u``) of the
GZIP-compressed bitstring. The terms are defined by the VC 2.0 context.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .contexts import VC_V2
from .dates import format_datetime
from .encoding import b64url_encode, multibase_decode
from .errors import StatusListError

MIN_ENTRIES = 131_072
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"


class StatusList:
    """A mutable revocation bitstring. ``True`` at an index means "revoked"."""

    def __init__(self, size: int = MIN_ENTRIES, data: bytes | None = None) -> None:
        if size < MIN_ENTRIES or size % 8:
            raise StatusListError("Une liste de statut compte au moins 131072 entrées (×8).")
        self.bits = bytearray(data) if data is not None else bytearray(size // 8)
        if len(self.bits) * 8 < size:
            raise StatusListError("Liste de statut trop courte.")

    @property
    def size(self) -> int:
        return len(self.bits) * 8

    def _locate(self, index: int) -> tuple[int, int]:
        if not 0 <= index < self.size:
            raise StatusListError(f"Index de statut hors de la liste : {index}")
        return index // 8, 0x80 >> (index % 8)

    def get(self, index: int) -> bool:
        byte, mask = self._locate(index)
        return bool(self.bits[byte] & mask)

    def set(self, index: int, value: bool = True) -> None:
        byte, mask = self._locate(index)
        if value:
            self.bits[byte] |= mask
        else:
            self.bits[byte] &= ~mask & 0xFF

    def encode(self) -> str:
        """``encodedList`` value (deterministic: GZIP mtime 0)."""
        return "u" + b64url_encode(gzip.compress(bytes(self.bits), mtime=0))

    @classmethod
    def decode(cls, encoded: str) -> StatusList:
        """Parse an ``encodedList`` (multibase base64url; a bare base64url is tolerated)."""
        if not isinstance(encoded, str) or not encoded:
            raise StatusListError("encodedList absent.")
        try:
            text = encoded if encoded[0] in "uz" else "u" + encoded
            raw = gzip.decompress(multibase_decode(text))
        except (ValueError, OSError, EOFError) as exc:
            raise StatusListError(f"encodedList illisible : {exc}") from exc
        if len(raw) * 8 < MIN_ENTRIES:
            raise StatusListError("Liste de statut trop courte (moins de 131072 entrées).")
        return cls(size=len(raw) * 8, data=raw)


def status_entry(list_url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
    """The ``credentialStatus`` of a credential whose status is bit ``index`` of the list."""
    if index < 0:
        raise StatusListError("Index de statut négatif.")
    return {
        "id": f"{list_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def build_status_list_credential(
    *,
    list_url: str,
    issuer_id: str,
    status_list: StatusList,
    valid_from: datetime,
    valid_until: datetime | None = None,
    purpose: str = "revocation",
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` (sign it like any credential)."""
    credential: dict[str, Any] = {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": status_list.encode(),
    }
    return credential


def status_entries(credential: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The credential's ``credentialStatus`` entries (one object or a list)."""
    value = credential.get("credentialStatus")
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]


def parse_entry(entry: Mapping[str, Any]) -> tuple[str, int, str]:
    """(list URL, index, purpose) of a ``BitstringStatusListEntry``; raises if malformed."""
    types = entry.get("type")
    if ENTRY_TYPE not in (types if isinstance(types, list) else [types]):
        raise StatusListError(f"Type de statut non pris en charge : {entry.get('type')}")
    url = entry.get("statusListCredential")
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError as exc:
        raise StatusListError("statusListIndex invalide.") from exc
    if not isinstance(url, str) or not url or index < 0:
        raise StatusListError("Entrée de statut incomplète.")
    return url, index, str(entry.get("statusPurpose", ""))


def list_bit(list_credential: Mapping[str, Any], index: int, purpose: str) -> bool:
    """Bit ``index`` of a status list credential, after checking its purpose matches."""
    subject = list_credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, dict):
        raise StatusListError("Liste de statut sans credentialSubject.")
    purposes = subject.get("statusPurpose")
    purposes = purposes if isinstance(purposes, list) else [purposes]
    if purpose not in purposes:
        raise StatusListError("La liste de statut n'a pas le même objet (statusPurpose).")
    status_list = StatusList.decode(subject.get("encodedList", ""))
    return status_list.get(index)
