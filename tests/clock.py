"""The one "now" of the test suite.

Every test runs with the clock moved to ``FROZEN_NOW`` (see the autouse ``clock`` fixture in
``tests/conftest.py``), and every factory takes its dates from it, so that no test depends on
the day the suite runs: not the first days of a month, not New Year's Eve, not the DST changes.
Time still flows during a test (``tick=True``) so durations and expiries behave normally.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

# A Wednesday in mid-June, 10:00 in Europe/Paris: inside working hours, far from any
# month, quarter, year or DST boundary. Tests that are about such boundaries move the clock.
FROZEN_NOW = datetime(2026, 6, 17, 8, 0, tzinfo=UTC)
TODAY: date = FROZEN_NOW.date()
