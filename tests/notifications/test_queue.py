"""Delivery outside the request: RQ on real Redis when configured, inline after commit otherwise."""

from __future__ import annotations

import os
import uuid

import pytest

from coop_formation.exchange.models import NeedVisibility
from coop_formation.extensions import db
from coop_formation.notifications import preferences
from coop_formation.notifications.services import notify
from tests.factories import NeedFactory
from tests.notifications.conftest import paris

# CI provides Redis; a private database number keeps test jobs away from real queues.
REDIS_URL = (
    os.environ.get("COOP_TEST_REDIS_URL")
    or os.environ.get("COOP_REDIS_URL")
    or "redis://127.0.0.1:6379/15"
)


@pytest.fixture()
def redis_queue(app, clock, monkeypatch):  # type: ignore[no-untyped-def]
    """A private RQ queue on the local Redis; skipped only when Redis does not answer."""
    redis = pytest.importorskip("redis")
    rq = pytest.importorskip("rq")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis not reachable on {REDIS_URL}: {error}")
    name = f"coop-test-notifications-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "NOTIFICATIONS_QUEUE", name)
    rq_queue = rq.Queue(name, connection=connection)
    yield rq_queue
    job_ids = [
        *rq_queue.job_ids,
        *rq_queue.scheduled_job_registry.get_job_ids(),
        *rq_queue.finished_job_registry.get_job_ids(),
        *rq_queue.failed_job_registry.get_job_ids(),
    ]
    for job_id in job_ids:
        connection.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
    for key in connection.keys(f"*{name}*"):
        connection.delete(key)
    connection.srem("rq:queues", f"rq:queue:{name}")


def test_redis_enqueue_then_worker_writes_email_to_outbox(world, clock, redis_queue, mails):
    from rq import SimpleWorker
    from rq.timeouts import BaseDeathPenalty

    class NoTimeout(BaseDeathPenalty):
        # Off the main thread RQ times jobs with a threading.Timer, a non-daemon thread that
        # outlives the test; this one-second job needs no timeout.
        def setup_death_penalty(self) -> None:
            pass

        def cancel_death_penalty(self) -> None:
            pass

    preferences.save_choices(db.session, world.member_alpha, {"badge_received": "immediate"})
    notify(db.session, recipient=world.member_alpha, kind="badge_received", subject="Bravo")
    assert redis_queue.count == 0  # nothing leaves before the commit
    db.session.commit()
    assert redis_queue.count == 1
    assert mails() == []  # the request itself sent nothing

    class BurstWorker(SimpleWorker):
        death_penalty_class = NoTimeout

        # The pubsub channel only carries "stop/kill" commands for long-running workers; its
        # thread's timed join hangs under libfaketime, and a burst worker does not need it.
        def subscribe(self) -> None:
            self.pubsub_thread = None

    worker = BurstWorker([redis_queue], connection=redis_queue.connection)
    worker.work(burst=True)
    [mail] = mails()
    assert mail["Subject"] == "Bravo"
    assert mail["To"] == world.member_alpha.email


def test_redis_rolled_back_action_enqueues_nothing(world, clock, redis_queue):
    notify(db.session, recipient=world.member_alpha, kind="badge_received", subject="Annulé")
    db.session.rollback()
    db.session.commit()
    assert redis_queue.count == 0


def test_redis_job_due_later_is_scheduled_not_queued(world, clock, redis_queue):
    preferences.save_choices(db.session, world.member_alpha, {"badge_received": "immediate"})
    clock.now = paris(2026, 11, 23, 21)
    notify(db.session, recipient=world.member_alpha, kind="badge_received", subject="Ce soir")
    db.session.commit()
    assert redis_queue.count == 0
    assert redis_queue.scheduled_job_registry.count == 1


def test_without_redis_due_email_leaves_right_after_the_request(
    app, client_for, world, clock, monkeypatch, mails
):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    preferences.save_choices(db.session, world.member_alpha, {"need_joined": "immediate"})
    need = NeedFactory(author=world.member_alpha, visibility=NeedVisibility.COMPANY)
    db.session.commit()
    response = client_for(world.other_alpha).post(f"/needs/{need.id}/join", data={})
    assert response.status_code == 302
    [mail] = mails()
    assert mail["To"] == world.member_alpha.email


def test_without_redis_nothing_leaves_outside_hours(
    app, client_for, world, clock, monkeypatch, mails
):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    clock.now = paris(2026, 11, 28, 11)  # a Saturday
    preferences.save_choices(db.session, world.member_alpha, {"need_joined": "immediate"})
    need = NeedFactory(author=world.member_alpha, visibility=NeedVisibility.COMPANY)
    db.session.commit()
    client_for(world.other_alpha).post(f"/needs/{need.id}/join", data={})
    assert mails() == []


def test_the_queued_job_delivers_what_is_due_and_commits(app, world, clock, monkeypatch, mails):
    from importlib import import_module

    from coop_formation import jobs
    from coop_formation.notifications.queue import JOB_PATH

    module, _, name = JOB_PATH.rpartition(".")
    assert getattr(import_module(module), name) is jobs.deliver_notifications
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    preferences.save_choices(db.session, world.member_alpha, {"badge_received": "immediate"})
    notification = notify(
        db.session, recipient=world.member_alpha, kind="badge_received", subject="Job"
    )
    db.session.commit()
    assert jobs.deliver_notifications(world.member_alpha.id) == 1
    [mail] = mails()
    assert mail["Subject"] == "Job"
    db.session.refresh(notification)
    assert notification.emailed_at is not None
    assert jobs.deliver_notifications(world.member_alpha.id) == 0  # nothing is sent twice
