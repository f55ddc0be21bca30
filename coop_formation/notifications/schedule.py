"""Right to disconnect as pure functions: when may an e-mail leave, and when is a digest due.

Everything takes and returns timezone-aware UTC datetimes; local reasoning happens in the
policy's time zone (so DST changes and weekends are handled by ``zoneinfo``, not by hand).
Windows are half-open: ``start <= local time < end`` on a working day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Paris"
DEFAULT_DAYS = frozenset({1, 2, 3, 4, 5})
RETRY_BASE = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=6)


@dataclass(frozen=True)
class Window:
    """Working hours of a cluster; ``days`` holds ISO weekdays (1 = Monday … 7 = Sunday)."""

    timezone: str = DEFAULT_TIMEZONE
    days: frozenset[int] = field(default=DEFAULT_DAYS)
    start: time = time(8, 0)
    end: time = time(19, 0)
    digest: time = time(8, 0)

    def __post_init__(self) -> None:
        if not self.days or not self.days <= set(range(1, 8)):
            raise ValueError("working days must be a non-empty subset of 1..7")
        if not self.start < self.end:
            raise ValueError("the window must start before it ends")
        if not self.start <= self.digest < self.end:
            raise ValueError("the digest time must fall inside the window")
        ZoneInfo(self.timezone)  # raises for an unknown zone

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("naive datetime refused: use timezone-aware UTC datetimes")


def _local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """``day`` at ``at`` local time, in UTC (a time skipped by DST resolves forwards)."""
    local = datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(UTC)


def in_window(moment: datetime, window: Window) -> bool:
    """True when an e-mail may leave at ``moment``."""
    _require_aware(moment)
    local = moment.astimezone(window.zone)
    return local.isoweekday() in window.days and window.start <= local.time() < window.end


def _next_daily(moment: datetime, window: Window, at: time) -> datetime:
    """The first instant >= ``moment`` that is ``at`` local time on a working day."""
    local_day = moment.astimezone(window.zone).date()
    for offset in range(0, 9):
        day = local_day + timedelta(days=offset)
        if day.isoweekday() not in window.days:
            continue
        candidate = _local_instant(day, at, window.zone)
        if candidate >= moment:
            return candidate
    raise AssertionError("unreachable: a working day occurs every week")  # pragma: no cover


def next_window_start(moment: datetime, window: Window) -> datetime:
    """``moment`` itself when inside working hours, else the start of the next window."""
    _require_aware(moment)
    if in_window(moment, window):
        return moment.astimezone(UTC)
    return _next_daily(moment, window, window.start)


def next_digest_time(moment: datetime, window: Window) -> datetime:
    """When the digest holding something created at ``moment`` is due (next digest hour)."""
    _require_aware(moment)
    return _next_daily(moment, window, window.digest)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after ``attempts`` failures: 5 min, 10, 20 … capped at 6 h."""
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX)


def next_retry(now: datetime, attempts: int, window: Window) -> datetime:
    """When to try again after the ``attempts``-th failure, inside working hours."""
    return next_window_start(now + retry_delay(attempts), window)
