"""Verification for HR clubs and anyone: one verifier (:func:`badges.verify`) behind the
``/verify`` page, ``POST /api/v1/verify`` and ``coop-formation verify``.

The app's resolver answers its own DID, keys, status lists and credentials from the
database; anything else is fetched by :mod:`.fetching` (https, public addresses only).
Issuers the cluster registered are reported as known.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

import badges
from badges import ResolutionError, UnusableInput, VerificationReport
from coop_formation.i18n import DISPLAY_TZ
from coop_formation.recognition import keys
from coop_formation.recognition.fetching import Fetcher, fetch_url
from coop_formation.recognition.issuers import get_issuer, issuer_json, trusted_issuers
from coop_formation.recognition.models import Credential, CredentialStatus
from coop_formation.recognition.statuslists import status_list_document

MAX_INPUT_BYTES = 2 * 1024 * 1024
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_CREDENTIAL_PATH = re.compile(rf"^/credentials/({_UUID})(\.json|\.jwt)?$")

CHECK_LABELS = {
    "structure": "Format",
    "signature": "Signature",
    "issuer": "Émetteur",
    "status": "Révocation",
    "expiry": "Validité",
}


class AppResolver:
    """Answers the app's own documents from the database, the rest over safe HTTPS."""

    def __init__(self, session: Session, fetcher: Fetcher | None = None) -> None:
        self.session = session
        self.fetcher = fetcher or fetch_url
        self.base_url = keys.base_url()
        self.did = keys.issuer_did()

    def resolve_did(self, did: str) -> dict[str, Any]:
        if did == self.did:
            return keys.did_document(self.session)
        if did.startswith("did:key:"):
            return badges.resolve_did_key(did)
        if did.startswith("did:web:"):
            return self.fetch_json(badges.did_web_to_url(did))
        raise ResolutionError(f"méthode DID non prise en charge : {did}")

    def fetch_json(self, url: str) -> dict[str, Any]:
        local = self.local_path(url)
        if local is not None:
            return self._local_json(local)
        body, _type = self.fetcher(url, "application/json, application/ld+json, */*;q=0.1")
        try:
            document = json.loads(body)
        except ValueError as exc:
            raise ResolutionError(f"document illisible à l'adresse {url}") from exc
        if not isinstance(document, dict):
            raise ResolutionError(f"document inattendu à l'adresse {url}")
        return document

    def local_path(self, url: str) -> str | None:
        """The path of ``url`` when it points into this app, else None."""
        if url == self.base_url or url.startswith(self.base_url + "/"):
            return urlsplit(url).path[len(urlsplit(self.base_url).path.rstrip("/")) :] or "/"
        return None

    def _local_json(self, path: str) -> dict[str, Any]:
        try:
            if path == "/.well-known/did.json":
                return keys.did_document(self.session)
            if path == "/.well-known/jwks.json":
                return keys.jwks_document(self.session)
            if match := re.fullmatch(r"/status/(\d{1,9})", path):
                return status_list_document(self.session, int(match.group(1)))
            if match := re.fullmatch(rf"/issuers/({_UUID})", path):
                return issuer_json(get_issuer(self.session, match.group(1)))
        except Exception as exc:  # NotFound and friends: the document is not there
            raise ResolutionError(f"document introuvable : {path}") from exc
        raise ResolutionError(f"document introuvable : {path}")

    def local_credential(self, url: str) -> str | None:
        """The stored form (JSON-LD or JWT) of one of our credentials, by its URL."""
        path = self.local_path(url)
        match = _CREDENTIAL_PATH.match(path or "")
        if match is None:
            return None
        credential = self.session.execute(
            sa.select(Credential).where(Credential.public_id == match.group(1))
        ).scalar_one_or_none()
        if credential is None:
            raise UnusableInput("Aucun badge à cette adresse.")
        return credential.jwt if match.group(2) == ".jwt" else credential.document


def load_url(resolver: AppResolver, url: str) -> str | bytes:
    """The credential published at ``url`` (ours from the database, others over HTTPS)."""
    local = resolver.local_credential(url)
    if local is not None:
        return local
    try:
        body, content_type = resolver.fetcher(
            url,
            "application/ld+json, application/json, "
            "application/vc+jwt;q=0.9, image/png;q=0.8, "
            "image/svg+xml;q=0.8",
        )
    except ResolutionError as exc:
        raise UnusableInput(f"Impossible de récupérer le badge : {exc}") from exc
    if "text/html" in content_type:
        raise UnusableInput("L'adresse donne une page web, pas un badge.")
    return body


def verify_input(
    session: Session,
    data: str | bytes | dict[str, Any],
    *,
    cluster_id: int | None = None,
    now: datetime | None = None,
    fetcher: Fetcher | None = None,
) -> VerificationReport:
    """Verify a credential (dict, JSON text, JWT, baked image bytes, or its URL).

    Raises :class:`badges.UnusableInput` when the input holds no credential.
    """
    if isinstance(data, bytes | str) and len(data) > MAX_INPUT_BYTES:
        raise UnusableInput("Fichier trop volumineux (2 Mo au plus).")
    resolver = AppResolver(session, fetcher)
    if isinstance(data, bytes) and data.strip()[:8].lower().startswith((b"https://", b"http://")):
        data = data.decode("utf-8", "replace")
    if isinstance(data, str) and data.strip().lower().startswith(("https://", "http://")):
        data = load_url(resolver, data.strip())
    if isinstance(data, str) and not data.strip():
        raise UnusableInput("Rien à vérifier : collez un badge ou choisissez un fichier.")
    try:
        report = badges.verify(
            data, resolver=resolver, trusted_issuers=trusted_issuers(session, cluster_id), now=now
        )
    except UnusableInput:
        raise
    except badges.BadgeError as exc:
        raise UnusableInput(str(exc)) from exc
    explain_revocation(resolver, report)
    return report


def explain_revocation(resolver: AppResolver, report: VerificationReport) -> None:
    """When ``report`` is about one of our credentials that was revoked, say when and why:
    the status list holds only a bit, the reason is in the database."""
    if not report.credential_id:
        return
    match = _CREDENTIAL_PATH.match(resolver.local_path(report.credential_id) or "")
    if match is None or match.group(2):
        return
    credential = resolver.session.execute(
        sa.select(Credential).where(Credential.public_id == match.group(1))
    ).scalar_one_or_none()
    if credential is None or credential.status != CredentialStatus.REVOKED:
        return
    revoked_at = credential.revoked_at
    report.revocation_reason = credential.revocation_reason
    report.revoked_at = badges.format_datetime(revoked_at) if revoked_at else None
    date = revoked_at.astimezone(DISPLAY_TZ).strftime("%d/%m/%Y") if revoked_at else "?"
    message = _(
        "Ce badge a été révoqué par son émetteur le %(date)s. Raison : %(reason)s",
        date=date,
        reason=credential.revocation_reason,
    )
    report.checks = [
        badges.Check(c.name, c.ok, message) if c.name == "status" and not c.ok else c
        for c in report.checks
    ]


def report_json(report: VerificationReport) -> dict[str, Any]:
    """The API's answer: ``valid``, ``checks`` and what was verified."""
    return {
        "valid": report.valid,
        "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in report.checks],
        "issuer": {"id": report.issuer_id, "name": report.issuer_name},
        "issuer_known": report.issuer_known,
        "format": report.format,
        "credential_id": report.credential_id,
        "achievement": report.achievement_name,
        "team": report.team,
        "valid_from": report.valid_from,
        "valid_until": report.valid_until,
        "revocation_reason": report.revocation_reason,
        "revoked_at": report.revoked_at,
    }
