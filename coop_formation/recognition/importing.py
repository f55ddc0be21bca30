"""Badges earned elsewhere: a member uploads one (baked image, JSON or JWT), the app
verifies it with the same verifier and keeps it with its report.

Guarantees: a badge is kept only by the person it designates (its recipient identity
or subject id matches one of their e-mail addresses), otherwise nothing is stored; a
credential is kept once per member (same bytes: nothing changes; same credential id: the
copy is replaced, and only by one that passes verification); the bytes are kept exactly
as uploaded.
"""

from __future__ import annotations

import base64
import enum
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

import badges
from badges import UnusableInput, VerificationReport
from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.people.models import Member
from coop_formation.recognition.fetching import Fetcher
from coop_formation.recognition.models import ImportedBadge
from coop_formation.recognition.verification import (
    AppResolver,
    load_url,
    report_json,
    verify_input,
)

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORTS_PER_MEMBER = 200


class ImportOutcome(enum.StrEnum):
    CREATED = "created"
    REPLACED = "replaced"  # a copy of the same credential (same id) was replaced
    UNCHANGED = "unchanged"  # the very same bytes were already kept


@dataclass(frozen=True)
class BadgeImport:
    badge: ImportedBadge
    outcome: ImportOutcome


def _media_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    head = data[:2048].lstrip()
    if head.startswith(b"{"):
        return "application/json"
    if b"<svg" in head:
        return "image/svg+xml"
    return "text/plain"


def _holder_emails(member: Member) -> list[str]:
    """The member's e-mail addresses (the one they sign in with, verified on activation)."""
    return [member.email] if member.email else []


def _check_holder(report: VerificationReport, member: Member) -> None:
    credential = report.credential or {}
    if not badges.designates_someone(credential):
        raise InvalidInput(
            _("Ce badge ne désigne pas son titulaire : impossible de vérifier qu'il est à vous."),
            field="file",
        )
    if not badges.recipient_matches(credential, _holder_emails(member)):
        raise InvalidInput(
            _(
                "Ce badge a été délivré à quelqu'un d'autre : il ne désigne pas votre "
                "adresse électronique. Seul son titulaire peut l'importer."
            ),
            field="file",
        )


def _failures(report: VerificationReport) -> str:
    return " ".join(check.message for check in report.failures)


def _fetch_if_url(session: Session, data: bytes, fetcher: Fetcher | None) -> bytes:
    """A pasted address is replaced by the badge found there: that is what is kept."""
    if not data.strip()[:8].lower().startswith((b"https://", b"http://")):
        return data
    url = data.decode("utf-8", "replace").strip()
    try:
        found = load_url(AppResolver(session, fetcher), url)
    except UnusableInput as exc:
        raise InvalidInput(
            _("Ce fichier ne contient pas de badge lisible : %(reason)s", reason=str(exc)),
            field="file",
        ) from exc
    return found.encode("utf-8") if isinstance(found, str) else found


def _lock_imports_of(session: Session, member: Member) -> None:
    """Serialise the imports of one member (two parallel uploads keep one copy)."""
    session.execute(sa.select(Member.id).where(Member.id == member.id).with_for_update())


def _same_credential(
    session: Session, member: Member, data: bytes, credential_id: str | None
) -> tuple[ImportedBadge | None, ImportedBadge | None]:
    """The member's import with exactly these bytes, and the one with this credential id."""
    same_bytes = same_id = None
    for row in imported_badges(session, member):
        if same_bytes is None and row.original == data:
            same_bytes = row
        if same_id is None and credential_id and row.credential_id == credential_id:
            same_id = row
    return same_bytes, same_id


def _fill(row: ImportedBadge, data: bytes, report: VerificationReport, now: datetime) -> None:
    row.original = data
    row.media_type = _media_type(data)
    row.report_json = json.dumps(report_json(report), ensure_ascii=False)
    row.valid = report.valid
    row.issuer_name = (report.issuer_name or report.issuer_id or "")[:300]
    row.achievement_name = (report.achievement_name or "")[:300]
    row.verified_at = now


