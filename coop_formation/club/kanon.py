"""k-anonymity for every aggregate the HR club and correspondents see or export.

One rule, applied by every page and CSV of the club domain:

1. A cell counting people is shown only when it counts at least ``K`` (5) people; any
   value from 0 to 4 is masked alike (shown "< 5", exported empty), so a masked cell
   never tells "nobody" from "a few".
2. An aggregate that groups other cells (a cluster total over companies, a skills domain
   over its skills) is shown only when none of the cells it groups is masked; otherwise
   it is masked too ("n.d."), so a masked cell can never be recovered by subtracting the
   visible cells from a total.
3. A count over a group of companies is the sum of each company's own count (a member
   belongs to one company). It is shown only when every company's own count is 0 or at
   least ``K``; otherwise it is masked ("n.d."), because the difference between two
   company groups (with and without one company) would give that company's count back.
   (Such a difference can at most show that a company counts nobody, never 1 to 4.)
4. A rate derived from a masked count is masked as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

K = 5

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


def count_cell(count: int) -> Cell:
    """Publish a count of people: masked when it counts fewer than ``K``."""
    if count < K:
        return Cell(None, SMALL)
    return Cell(count)


def group_cell(count: int, parts: Iterable[Cell]) -> Cell:
    """Publish an aggregate of ``parts``: masked if small or if any part is masked."""
    cell = count_cell(count)
    if cell.masked:
        return cell
    if any(part.masked for part in parts):
        return Cell(None, COMPLEMENTARY)
    return cell


def companies_cell(per_company: Iterable[int]) -> Cell:
    """Publish a count made of per-company counts (rule 3): masked if any of them is 1 to 4."""
    parts = list(per_company)
    cell = count_cell(sum(parts))
    if cell.masked:
        return cell
    if any(0 < part < K for part in parts):
        return Cell(None, COMPLEMENTARY)
    return cell


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
        "Les cases vides comptent moins de 5 personnes, ou sont masquées pour qu'on ne "
        "puisse pas retrouver une case de moins de 5 personnes par différence "
        "(k-anonymat, k = 5)."
    )
