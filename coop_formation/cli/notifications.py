"""``coop-formation notifications send``: deliver the e-mails due now (run it from cron)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from coop_formation.cli.base import fail
from coop_formation.db import utcnow
from coop_formation.extensions import db
from coop_formation.notifications.delivery import BATCH_SIZE, deliver_due


@click.group("notifications", help="Notifications : envoi des e-mails dus.")
def notifications_command() -> None:
    """Notification commands."""


@notifications_command.command("send")
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Instant de référence ISO 8601 (par défaut : maintenant), pour essayer.",
)
@with_appcontext
def send_command(now_text: str | None) -> None:
    """Send what is due now (immediate e-mails and digests), inside working hours only."""
    now = utcnow()
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            fail(f"date invalide : {now_text!r} (format ISO 8601 attendu)")
        now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    totals = [0, 0, 0, 0]
    while True:  # one commit per batch, so a crash never resends a whole night's backlog
        report = deliver_due(db.session, now)
        db.session.commit()
        for index, value in enumerate((report.sent, report.digests, report.retried, report.failed)):
            totals[index] += value
        if report.examined < BATCH_SIZE or report.sent + report.digests == 0:
            break
    click.echo(
        f"{totals[0]} e-mail(s) envoyé(s), {totals[1]} résumé(s), "
        f"{totals[2]} à réessayer, {totals[3]} en échec."
    )
