"""``coop-formation notifications send``: what cron runs to deliver what is due."""

from __future__ import annotations

from coop_formation.cli.notifications import notifications_command
from coop_formation.extensions import db
from coop_formation.notifications.services import notify


def test_send_delivers_digest_only_inside_working_hours(app, world, clock, mails):
    notify(db.session, recipient=world.member_alpha, kind="need_joined", subject="Un")
    notify(db.session, recipient=world.member_alpha, kind="need_pooled", subject="Deux")
    db.session.commit()
    runner = app.test_cli_runner()

    night = runner.invoke(notifications_command, ["send", "--now", "2026-11-24T03:00:00+00:00"])
    assert night.exit_code == 0, night.output
    assert mails() == []

    morning = runner.invoke(notifications_command, ["send", "--now", "2026-11-24T07:00:00Z"])
    assert morning.exit_code == 0, morning.output
    assert "1 résumé(s)" in morning.output
    assert len(mails()) == 1


def test_send_refuses_a_bad_date(app, world):
    result = app.test_cli_runner().invoke(notifications_command, ["send", "--now", "demain"])
    assert result.exit_code == 2
