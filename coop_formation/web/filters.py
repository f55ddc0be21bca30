"""Every template filter and template global of the platform, registered in one place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date, format_time
from flask import Flask
from flask_babel import get_locale

from coop_formation.authz import Permission, can
from coop_formation.i18n import DISPLAY_TZ
from coop_formation.money import format_amount, hours_text
from coop_formation.web.current import acting_member_or_none


def _locale() -> str:
    return str(get_locale() or "fr")


def paris_date(value: datetime) -> str:
    """``mardi 3 juin 2025`` in the reader's language, Europe/Paris time."""
    return format_date(value.astimezone(DISPLAY_TZ), format="full", locale=_locale())


def paris_time(value: datetime) -> str:
    return format_time(value.astimezone(DISPLAY_TZ), format="HH:mm", locale=_locale())


def minutes_as_hours(minutes: int) -> str:
    whole, rest = divmod(int(minutes), 60)
    return f"{whole} h {rest:02d}" if rest else f"{whole} h"


def credits(
    amount: int | None, minor_per_unit: int = 100, unit_code: str = "CF", signed: bool = False
) -> str:
    """``{{ 1250|credits }}`` → ``12,50 CF`` (``signed=True`` adds ``+`` to gains)."""
    if amount is None:
        return "—"
    text = format_amount(amount, minor_per_unit, unit_code)
    return f"+{text}" if signed and amount > 0 else text


def hours(value: Any) -> str:
    return hours_text(value)


def may(permission: str, target: Any = None) -> bool:
    """``{% if can("need:edit", need) %}``: the registry's answer for the reader."""
    return can(acting_member_or_none(), Permission(permission), target)


def init_app(app: Flask) -> None:
    app.add_template_filter(paris_date, "paris_date")
    app.add_template_filter(paris_time, "paris_time")
    app.add_template_filter(minutes_as_hours, "minutes_as_hours")
    app.add_template_filter(credits, "credits")
    app.add_template_filter(hours, "hours")
    app.add_template_global(may, "can")
