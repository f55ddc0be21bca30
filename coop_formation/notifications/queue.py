"""Running delivery outside the web request, only after the action that notified commits.

Choice (documented here once):

* ``COOP_REDIS_URL`` set → after the commit, one RQ job per member is enqueued on the
  ``NOTIFICATIONS_QUEUE`` queue (default ``coop-notifications``). A job due now goes to the
  queue at once; a job due later (outside working hours, or a digest) is scheduled with
  ``enqueue_at`` (run ``rq worker --with-scheduler``). The job runs :func:`deliver_due` for
  that member only. ``coop-formation notifications send`` from cron stays the safety net.
* No Redis (SQLite demo, tests) → right after a request whose transaction committed, an
  ``after_app_request`` hook runs :func:`deliver_due` for the members just notified; only
  what is already due leaves (in practice: "immediately" choices inside working hours).
  Everything else waits for the CLI ``coop-formation notifications send`` run from cron.

A rolled-back action schedules nothing: members are remembered on the SQLAlchemy session
and only handed over in its ``after_commit`` event.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from coop_formation.db import utcnow

log = logging.getLogger(__name__)

_PENDING = "notifications_pending"  # {member_id: earliest due} waiting for the commit
_COMMITTED = "notifications_committed"  # member ids committed, for the inline hook
DEFAULT_QUEUE = "coop-notifications"
JOB_PATH = "coop_formation.notifications.queue.deliver_for_member"


def schedule_delivery(session: Session, member_id: int, due_at: datetime) -> None:
    """Remember that ``member_id`` has something due at ``due_at`` once this transaction commits."""
    pending: dict[int, datetime] = session.info.setdefault(_PENDING, {})
    if member_id not in pending or due_at < pending[member_id]:
        pending[member_id] = due_at


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending: dict[int, datetime] | None = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    if current_app.config.get("REDIS_URL"):
        for member_id, due_at in pending.items():
            try:
                enqueue_delivery(member_id, due_at)
            except Exception as error:  # Redis down: cron (CLI) will still deliver
                log.warning("could not enqueue notification delivery: %s", error)
    else:
        session.info.setdefault(_COMMITTED, set()).update(pending)


@sa.event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_PENDING, None)


def _queue(connection: Any = None) -> Any:
    from redis import Redis
    from rq import Queue

    if connection is None:
        connection = Redis.from_url(current_app.config["REDIS_URL"])
    name = current_app.config.get("NOTIFICATIONS_QUEUE") or DEFAULT_QUEUE
    return Queue(name, connection=connection)


def enqueue_delivery(member_id: int, due_at: datetime, *, connection: Any = None) -> Any:
    """Put a delivery job for one member on the RQ queue (scheduled when due later)."""
    queue = _queue(connection)
    if due_at <= utcnow():
        return queue.enqueue(JOB_PATH, member_id)
    return queue.enqueue_at(due_at, JOB_PATH, member_id)


def deliver_for_member(member_id: int) -> int:
    """RQ job: deliver what is due for one member now; commits once. Returns e-mails sent.

    Runs inside the current app context when there is one (tests, ``SimpleWorker``),
    otherwise builds the app from the environment (a normal ``rq worker``).
    """
    if has_app_context():
        return _deliver_in_context(member_id)
    from coop_formation import create_app

    with create_app().app_context():
        return _deliver_in_context(member_id)


def _deliver_in_context(member_id: int) -> int:
    from coop_formation.extensions import db
    from coop_formation.notifications.delivery import deliver_due

    report = deliver_due(db.session, utcnow(), member_ids=[member_id])
    db.session.commit()
    return report.sent + report.digests


def init_inline_delivery(app: Flask) -> None:
    """Hook for the no-Redis mode, registered by the blueprint (see module docstring)."""

    @app.after_request
    def _deliver_after_request(response: Any) -> Any:
        from coop_formation.extensions import db

        members = db.session.info.pop(_COMMITTED, None)
        if not members or app.config.get("REDIS_URL") or response.status_code >= 400:
            return response
        if not app.config.get("NOTIFICATIONS_INLINE_DELIVERY", True):
            return response
        from coop_formation.notifications.delivery import deliver_due

        try:
            deliver_due(db.session, utcnow(), member_ids=sorted(members))
            db.session.commit()
        except Exception:  # delivery must never break the page the member asked for
            db.session.rollback()
            log.exception("inline notification delivery failed (cron will retry)")
        return response
