"""Account services: sign-in, one-time links (invitation, password reset), password changes.

Secrets of one-time links are never stored: only their SHA-256 is. A link works once and
until it expires; changing a password bumps ``session_version`` so every other session ends.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.people.auth import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from coop_formation.people.mails import OutgoingMail, invitation_mail, password_reset_mail
from coop_formation.people.models import Member, OneTimeToken, TokenPurpose

MAX_PASSWORD_LENGTH = 200


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_member_by_email(session: Session, email: str) -> Member | None:
    return session.scalar(sa.select(Member).where(Member.email == normalise_email(email)))


def authenticate(session: Session, email: str, password: str) -> Member | None:
    """The member whose e-mail and password match, or None; same work whether or not it exists.

    On success records ``last_login_at`` and upgrades the hash when argon2 parameters changed.
    """
    member = find_member_by_email(session, email) if email else None
    usable = member is not None and not member.is_closed
    password_hash = member.password_hash if usable and member is not None else None
    if not verify_password(password_hash, password) or member is None or not member.is_active:
        return None
    if needs_rehash(member.password_hash or ""):
        member.password_hash = hash_password(password)
    member.last_login_at = utcnow()
    session.flush()
    return member


def validate_new_password(password: str, confirm: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("Le mot de passe doit compter au moins %(n)s caractères.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(_("Ce mot de passe est trop long."), field="password")
    if password != confirm:
        raise InvalidInput(_("Les deux mots de passe ne sont pas identiques."), field="confirm")


def set_password(session: Session, member: Member, password: str) -> None:
    """Store a new password and end every session opened with the old one."""
    member.password_hash = hash_password(password)
    member.session_version += 1
    session.flush()


# One-time links ------------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(
    session: Session, member: Member, purpose: TokenPurpose, lifetime: timedelta
) -> str:
    """A new one-time link secret for ``member``; older unused ones of that kind stop working."""
    now = utcnow()
    session.execute(
        sa.update(OneTimeToken)
        .where(
            OneTimeToken.member_id == member.id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        OneTimeToken(
            member_id=member.id,
            purpose=purpose,
            token_hash=_hash_token(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def find_valid_token(session: Session, token: str, purpose: TokenPurpose) -> OneTimeToken:
    """The unused, unexpired token for this secret, or ``NotFound``."""
    if not token or len(token) > 200:
        raise NotFound(_("Ce lien n'est pas valable : il a expiré ou a déjà servi."))
    row = session.scalar(
        sa.select(OneTimeToken).where(
            OneTimeToken.token_hash == _hash_token(token), OneTimeToken.purpose == purpose
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or row.member.is_closed:
        raise NotFound(_("Ce lien n'est pas valable : il a expiré ou a déjà servi."))
    return row


def _use_token(
    session: Session, token: str, purpose: TokenPurpose, password: str, confirm: str
) -> Member:
    row = find_valid_token(session, token, purpose)
    validate_new_password(password, confirm)
    # Claimed atomically: of several submissions of one link, only one finds it unused.
    claimed = cast(
        "sa.CursorResult[Any]",
        session.execute(
            sa.update(OneTimeToken)
            .where(OneTimeToken.id == row.id, OneTimeToken.used_at.is_(None))
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed.rowcount != 1:
        raise NotFound(_("Ce lien n'est pas valable : il a expiré ou a déjà servi."))
    session.refresh(row)
    member = row.member
    set_password(session, member, password)
    if member.activated_at is None:
        member.activated_at = utcnow()
    session.flush()
    return member


def end_session(session: Session, member: Member) -> None:
    """Sign-out ends the session on the server: every cookie issued before it is refused.

    The cookie carries ``session_version``; bumping it ends this member's sessions on every
    device at once (the simple, safe choice: a copied cookie can never outlive a sign-out).
    """
    member.session_version += 1
    session.flush()


def invitation_lifetime() -> timedelta:
    return timedelta(days=int(current_app.config["INVITATION_DAYS"]))


def reset_lifetime() -> timedelta:
    return timedelta(minutes=int(current_app.config["RESET_TOKEN_MINUTES"]))


def create_invitation(session: Session, member: Member) -> OutgoingMail:
    """A fresh invitation link for a member who has not activated their account yet."""
    if member.is_closed:
        raise NotFound()
    if member.is_activated:
        raise InvalidInput(_("Ce compte est déjà activé."))
    token = issue_token(session, member, TokenPurpose.INVITATION, invitation_lifetime())
    return invitation_mail(
        member.email,
        member.display_name,
        token,
        int(current_app.config["INVITATION_DAYS"]),
        member.locale,
    )


def accept_invitation(session: Session, token: str, password: str, confirm: str) -> Member:
    """Choose a password through an invitation link: the account becomes active.

    ``member_activated`` is sent in the same transaction: the ledger grants a member of a
    company the cooperative fund's welcome grant (idempotent: a second activation grants
    nothing more).
    """
    member = _use_token(session, token, TokenPurpose.INVITATION, password, confirm)
    events.member_activated.send(session, member=member)
    return member


def _prepare_reset_mail(email: str, name: str, token: str, locale: str | None) -> OutgoingMail:
    """The reset mail's costly preparation, done for known and unknown addresses alike."""
    _hash_token(token)
    return password_reset_mail(
        email, name, token, int(current_app.config["RESET_TOKEN_MINUTES"]), locale
    )


def request_password_reset(session: Session, email: str) -> OutgoingMail | None:
    """A reset mail when the e-mail belongs to an open account; None otherwise (say nothing).

    An unknown address costs the same work (a token drawn and hashed, a mail prepared and
    dropped) so that the answer's timing does not tell which addresses have an account.
    """
    member = find_member_by_email(session, email) if email else None
    if member is None or member.is_closed:
        _prepare_reset_mail(
            normalise_email(email) or "inconnu@invalid", "", secrets.token_urlsafe(32), None
        )
        return None
    token = issue_token(session, member, TokenPurpose.PASSWORD_RESET, reset_lifetime())
    return _prepare_reset_mail(member.email, member.display_name, token, member.locale)


def reset_password(session: Session, token: str, password: str, confirm: str) -> Member:
    """Choose a new password through a reset link; other sessions end."""
    return _use_token(session, token, TokenPurpose.PASSWORD_RESET, password, confirm)
