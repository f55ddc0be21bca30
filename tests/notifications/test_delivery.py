"""E-mail delivery: working hours respected, digests grouped, choices honoured, retries kept."""

from __future__ import annotations

import smtplib
from datetime import time, timedelta

import pytest

from coop_formation.extensions import db
from coop_formation.notifications import delivery, preferences
from coop_formation.notifications.models import EmailStatus
from coop_formation.notifications.services import notify
from tests.notifications.conftest import paris


def _notify(member, subject="Un événement", kind="need_joined"):  # type: ignore[no-untyped-def]
    return notify(db.session, recipient=member, kind=kind, subject=subject, body="Détails.")


def _immediate(member, *kinds):  # type: ignore[no-untyped-def]
    preferences.save_choices(
        db.session, member, dict.fromkeys(kinds or ("need_joined",), "immediate")
    )


def test_nothing_emailed_at_21h_then_sent_at_next_window(world, clock, mails):
    _immediate(world.member_alpha)
    clock.now = paris(2026, 11, 24, 21)
    notification = _notify(world.member_alpha)
    assert notification.email_due_at == paris(2026, 11, 25, 8)

    delivery.deliver_due(db.session, paris(2026, 11, 24, 21, 5))
    delivery.deliver_due(db.session, paris(2026, 11, 25, 7, 59))
    assert mails() == []

    report = delivery.deliver_due(db.session, paris(2026, 11, 25, 8))
    assert report.sent == 1
    [mail] = mails()
    assert mail["To"] == world.member_alpha.email
    assert mail["Subject"] == "Un événement"
    assert notification.email_status == EmailStatus.SENT


def test_nothing_emailed_on_saturday_sent_monday(world, clock, mails):
    _immediate(world.member_alpha)
    clock.now = paris(2026, 11, 28, 10)
    _notify(world.member_alpha)
    for hour in (10, 15, 20):
        delivery.deliver_due(db.session, paris(2026, 11, 28, hour))
        delivery.deliver_due(db.session, paris(2026, 11, 29, hour))
    assert mails() == []
    delivery.deliver_due(db.session, paris(2026, 11, 30, 8, 1))
    assert len(mails()) == 1


def test_late_cron_run_outside_hours_sends_nothing_even_if_due(world, clock, mails):
    _immediate(world.member_alpha)
    _notify(world.member_alpha)  # Monday 10:00, due at once
    delivery.deliver_due(db.session, paris(2026, 11, 23, 22))
    assert mails() == []
    delivery.deliver_due(db.session, paris(2026, 11, 24, 8))
    assert len(mails()) == 1


def test_digest_groups_several_notifications_in_one_email(world, clock, mails):
    for index in range(3):
        _notify(world.member_alpha, subject=f"Événement {index}")
    _notify(world.member_beta, subject="Pour Bruno")
    delivery.deliver_due(db.session, paris(2026, 11, 23, 18))
    assert mails() == []  # the default is the daily digest, due tomorrow 08:00

    report = delivery.deliver_due(db.session, paris(2026, 11, 24, 8))
    assert report.digests == 2
    by_recipient = {mail["To"]: mail for mail in mails()}
    alice = by_recipient[world.member_alpha.email].get_content()
    assert all(f"Événement {index}" in alice for index in range(3))
    assert "Pour Bruno" not in alice
    assert "3" in by_recipient[world.member_alpha.email]["Subject"]
    assert delivery.deliver_due(db.session, paris(2026, 11, 24, 9)).digests == 0


def test_email_off_means_platform_only(world, clock, mails):
    preferences.save_choices(db.session, world.member_alpha, {"need_joined": "off"})
    notification = _notify(world.member_alpha)
    assert notification.email_status == EmailStatus.NONE
    delivery.deliver_due(db.session, paris(2026, 11, 24, 8))
    assert mails() == []


