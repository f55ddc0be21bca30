"""What the RQ worker runs: each job does one unit of work and commits it once.

A job runs inside the current app context when there is one (tests, ``SimpleWorker``),
otherwise it builds the app from the environment (a plain ``rq worker``). Rooms enqueue
jobs by their dotted path (``"coop_formation.jobs.deliver_notifications"``) and never
import this module: it sits on top, next to the CLI, where building the app is allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import has_app_context

from coop_formation import create_app
from coop_formation.extensions import db
from coop_formation.notifications.delivery import deliver_due_for_member

__all__ = ["deliver_notifications"]


@contextmanager
def _app_context() -> Iterator[None]:
    if has_app_context():
        yield
        return
    with create_app().app_context():
        yield


def deliver_notifications(member_id: int) -> int:
    """Deliver what is due now for one member; returns the e-mails sent (digests included)."""
    with _app_context():
        try:
            sent = deliver_due_for_member(db.session, member_id)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return sent
