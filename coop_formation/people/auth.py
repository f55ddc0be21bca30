"""Authentication plumbing: password hashing (argon2id) and the Flask-Login user loader."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from coop_formation.extensions import db
from coop_formation.people.models import Member

_hasher = PasswordHasher()
# A hash of a random password, verified when the e-mail is unknown so that timing does not
# reveal which addresses have an account.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing-only")

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "people.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_member(user_id: str) -> Member | None:
        try:
            member_id, version = (int(part) for part in user_id.split(":", 1))
        except ValueError:
            return None
        member = db.session.get(Member, member_id)
        if member is None or member.session_version != version or not member.is_active:
            return None
        return member