def test_preferences_are_per_kind(world, clock, mails):
    _immediate(world.member_alpha, "badge_received")
    immediate = _notify(world.member_alpha, subject="Badge", kind="badge_received")
    digest = _notify(world.member_alpha, subject="Moi aussi", kind="need_joined")
    assert immediate.email_status == EmailStatus.PENDING
    assert immediate.email_due_at == clock.now
    assert digest.email_status == EmailStatus.DIGEST
    delivery.deliver_due(db.session, clock.now)
    assert [mail["Subject"] for mail in mails()] == ["Badge"]


def test_cluster_policy_changes_the_window(world, clock, mails):
    preferences.save_policy(
        db.session,
        world.admin,
        preferences.PolicyInput(
            timezone="Europe/Paris",
            days=frozenset({1, 2, 3, 4, 5, 6}),
            start=time(9),
            end=time(17),
            digest=time(9),
        ),
    )
    _immediate(world.member_alpha)
    clock.now = paris(2026, 11, 27, 18)  # Friday 18:00: now outside (ends at 17:00)
    notification = _notify(world.member_alpha)
    assert notification.email_due_at == paris(2026, 11, 28, 9)  # Saturday is a working day


def test_failed_smtp_is_retried_not_lost(world, clock, mails, monkeypatch):
    _immediate(world.member_alpha)
    notification = _notify(world.member_alpha)
    real_send = delivery.send_mail
    calls = {"n": 0}

    def flaky(to, subject, body):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("connexion perdue")
        return real_send(to, subject, body)

    monkeypatch.setattr(delivery, "send_mail", flaky)
    report = delivery.deliver_due(db.session, clock.now)
    assert report.retried == 1 and report.sent == 0
    assert notification.email_status == EmailStatus.PENDING
    assert notification.email_attempts == 1
    assert "connexion perdue" in notification.email_last_error
    assert notification.email_due_at == clock.now + timedelta(minutes=5)

    delivery.deliver_due(db.session, clock.now + timedelta(minutes=4))
    assert mails() == []
    assert delivery.deliver_due(db.session, clock.now + timedelta(minutes=5)).sent == 1
    assert len(mails()) == 1
    assert notification.email_status == EmailStatus.SENT


def test_failed_digest_is_retried_as_one_email(world, clock, mails, monkeypatch):
    _notify(world.member_alpha, subject="A")
    _notify(world.member_alpha, subject="B")
    real_send = delivery.send_mail
    state = {"fail": True}

    def flaky(to, subject, body):  # type: ignore[no-untyped-def]
        if state["fail"]:
            state["fail"] = False
            raise smtplib.SMTPException("refusé")
        return real_send(to, subject, body)

    monkeypatch.setattr(delivery, "send_mail", flaky)
    morning = paris(2026, 11, 24, 8)
    assert delivery.deliver_due(db.session, morning).retried == 1
    assert delivery.deliver_due(db.session, morning + timedelta(minutes=5)).digests == 1
    [mail] = mails()
    assert "A" in mail.get_content() and "B" in mail.get_content()


def test_after_max_attempts_marked_failed_but_still_listed(world, clock, mails, monkeypatch):
    _immediate(world.member_alpha)
    notification = _notify(world.member_alpha)

    def broken(to, subject, body):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPException("serveur indisponible")

    monkeypatch.setattr(delivery, "send_mail", broken)
    moment = clock.now
    for _attempt in range(delivery.MAX_ATTEMPTS):
        delivery.deliver_due(db.session, moment)
        if notification.email_due_at is not None:
            moment = notification.email_due_at
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == delivery.MAX_ATTEMPTS
    assert notification.email_due_at is None
    assert notification.read_at is None  # still in the member's list, unread


@pytest.mark.parametrize("member_attr", ["member_alpha"])
def test_closed_member_receives_no_email(world, clock, mails, member_attr):
    member = getattr(world, member_attr)
    _immediate(member)
    _notify(member)
    member.closed_at = clock.now
    db.session.flush()
    delivery.deliver_due(db.session, clock.now)
    assert mails() == []
