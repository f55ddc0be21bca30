"""Language selection: French first, English available; the member's choice wins."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask, has_request_context, session
from flask_login import current_user

LANGUAGES = ("fr", "en")

#: Times are stored in UTC and shown in the cluster's time zone.
DISPLAY_TZ = ZoneInfo("Europe/Paris")


def select_locale() -> str:
    if not has_request_context():
        return "fr"
    user = current_user
    if getattr(user, "is_authenticated", False) and getattr(user, "locale", None) in LANGUAGES:
        return str(user.locale)
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return "fr"


def init_app(app: Flask) -> None:
    from flask_babel import get_locale

    @app.context_processor
    def inject_locale() -> dict[str, object]:
        return {"current_lang": str(get_locale() or "fr"), "languages": LANGUAGES}
