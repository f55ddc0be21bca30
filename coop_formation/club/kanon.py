"""Statistical disclosure control for every aggregate the HR club and correspondents see or export.

The method is the one national statistics offices use for tables they publish on demand
(ABS TableBuilder, ONS census tables, Stats NZ "RR3"): a threshold plus **cell-key random
rounding to base 5**.

1. A cell counting people is shown only when it counts at least ``K`` (5) people; any
   value from 0 to 4 is masked alike (shown "< 5", exported empty), so a masked cell
   never tells "nobody" from "a few".
2. Every other count is published rounded to a multiple of ``BASE`` (5), never below 5.
   Whether it is rounded up or down is decided by the *cell key*: each person has a fixed
   pseudo-random record key (a keyed hash of their id with the application's secret), and
   the cell key is the sum of the record keys of the people the cell counts, modulo 1. A
   count ``n = 5q + r`` is rounded up with probability ``r / 5`` (unbiased on average), and
   the same set of people always gives the same published value, in any page or CSV,
   whatever the query that produced it, so repeating or varying a query averages nothing.
3. Two published counts therefore always differ by 0 or at least 5: no difference between
   two periods, two company groups or a total and its parts can show 1 to 4 people, and a
   difference of 5 does not say whether 1 or 9 people lie behind it. A total is rounded on
   its own (it is not the sum of the rounded cells), so no cell needs masking to protect
   another.
4. A rate is computed from the published (rounded) count, and masked with it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app, has_app_context
from flask_babel import gettext as _

K = 5
BASE = 5
_KEY_SPACE = 2**64

SMALL = "small"
COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class Cell:
    """A published count: ``value`` is None when masked, ``reason`` says why."""

    value: int | None
    reason: str | None = None

    @property
    def masked(self) -> bool:
        return self.value is None

    def display(self) -> str:
        """The text a page shows: the number, "< 5", or "n.d." (masked to protect another)."""
        if self.value is not None:
            return str(self.value)
        if self.reason == COMPLEMENTARY:
            return _("n.d.")
        return f"< {K}"

    def csv(self) -> str:
        """What a CSV export writes: the number, or an empty field when masked."""
        return "" if self.value is None else str(self.value)

    def __str__(self) -> str:
        return self.display()


def _secret() -> bytes:
    secret = current_app.config.get("SECRET_KEY") if has_app_context() else None
    return str(secret or "coop-formation-cell-key").encode()


def record_key(member_id: int, secret: bytes | None = None) -> int:
    """A person's fixed record key, uniform in ``[0, 2**64)`` (a keyed hash of their id)."""
    digest = hmac.new(secret or _secret(), str(member_id).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def cell_key(member_ids: Iterable[int], secret: bytes | None = None) -> float:
    """The cell key of a set of people: the sum of their record keys, modulo 1, in ``[0, 1)``."""
    secret = secret or _secret()
    total = sum(record_key(member_id, secret) for member_id in set(member_ids))
    return (total % _KEY_SPACE) / _KEY_SPACE


def rounded(count: int, key: float) -> int:
    """``count`` randomly rounded to base 5 by ``key``: up with probability (count mod 5) / 5."""
    rest = count % BASE
    if rest == 0:
        return count
    return count - rest + (BASE if key < rest / BASE else 0)


def count_cell(count: int, key: float | None = None) -> Cell:
    """Publish a count of people: masked under ``K``, otherwise rounded to base 5.

    ``key`` is the cell key of the people counted (:func:`people_cell` computes it); without
    one (a count whose people are not known) the count is rounded to the nearest multiple.
    """
    if count < K:
        return Cell(None, SMALL)
    if key is None:
        key = 0.5
    return Cell(max(K, rounded(count, key)))


def people_cell(member_ids: Iterable[int], secret: bytes | None = None) -> Cell:
    """Publish the number of distinct people in ``member_ids`` (threshold + cell-key rounding)."""
    people = set(member_ids)
    if len(people) < K:
        return Cell(None, SMALL)
    return count_cell(len(people), cell_key(people, secret))


@dataclass(frozen=True)
class RateCell:
    """A percentage derived from a published count; masked whenever its count is."""

    percent: Decimal | None
    reason: str | None = None

    @property
    def masked(self) -> bool:
        return self.percent is None

    def display(self) -> str:
        if self.percent is None:
            return _("n.d.") if self.reason != SMALL else f"< {K}"
        return f"{self.percent} %".replace(".", ",")

    def csv(self) -> str:
        return "" if self.percent is None else str(self.percent)

    def __str__(self) -> str:
        return self.display()


def rate_cell(numerator: Cell, denominator: int | None) -> RateCell:
    """``numerator / denominator`` as a percentage with one decimal, or masked.

    Masked when the numerator is masked (the rate would give it back) or when the
    denominator is unknown or zero.
    """
    if numerator.value is None:
        return RateCell(None, numerator.reason)
    if not denominator or denominator <= 0:
        return RateCell(None, None)
    percent = (Decimal(numerator.value) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return RateCell(percent)


def csv_note() -> str:
    """The note every club CSV ends with, explaining its empty cells."""
    return _(
        "Les cases vides comptent moins de 5 personnes (k-anonymat, k = 5). Les autres "
        "chiffres sont arrondis à un multiple de 5 par la méthode de la clé de cellule : "
        "deux chiffres diffèrent toujours de 0 ou d'au moins 5 personnes."
    )
