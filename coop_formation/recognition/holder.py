"""What a member holds: the credentials issued to them and the badges they imported,
for the Open Badges API (``getCredentials``) and for their data export.

Each credential is listed once: an imported copy of a credential the cluster issued to
the member is not listed a second time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

import badges
from coop_formation.people.models import Member
from coop_formation.recognition.importing import credential_form, export_imported, imported_badges
from coop_formation.recognition.issuing import credential_url
from coop_formation.recognition.models import Credential, CredentialStatus, ImportedBadge
from coop_formation.recognition.public import my_credentials


@dataclass(frozen=True)
class HeldCredential:
    """One credential as the API answers it: ``form`` is ``"json"`` (a JSON-LD credential
    with its embedded proof) or ``"jwt"`` (a compact JWS)."""

    form: str
    value: Any
    issued_at: datetime


def _issued_at(imported: ImportedBadge) -> datetime:
    """When the imported credential says it was issued (else when it was imported)."""
    raw = imported.report.get("valid_from")
    if isinstance(raw, str):
        try:
            return badges.parse_datetime(raw)
        except (ValueError, TypeError, badges.BadgeError):
            pass
    return imported.created_at


def backpack(
    session: Session, member: Member, since: datetime | None = None
) -> list[HeldCredential]:
    """The member's credentials, newest first, each once: the issued ones not revoked,
    and the imported Open Badges 3.0 credentials that passed verification."""
    issued = my_credentials(session, member)
    ours = {credential_url(c.public_id) for c in issued}
    held = [
        HeldCredential("json", json.loads(c.document), c.issued_at)
        for c in issued
        if c.status == CredentialStatus.ISSUED
    ]
    for imported in imported_badges(session, member):
        if not imported.valid or imported.credential_id in ours:
            continue
        form = credential_form(imported)
        if form is not None:
            held.append(HeldCredential(form[0], form[1], _issued_at(imported)))
    if since is not None:
        held = [h for h in held if h.issued_at >= since]
    held.sort(key=lambda h: h.issued_at, reverse=True)
    return held


def _export_issued(credential: Credential) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": credential.public_id,
        "url": credential_url(credential.public_id),
        "achievement": credential.achievement.name,
        "issuer": credential.issuer.name,
        "issued_at": iso(credential.issued_at),
        "valid_until": iso(credential.valid_until),
        "status": credential.status.value,
        "revoked_at": iso(credential.revoked_at),
        "revocation_reason": credential.revocation_reason or None,
        "team": credential.team_name,
        "evidence": credential.evidence,
        "recipient_choice": credential.recipient_choice.value,
        "name_shown": credential.is_public,
        "document": json.loads(credential.document),
        "jwt": credential.jwt,
    }


def export_badges(session: Session, member: Member) -> dict[str, list[dict[str, Any]]]:
    """The ``badges`` section of the member's export: issued to them, and imported."""
    return {
        "issued": [_export_issued(c) for c in my_credentials(session, member)],
        "imported": [export_imported(i) for i in imported_badges(session, member)],
    }
