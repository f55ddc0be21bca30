"""Small helpers shared by the people tests."""

from __future__ import annotations

import email
import re
from email.message import Message
from pathlib import Path


def read_mails(outbox: Path) -> list[Message]:
    """The messages written to the outbox folder, oldest first."""
    return [email.message_from_bytes(path.read_bytes()) for path in sorted(outbox.iterdir())]


def mail_text(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def link_path(message: Message, prefix: str) -> str:
    """The path of the first link in the mail that starts with ``prefix`` (e.g. /invitation/)."""
    match = re.search(
        r"https?://[^/\s]+(" + re.escape(prefix) + r"[A-Za-z0-9_\-]+)", mail_text(message)
    )
    assert match, mail_text(message)
    return match.group(1)
