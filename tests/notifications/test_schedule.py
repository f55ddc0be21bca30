"""Right to disconnect, as pure functions: weekends, evenings, exact boundaries, DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from coop_formation.notifications.schedule import (
    Window,
    in_window,
    next_digest_time,
    next_retry,
    next_window_start,
    retry_delay,
)
from tests.notifications.conftest import paris

DEFAULT = Window()


def test_inside_working_hours_sends_now():
    moment = paris(2026, 11, 24, 10, 30)
    assert next_window_start(moment, DEFAULT) == moment


def test_at_21h_waits_for_next_morning_8h():
    assert next_window_start(paris(2026, 11, 24, 21), DEFAULT) == paris(2026, 11, 25, 8)


def test_before_8h_waits_until_8h_same_day():
    assert next_window_start(paris(2026, 11, 24, 6, 15), DEFAULT) == paris(2026, 11, 24, 8)


def test_saturday_waits_for_monday_morning():
    assert next_window_start(paris(2026, 11, 28, 11), DEFAULT) == paris(2026, 11, 30, 8)


def test_friday_evening_waits_for_monday_morning():
    assert next_window_start(paris(2026, 11, 27, 19), DEFAULT) == paris(2026, 11, 30, 8)


def test_exact_boundaries_start_is_in_end_is_out():
    assert in_window(paris(2026, 11, 24, 8, 0), DEFAULT)
    assert in_window(paris(2026, 11, 24, 18, 59) + timedelta(seconds=59), DEFAULT)
    assert not in_window(paris(2026, 11, 24, 19, 0), DEFAULT)
    assert not in_window(paris(2026, 11, 24, 7, 59) + timedelta(seconds=59), DEFAULT)
    assert next_window_start(paris(2026, 11, 24, 19, 0), DEFAULT) == paris(2026, 11, 25, 8)


def test_spring_dst_change_monday_8h_is_6h_utc():
    # Last Sunday of March 2026 is the 29th: Paris moves from UTC+1 to UTC+2.
    friday_evening = paris(2026, 3, 27, 20)
    assert friday_evening == datetime(2026, 3, 27, 19, tzinfo=UTC)
    assert next_window_start(friday_evening, DEFAULT) == datetime(2026, 3, 30, 6, tzinfo=UTC)


def test_autumn_dst_change_monday_8h_is_7h_utc():
    # Last Sunday of October 2026 is the 25th: Paris moves from UTC+2 to UTC+1.
    friday_evening = paris(2026, 10, 23, 20)
    assert friday_evening == datetime(2026, 10, 23, 18, tzinfo=UTC)
    assert next_window_start(friday_evening, DEFAULT) == datetime(2026, 10, 26, 7, tzinfo=UTC)


def test_window_on_the_dst_sunday_itself():
    every_day = Window(days=frozenset(range(1, 8)))
    # 2026-03-29 01:30 UTC is 03:30 local (just after the jump): next start is 08:00 CEST.
    assert next_window_start(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), every_day) == datetime(
        2026, 3, 29, 6, tzinfo=UTC
    )
    # 2026-10-25 00:30 UTC is 02:30 CEST (the first of the two 02:30s): next start 08:00 CET.
    assert next_window_start(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), every_day) == datetime(
        2026, 10, 25, 7, tzinfo=UTC
    )


def test_window_starting_at_a_skipped_local_time_resolves_forwards():
    early = Window(days=frozenset(range(1, 8)), start=time(2, 30), digest=time(2, 30))
    start = next_window_start(datetime(2026, 3, 28, 23, 0, tzinfo=UTC), early)
    assert start == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert in_window(start, early)


def test_digest_waits_for_next_working_day_at_digest_hour():
    assert next_digest_time(paris(2026, 11, 24, 10), DEFAULT) == paris(2026, 11, 25, 8)
    assert next_digest_time(paris(2026, 11, 24, 7), DEFAULT) == paris(2026, 11, 24, 8)
    assert next_digest_time(paris(2026, 11, 27, 12), DEFAULT) == paris(2026, 11, 30, 8)
    later = Window(digest=time(9, 30))
    assert next_digest_time(paris(2026, 11, 24, 9), later) == paris(2026, 11, 24, 9, 30)


def test_retry_backoff_grows_and_stays_inside_working_hours():
    assert [retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=20),
    ]
    assert retry_delay(30) == timedelta(hours=6)
    assert next_retry(paris(2026, 11, 24, 18, 58), 1, DEFAULT) == paris(2026, 11, 25, 8)


def test_naive_datetimes_and_unusable_windows_are_refused():
    with pytest.raises(ValueError):
        next_window_start(datetime(2026, 11, 24, 10), DEFAULT)
    with pytest.raises(ValueError):
        Window(start=time(19), end=time(8))
    with pytest.raises(ValueError):
        Window(days=frozenset())
    with pytest.raises(ValueError):
        Window(digest=time(20))
