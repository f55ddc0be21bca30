"""Badges earned elsewhere: a member uploads one (baked image, JSON or JWT), the app
verifies it with the same verifier and keeps it with its report."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from badges import UnusableInput
from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.people.models import Member
from coop_formation.recognition.fetching import Fetcher
from coop_formation.recognition.models import ImportedBadge
from coop_formation.recognition.verification import report_json, verify_input

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORTS_PER_MEMBER = 200


def _media_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    head = data[:2048].lstrip()
    if head.startswith(b"{"):
        return "application/json"
    if b"<svg" in head:
        return "image/svg+xml"
    return "text/plain"


def import_badge(
    session: Session,
    actor: Member,
    data: bytes,
    *,
    now: datetime | None = None,
    fetcher: Fetcher | None = None,
) -> ImportedBadge:
    """Verify and keep a badge for ``actor``; :class:`InvalidInput` if it holds no badge."""
    now = now or utcnow()
    data = data.strip() if not data.startswith(b"\x89PNG") else data
    if not data:
        raise InvalidInput(_("Choisissez un fichier ou collez un badge."), field="file")
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(_("Fichier trop volumineux (1 Mo au plus)."), field="file")
    count = session.execute(
        sa.select(sa.func.count(ImportedBadge.id)).where(ImportedBadge.member_id == actor.id)
    ).scalar_one()
    if count >= MAX_IMPORTS_PER_MEMBER:
        raise InvalidInput(_("Vous avez déjà importé le nombre maximal de badges."))
    try:
        report = verify_input(session, data, cluster_id=actor.cluster_id, now=now, fetcher=fetcher)
    except UnusableInput as exc:
        raise InvalidInput(
            _("Ce fichier ne contient pas de badge lisible : %(reason)s", reason=str(exc)),
            field="file",
        ) from exc
    imported = ImportedBadge(
        member_id=actor.id,
        original=data,
        media_type=_media_type(data),
        report_json=json.dumps(report_json(report), ensure_ascii=False),
        valid=report.valid,
        issuer_name=(report.issuer_name or report.issuer_id or "")[:300],
        achievement_name=(report.achievement_name or "")[:300],
        verified_at=now,
        created_at=now,
    )
    session.add(imported)
    session.flush()
    return imported


def imported_badges(session: Session, actor: Member) -> list[ImportedBadge]:
    return list(
        session.execute(
            sa.select(ImportedBadge)
            .where(ImportedBadge.member_id == actor.id)
            .order_by(ImportedBadge.created_at.desc())
        ).scalars()
    )


def delete_imported(session: Session, actor: Member, imported_id: int) -> None:
    imported = session.get(ImportedBadge, imported_id)
    if imported is None or imported.member_id != actor.id:
        raise NotFound(_("Badge introuvable."))
    session.delete(imported)
    session.flush()
