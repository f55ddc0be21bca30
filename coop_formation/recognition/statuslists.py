"""Revocation status lists (W3C Bitstring Status List), kept in the database.

Each credential gets a random free index (herd privacy: neighbours in the list say
nothing about issuance order). The signed list credential is re-signed and stored each
time a bit changes, so ``/status/<id>`` only reads.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

import badges
from coop_formation.db import utcnow
from coop_formation.errors import NotFound
from coop_formation.recognition.keys import active_key, base_url, issuer_did
from coop_formation.recognition.models import Credential, StatusListRow

#: leave a quarter of each list unused so random allocation stays cheap
FILL_LIMIT = 0.75


def status_list_url(row: StatusListRow) -> str:
    return f"{base_url()}/status/{row.id}"


def _sign(session: Session, row: StatusListRow, now: datetime) -> None:
    unsigned = badges.build_status_list_credential(
        list_url=status_list_url(row),
        issuer_id=issuer_did(),
        status_list=badges.StatusList.decode(row.encoded),
        valid_from=now,
        purpose=row.purpose,
    )
    _row, key = active_key(session)
    row.signed_document = json.dumps(badges.sign_credential(unsigned, key, created=now))
    row.updated_at = now


def _open_list(session: Session) -> StatusListRow:
    row = session.execute(
        sa.select(StatusListRow)
        .where(StatusListRow.used < StatusListRow.size * FILL_LIMIT)
        .order_by(StatusListRow.id)
        .limit(1)
        .with_for_update()
    ).scalar_one_or_none()
    if row is None:
        row = StatusListRow(encoded=badges.StatusList().encode(), size=badges.status.MIN_ENTRIES)
        session.add(row)
        session.flush()
        _sign(session, row, utcnow())
    return row


def allocate_index(session: Session) -> tuple[StatusListRow, int]:
    """A list and a random index not used by any credential in it (row-locked)."""
    row = _open_list(session)
    while True:
        index = secrets.randbelow(row.size)
        taken = session.execute(
            sa.select(Credential.id).where(
                Credential.status_list_id == row.id, Credential.status_index == index
            )
        ).first()
        if taken is None:
            row.used += 1
            return row, index


def set_revoked(session: Session, row: StatusListRow, index: int, *, now: datetime) -> None:
    """Flip bit ``index`` and publish the re-signed list."""
    locked = session.execute(
        sa.select(StatusListRow).where(StatusListRow.id == row.id).with_for_update()
    ).scalar_one()
    bits = badges.StatusList.decode(locked.encoded)
    bits.set(index, True)
    locked.encoded = bits.encode()
    _sign(session, locked, now)


def status_list_document(session: Session, list_id: int) -> dict[str, Any]:
    """The signed status list credential as last published."""
    row = session.get(StatusListRow, list_id)
    if row is None or not row.signed_document:
        raise NotFound(_("Liste de statut introuvable."))
    return json.loads(row.signed_document)
