"""Amounts as people read and write them: ``12,50 CF``, ``−5,00 CF``, ``1 234,00 CF``.

Amounts are integers of minor units everywhere in code; these helpers are the only place
that turns them into text and back (never through floats).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MINUS = "\u2212"  # typographic minus, as French typography writes negative amounts
NARROW_NBSP = "\u202f"  # thousands separator
NBSP = "\u00a0"  # between the number and the unit code


def _decimals(minor_per_unit: int) -> int:
    digits = 0
    value = minor_per_unit
    while value > 1 and value % 10 == 0:
        value //= 10
        digits += 1
    return digits


def format_amount(amount: int, minor_per_unit: int = 100, unit_code: str | None = "CF") -> str:
    """``1250`` → ``12,50 CF`` (French separators, typographic minus, exact integer arithmetic)."""
    negative = amount < 0
    whole, frac = divmod(abs(int(amount)), minor_per_unit)
    digits = _decimals(minor_per_unit)
    grouped = f"{whole:,}".replace(",", NARROW_NBSP)
    text = grouped + ("," + str(frac).zfill(digits) if digits else "")
    if negative:
        text = MINUS + text
    return f"{text}{NBSP}{unit_code}" if unit_code else text


def format_plain(amount: int, minor_per_unit: int = 100) -> str:
    """``-1250`` → ``-12,50`` for CSV files and form fields (ASCII minus, no grouping)."""
    negative = amount < 0
    whole, frac = divmod(abs(int(amount)), minor_per_unit)
    digits = _decimals(minor_per_unit)
    text = str(whole) + ("," + str(frac).zfill(digits) if digits else "")
    return "-" + text if negative else text


_CLEAN = re.compile(r"[\s\u00a0\u202f]")


def parse_amount(text: str, minor_per_unit: int = 100) -> int:
    """``"-5"``, ``"−5,00"``, ``"2.5"`` → minor units; ValueError when not an exact amount."""
    cleaned = _CLEAN.sub("", text or "").replace(MINUS, "-").replace(",", ".")
    for code in ("CF",):
        if cleaned.upper().endswith(code):
            cleaned = cleaned[: -len(code)]
    if not cleaned or not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    try:
        value = Decimal(cleaned) * minor_per_unit
    except InvalidOperation as exc:  # pragma: no cover - the regex already filters
        raise ValueError(text) from exc
    if value != value.to_integral_value():
        raise ValueError(text)
    return int(value)


def hours_text(value: Decimal) -> str:
    """``Decimal('12.5')`` → ``12,5`` (no trailing zeros)."""
    quantized = value.quantize(Decimal("0.01")).normalize()
    text = format(quantized, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", MINUS)
