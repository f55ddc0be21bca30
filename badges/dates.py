"""Date handling: every date we write is ``YYYY-MM-DDThh:mm:ssZ`` (UTC, no fraction).

Some verifiers (SpruceID's ``ssi``) refuse ``+00:00`` offsets, so we never emit them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_XSD_DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", re.IGNORECASE
)


def utcnow() -> datetime:
    """Current time, UTC, truncated to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def format_datetime(value: datetime) -> str:
    """Write ``value`` as ``YYYY-MM-DDThh:mm:ssZ``; naive datetimes are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(text: str) -> datetime:
    """Parse an xsd:dateTime string into an aware UTC datetime.

    A value without a time zone is taken as UTC. Raises ``ValueError`` if malformed.
    """
    if not isinstance(text, str) or not _XSD_DATETIME.match(text.strip()):
        raise ValueError(f"date invalide : {text!r}")
    text = text.strip()
    if text[-1] in "zZ":
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_timestamp(value: str) -> int:
    """xsd:dateTime string to a JWT NumericDate (whole seconds since the epoch)."""
    return int(parse_datetime(value).timestamp())


def from_timestamp(value: int | float) -> str:
    """JWT NumericDate to ``YYYY-MM-DDThh:mm:ssZ``."""
    return format_datetime(datetime.fromtimestamp(int(value), UTC))
