"""Notification fixtures: a settable clock for ``notify`` and helpers to read the outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from coop_formation.notifications import services


class Clock:
    """The instant ``notify`` believes it is (UTC); tests move it by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # Monday 2026-11-23 10:00 in Paris (09:00 UTC): inside the default working hours.
    value = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(services, "utcnow", value)
    return value


def read_outbox(outbox: Path) -> list[EmailMessage]:
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sorted(outbox.iterdir())
    ]


@pytest.fixture()
def mails(outbox: Path) -> Callable[[], list[EmailMessage]]:
    return lambda: read_outbox(outbox)


def paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Paris wall-clock time as aware UTC."""
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
