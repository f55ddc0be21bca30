"""Configuration: defaults plus ``COOP_*`` environment variables.

This is the only module that reads ``os.environ``; everything else reads ``app.config``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import overload

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"

_BOOL_TRUE = {"1", "true", "yes", "on", "oui"}


@overload
def _env(name: str, default: str) -> str: ...
@overload
def _env(name: str, default: None = None) -> str | None: ...
def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"COOP_{name}")
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    return default if value is None else value.strip().lower() in _BOOL_TRUE


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"COOP_{name} doit être un nombre entier (reçu {value!r})") from exc


def instance_path() -> Path:
    return Path(_env("INSTANCE_PATH", str(DEFAULT_INSTANCE)))


def default_database_url() -> str:
    return f"sqlite:///{instance_path() / 'coop_formation.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings() -> dict[str, object]:
    """Build the Flask config mapping from the environment (called once by create_app)."""
    instance = instance_path()
    secret = _env("SECRET_KEY")
    settings: dict[str, object] = {
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            _env("DATABASE_URL") or default_database_url()
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": secret,
        "SECRET_KEY_FROM_ENV": secret is not None,
        "BASE_URL": (_env("BASE_URL", "http://127.0.0.1:5000") or "").rstrip("/"),
        "REDIS_URL": _env("REDIS_URL"),
        "MAIL_SERVER": _env("MAIL_SERVER"),
        "MAIL_PORT": _env_int("MAIL_PORT", 587),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", True),
        "MAIL_SENDER": _env("MAIL_SENDER", "coop-formation@localhost"),
        "MAIL_OUTBOX": _env("MAIL_OUTBOX", str(instance / "outbox")),
        "KEY_ENCRYPTION_SECRET": _env("KEY_ENCRYPTION_SECRET"),
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "BABEL_DEFAULT_LOCALE": _env("DEFAULT_LOCALE", "fr"),
        "PAGE_SIZE": _env_int("PAGE_SIZE", 20),
        "INVITATION_DAYS": _env_int("INVITATION_DAYS", 14),
        "RESET_TOKEN_MINUTES": _env_int("RESET_TOKEN_MINUTES", 60),
    }
    return settings


class Defaults:
    """Settings that are not configurable per deployment."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "coop_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    LANGUAGES = ("fr", "en")
    JSON_SORT_KEYS = False
