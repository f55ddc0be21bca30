"""Notification fixtures: a settable clock for ``notify`` and helpers to read the outbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import time_machine


class Clock:
    """The instant it is (UTC), standing still: notification tests compare exact due times.

    ``clock.now = ...`` moves the whole process's clock (time-machine), so ``notify`` and
    everything else read the same instant.
    """

    def __init__(self, traveller: time_machine.Traveller) -> None:
        self._traveller = traveller

    @property
    def now(self) -> datetime:
        return datetime.now(UTC)

    @now.setter
    def now(self, value: datetime) -> None:
        self._traveller.move_to(value)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture()
def clock() -> Iterator[Clock]:
    # Monday 2026-11-23 10:00 in Paris (09:00 UTC): inside the default working hours.
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield Clock(traveller)


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
