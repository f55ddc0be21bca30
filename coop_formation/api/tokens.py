"""Personal API tokens and bearer-token lookup for ``/api/v1`` and the Open Badges API.

A token is shown once when created; only its SHA-256 digest is stored. Lookups hash the
presented token and compare digests, so the database never holds a usable secret.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz
from coop_formation.api.models import OAuthToken, PersonalToken, digest
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.people.models import Member

PERSONAL_PREFIX = "cfp_"
SCOPE_CREDENTIALS_READ = "credentials:read"
SCOPE_PROFILE_READ = "profile:read"
PERSONAL_SCOPES = (SCOPE_CREDENTIALS_READ, SCOPE_PROFILE_READ)
DEFAULT_DAYS = 90
MAX_DAYS = 366


@dataclass(frozen=True)
class CreatedToken:
    """The one moment the clear token exists: returned to be printed, never stored."""

    token: str
    record: PersonalToken


def create_personal_token(
    session: Session,
    member: Member,
    scopes: list[str] | tuple[str, ...] | None = None,
    *,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> CreatedToken:
    """Create a token for ``member`` with ``scopes`` (all personal scopes by default)."""
    wanted = sorted(set(scopes or PERSONAL_SCOPES))
    unknown = [s for s in wanted if s not in PERSONAL_SCOPES]
    if unknown:
        raise InvalidInput(_("Portée inconnue : %(scope)s", scope=", ".join(unknown)))
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(_("La durée doit être comprise entre 1 et %(max)s jours.", max=MAX_DAYS))
    if member.is_closed:
        raise NotFound(_("Membre introuvable."))
    now = now or utcnow()
    token = PERSONAL_PREFIX + secrets.token_urlsafe(32)
    record = PersonalToken(
        member_id=member.id,
        token_hash=digest(token),
        prefix=token[:12],
        scopes=" ".join(wanted),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(record)
    session.flush()
    return CreatedToken(token=token, record=record)


def revoke_personal_token(session: Session, actor: Member, token_id: int) -> None:
    """The owner (or an admin) revokes a token; revoking twice is harmless."""
    record = session.get(PersonalToken, token_id)
    if record is None or not authz.can(actor, Permission.API_TOKEN_REVOKE, record):
        raise NotFound(_("Jeton introuvable."))
    if record.revoked_at is None:
        record.revoked_at = utcnow()
    session.flush()


def revoke_token_by_id(session: Session, token_id: int) -> None:
    """Operator revocation (CLI): no actor, the command line is trusted."""
    record = session.get(PersonalToken, token_id)
    if record is None:
        raise NotFound(_("Jeton introuvable."))
    record.revoked_at = record.revoked_at or utcnow()
    session.flush()


def personal_tokens(session: Session, actor: Member) -> list[PersonalToken]:
    return list(
        session.scalars(
            sa.select(PersonalToken)
            .where(PersonalToken.member_id == actor.id)
            .order_by(PersonalToken.created_at.desc())
        )
    )


class TokenRejected(Exception):
    """The bearer token is missing, unknown, expired, revoked or lacks a scope."""

    def __init__(self, reason: str, *, status: int = 401) -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


@dataclass(frozen=True)
class Bearer:
    """Who a valid bearer token speaks for, and what it may do."""

    member: Member
    scopes: frozenset[str]


def _usable_member(member: Member | None) -> Member:
    if member is None or member.is_closed:
        raise TokenRejected(_("Le compte de ce jeton est fermé."))
    return member


def authenticate_personal(
    session: Session, token: str, required: str, *, now: datetime | None = None
) -> Bearer:
    """The member behind a personal token holding ``required``, else :class:`TokenRejected`."""
    record = session.scalar(
        sa.select(PersonalToken).where(PersonalToken.token_hash == digest(token))
    )
    now = now or utcnow()
    if record is None:
        raise TokenRejected(_("Jeton inconnu."))
    if record.revoked_at is not None:
        raise TokenRejected(_("Ce jeton a été révoqué."))
    if record.expires_at <= now:
        raise TokenRejected(_("Ce jeton a expiré."))
    if required not in record.scope_set:
        raise TokenRejected(_("Ce jeton n'a pas la portée %(scope)s.", scope=required), status=403)
    record.last_used_at = now
    return Bearer(member=_usable_member(record.member), scopes=record.scope_set)


def authenticate_oauth(session: Session, token: str, required: str) -> Bearer:
    """The member behind an OAuth 2.0 access token holding ``required``."""
    record = session.scalar(
        sa.select(OAuthToken).where(OAuthToken.access_token_hash == digest(token))
    )
    if record is None:
        raise TokenRejected(_("Jeton inconnu."))
    if record.is_revoked():
        raise TokenRejected(_("Ce jeton a été révoqué."))
    if record.is_expired():
        raise TokenRejected(_("Ce jeton a expiré."))
    if required not in record.scope_set:
        raise TokenRejected(_("Ce jeton n'a pas la portée %(scope)s.", scope=required), status=403)
    return Bearer(member=_usable_member(record.member), scopes=record.scope_set)


def revoke_oauth_token(record: OAuthToken, *, access_only: bool = False) -> None:
    """Revoke an access token (and, unless ``access_only``, its refresh token)."""
    stamp = int(time.time())
    record.access_token_revoked_at = record.access_token_revoked_at or stamp
    if not access_only:
        record.refresh_token_revoked_at = record.refresh_token_revoked_at or stamp
