"""The issuer's signing keys: created lazily, stored encrypted, rotated, published.

The app is one ``did:web`` issuer (from ``BASE_URL``). Private keys are encrypted with a
passphrase derived (HKDF-SHA256) from ``KEY_ENCRYPTION_SECRET``, or from ``SECRET_KEY``
when that is unset (demo, development: logged as a warning). Retired keys stay in the DID
document and the JWKS so older credentials keep verifying; compromised keys do not.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy.orm import Session

import badges
from badges.keys import public_key_from_multibase
from coop_formation.db import utcnow
from coop_formation.recognition.models import IssuerKey

_DECRYPTED: dict[str, badges.IssuerKey] = {}
_WARNED: set[int] = set()


def base_url() -> str:
    """The public root of the app (``COOP_BASE_URL``), without trailing slash."""
    return str(current_app.config["BASE_URL"]).rstrip("/")


def issuer_did() -> str:
    """The app's issuer DID: ``did:web`` of ``BASE_URL``."""
    return badges.url_to_did_web(base_url())


def _passphrase() -> bytes:
    secret = current_app.config.get("KEY_ENCRYPTION_SECRET")
    if not secret:
        if id(current_app._get_current_object()) not in _WARNED:  # type: ignore[attr-defined]
            _WARNED.add(id(current_app._get_current_object()))  # type: ignore[attr-defined]
            current_app.logger.warning(
                "COOP_KEY_ENCRYPTION_SECRET is not set: issuer keys are encrypted with a key "
                "derived from SECRET_KEY (acceptable for a demo, not for production)"
            )
        secret = current_app.config["SECRET_KEY"]
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"coop-formation", info=b"issuer-keys"
    ).derive(str(secret).encode("utf-8"))
    return base64.urlsafe_b64encode(derived)


def _to_badges_key(row: IssuerKey) -> badges.IssuerKey:
    cache_key = hashlib.sha256(f"{row.key_id}\n{row.private_key_pem}".encode()).hexdigest()
    key = _DECRYPTED.get(cache_key)
    if key is None:
        private = badges.load_private_key(row.private_key_pem, _passphrase())
        key = badges.IssuerKey(row.key_id, private)
        _DECRYPTED[cache_key] = key
    return key


def _new_key_row(session: Session, now: datetime) -> IssuerKey:
    did = issuer_did()
    private = badges.generate_ed25519_key()
    key_id = f"{did}#key-{now:%Y%m%d}-{secrets.token_hex(3)}"
    row = IssuerKey(
        controller=did,
        key_id=key_id,
        public_key_multibase=badges.public_key_multibase(private.public_key()),
        public_jwk=json.dumps(badges.public_jwk(private.public_key(), key_id)),
        private_key_pem=badges.private_key_to_pem(private, _passphrase()).decode("ascii"),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def active_key(session: Session) -> tuple[IssuerKey, badges.IssuerKey]:
    """The newest usable key of the current DID, created on first use."""
    row = session.execute(
        sa.select(IssuerKey)
        .where(
            IssuerKey.controller == issuer_did(),
            IssuerKey.retired_at.is_(None),
            IssuerKey.compromised_at.is_(None),
        )
        .order_by(IssuerKey.created_at.desc(), IssuerKey.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        row = _new_key_row(session, utcnow())
    return row, _to_badges_key(row)


def rotate_key(session: Session, *, now: datetime | None = None) -> IssuerKey:
    """Retire the active key(s) and add a new one; retired keys stay published."""
    now = now or utcnow()
    session.execute(
        sa.update(IssuerKey)
        .where(IssuerKey.controller == issuer_did(), IssuerKey.retired_at.is_(None))
        .values(retired_at=now)
    )
    return _new_key_row(session, now)


def published_keys(session: Session) -> list[IssuerKey]:
    """Every key of the current DID that has not been declared compromised."""
    return list(
        session.execute(
            sa.select(IssuerKey)
            .where(IssuerKey.controller == issuer_did(), IssuerKey.compromised_at.is_(None))
            .order_by(IssuerKey.created_at, IssuerKey.id)
        ).scalars()
    )


def did_document(session: Session) -> dict[str, Any]:
    """The ``did:web`` document listing every published key as an assertion method."""
    rows = published_keys(session)
    keys = [(r.key_id, public_key_from_multibase(r.public_key_multibase)) for r in rows]
    return badges.build_did_document(issuer_did(), keys)


def jwks_document(session: Session) -> dict[str, Any]:
    """The JWKS of every published key (``kid`` = verification method id)."""
    return {"keys": [json.loads(r.public_jwk) for r in published_keys(session)]}
