"""Domain events: how a room tells the rooms above it that something happened.

A room sends; rooms that care connect a receiver in their ``events.py`` (imported by the
app factory and by the CLI, so the demo, the views and the jobs all run the same chain).
Receivers run inside the sender's transaction: they flush, never commit, and a receiver
that raises rolls the whole user action back.

Every signal is sent with ``sender=session`` (the SQLAlchemy session of the action)
and keyword arguments named below.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A training session was settled: ``training_session``, ``actor``.
session_settled = _signals.signal("session-settled")

#: A training session was cancelled: ``training_session``, ``actor``.
session_cancelled = _signals.signal("session-cancelled")

#: A member's account was closed: ``member``, ``actor``. Rooms release what they hold
#: for that person (enrolments, reservations, needs, memberships, ...).
member_closed = _signals.signal("member-closed")

#: A member was activated (invitation accepted): ``member``.
member_activated = _signals.signal("member-activated")

#: A badge was awarded: ``credential``, ``actor``.
credential_awarded = _signals.signal("credential-awarded")

#: A badge was revoked: ``credential``, ``actor``, ``reason``.
credential_revoked = _signals.signal("credential-revoked")

#: A member asked for their personal data: ``member``. Each receiver returns
#: ``(section_name, data)`` for what its room holds about that person.
personal_data_requested = _signals.signal("personal-data-requested")
