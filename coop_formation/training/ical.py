"""iCalendar (RFC 5545) feeds of sessions: one event per date, stable UIDs, times in UTC.

Pure: takes sessions and a function giving each session's page URL; no database, no Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event

from coop_formation.training.models import SessionStatus, TrainingSession

PRODID = "-//Cooperative de formation//coop_formation//FR"


def _location(training_session: TrainingSession) -> str:
    venue = training_session.venue
    if venue is not None:
        return ", ".join(part for part in (venue.name, venue.address) if part)
    return training_session.remote_url or ""


def build_calendar(
    sessions: Iterable[TrainingSession],
    *,
    name: str,
    url_for_session: Callable[[TrainingSession], str],
    uid_domain: str,
    now: datetime | None = None,
) -> bytes:
    """A VCALENDAR with a VEVENT per session date; cancelled sessions say STATUS:CANCELLED."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for training_session in sessions:
        count = len(training_session.slots)
        for index, slot in enumerate(training_session.slots, start=1):
            event = Event()
            event.add("uid", f"session-{training_session.id}-slot-{slot.id}@{uid_domain}")
            event.add("dtstamp", stamp)
            event.add("dtstart", slot.starts_at.astimezone(UTC))
            event.add("dtend", slot.ends_at.astimezone(UTC))
            summary = training_session.title
            if count > 1:
                summary = f"{summary} ({index}/{count})"
            event.add("summary", summary)
            location = _location(training_session)
            if location:
                event.add("location", location)
            url = url_for_session(training_session)
            event.add("url", url)
            description = training_session.description.strip()
            event.add("description", f"{description}\n\n{url}" if description else url)
            event.add("last-modified", training_session.updated_at.astimezone(UTC))
            cancelled = training_session.status == SessionStatus.CANCELLED
            event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
    return calendar.to_ical()
