"""Running delivery outside the web request, only after the action that notified commits.

Choice (documented here once):

* ``COOP_REDIS_URL`` set → after the commit, one RQ job per member is enqueued on the
  ``NOTIFICATIONS_QUEUE`` queue (default ``coop-notifications``). A job due now goes to the
  queue at once; a job due later (outside working hours, or a digest) is scheduled with
  ``enqueue_at`` (run ``rq worker --with-scheduler``). The job,
  ``coop_formation.jobs.deliver_notifications``, runs :func:`deliver_due` for that member
  only and commits. ``coop-formation notifications send`` from cron stays the safety net.
* No Redis (SQLite demo, tests) → right after a request whose transaction committed, an
  ``after_app_request`` hook runs :func:`deliver_due` for the members just notified; only
  what is already due leaves (in practice: "immediately" choices inside working hours).
  Everything else waits for the CLI ``coop-formation notifications send`` run from cron.
  That delivery is one transaction of its own, run by the web layer (``perform``).

A rolled-back action schedules nothing: members are remembered on the SQLAlchemy session
and only handed over in its ``after_commit`` event.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask.sansio.app import App
from sqlalchemy.orm import Session

from coop_formation.db import utcnow
from coop_formation.extensions import db
from coop_formation.notifications.delivery import deliver_due
from coop_formation.web import perform

log = logging.getLogger(__name__)

_PENDING = "notifications_pending"  # {member_id: earliest due} waiting for the commit
_COMMITTED = "notifications_committed"  # member ids committed, for the inline hook
DEFAULT_QUEUE = "coop-notifications"
#: The RQ job, enqueued by its dotted path: it lives on top (``coop_formation.jobs``) because
#: it may build the app, which this low room must not import.
JOB_PATH = "coop_formation.jobs.deliver_notifications"


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
    # Lazy: redis and rq are only needed when COOP_REDIS_URL is set.
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


def init_inline_delivery(app: App) -> None:
    """Hook for the no-Redis mode, registered by the blueprint (see module docstring)."""

    @app.after_request
    def _deliver_after_request(response: Any) -> Any:
        members = db.session.info.pop(_COMMITTED, None)
        if not members or app.config.get("REDIS_URL") or response.status_code >= 400:
            return response
        if not app.config.get("NOTIFICATIONS_INLINE_DELIVERY", True):
            return response
        try:
            perform(lambda: deliver_due(db.session, utcnow(), member_ids=sorted(members)))
        except Exception:  # delivery must never break the page the member asked for
            log.exception("inline notification delivery failed (cron will retry)")
        return response