def import_badge(
    session: Session,
    actor: Member,
    data: bytes,
    *,
    now: datetime | None = None,
    fetcher: Fetcher | None = None,
    require_valid: bool = False,
) -> BadgeImport:
    """Verify and keep a badge for ``actor``, once.

    :class:`InvalidInput` (nothing stored) when it holds no badge, designates someone
    else, would replace a kept copy without passing verification, or - with
    ``require_valid`` (the Open Badges API) - fails verification.
    """
    now = now or utcnow()
    if not data.strip():
        raise InvalidInput(_("Choisissez un fichier ou collez un badge."), field="file")
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(_("Fichier trop volumineux (1 Mo au plus)."), field="file")
    data = _fetch_if_url(session, data, fetcher)
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(_("Fichier trop volumineux (1 Mo au plus)."), field="file")
    try:
        report = verify_input(session, data, cluster_id=actor.cluster_id, now=now, fetcher=fetcher)
    except UnusableInput as exc:
        raise InvalidInput(
            _("Ce fichier ne contient pas de badge lisible : %(reason)s", reason=str(exc)),
            field="file",
        ) from exc
    _check_holder(report, actor)
    _lock_imports_of(session, actor)
    same_bytes, same_id = _same_credential(session, actor, data, report.credential_id)
    if same_bytes is not None:
        return BadgeImport(same_bytes, ImportOutcome.UNCHANGED)
    if same_id is not None:
        if not report.valid:
            raise InvalidInput(
                _(
                    "Vous avez déjà importé ce badge ; cette copie ne passe pas la vérification "
                    "et ne remplace pas celle que vous avez : %(reasons)s",
                    reasons=_failures(report),
                ),
                field="file",
            )
        _fill(same_id, data, report, now)
        session.flush()
        return BadgeImport(same_id, ImportOutcome.REPLACED)
    if require_valid and not report.valid:
        raise InvalidInput(
            _("Ce badge ne passe pas la vérification : %(reasons)s", reasons=_failures(report)),
            field="file",
        )
    count = session.execute(
        sa.select(sa.func.count(ImportedBadge.id)).where(ImportedBadge.member_id == actor.id)
    ).scalar_one()
    if count >= MAX_IMPORTS_PER_MEMBER:
        raise InvalidInput(_("Vous avez déjà importé le nombre maximal de badges."))
    imported = ImportedBadge(member_id=actor.id, created_at=now)
    _fill(imported, data, report, now)
    session.add(imported)
    session.flush()
    return BadgeImport(imported, ImportOutcome.CREATED)


def imported_badges(session: Session, actor: Member) -> list[ImportedBadge]:
    return list(
        session.execute(
            sa.select(ImportedBadge)
            .where(ImportedBadge.member_id == actor.id)
            .order_by(ImportedBadge.created_at.desc(), ImportedBadge.id.desc())
        ).scalars()
    )


def own_imported(session: Session, actor: Member, imported_id: int) -> ImportedBadge:
    """One of the actor's imported badges (404 for anyone else's)."""
    imported = session.get(ImportedBadge, imported_id)
    if imported is None or imported.member_id != actor.id:
        raise NotFound(_("Badge introuvable."))
    return imported


def delete_imported(session: Session, actor: Member, imported_id: int) -> None:
    session.delete(own_imported(session, actor, imported_id))
    session.flush()


def download_name(imported: ImportedBadge) -> str:
    extension = {"image/png": "png", "image/svg+xml": "svg", "application/json": "json"}
    return f"badge-importe-{imported.id}.{extension.get(imported.media_type, 'txt')}"


def credential_form(imported: ImportedBadge) -> tuple[str, Any] | None:
    """The imported Open Badges 3.0 credential as the API lists it: ``("json", dict)`` or
    ``("jwt", compact JWS)``; None for an OB 2.0 assertion or anything unreadable."""
    if imported.report.get("format", "").startswith("ob2"):
        return None
    data = imported.original
    kind = badges.detect_image(data)
    try:
        if kind == "png":
            text = badges.extract_png(data)
        elif kind == "svg":
            text = badges.extract_svg(data)
        else:
            text = data.decode("utf-8-sig")
    except (badges.BadgeError, UnicodeDecodeError, ValueError):
        return None
    text = (text or "").strip()
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return ("json", document) if isinstance(document, dict) else None
    return ("jwt", text) if text.count(".") == 2 else None


def export_imported(imported: ImportedBadge) -> dict[str, Any]:
    """An imported badge for the member's data export: what was uploaded and its report."""
    entry: dict[str, Any] = {
        "id": imported.id,
        "credential_id": imported.credential_id,
        "achievement": imported.achievement_name,
        "issuer": imported.issuer_name,
        "valid": imported.valid,
        "verified_at": imported.verified_at.isoformat(),
        "imported_at": imported.created_at.isoformat(),
        "media_type": imported.media_type,
        "report": imported.report,
    }
    if imported.media_type == "image/png":
        entry["content_base64"] = base64.b64encode(imported.original).decode("ascii")
    else:
        entry["content"] = imported.original.decode("utf-8", "replace")
    return entry
