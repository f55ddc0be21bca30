"""``coop-formation ledger check``: exit 0 with one OK line, or 1 with one line per violation."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from coop_formation.extensions import db
from coop_formation.ledger.audit import check_ledger, count_work

ledger_command = AppGroup("ledger", help="Monnaie de formation : vérifications.")


@ledger_command.command("check")
def check_command() -> None:
    """Vérifie les chaînes d'empreintes, les soldes, la somme nulle et les limites."""
    session = db.session
    total = count_work(session)
    with click.progressbar(
        length=total, label="Vérification du registre", file=sys.stderr, show_pos=True
    ) as bar:
        result = check_ledger(session, progress=bar.update)
    session.rollback()
    if result.ok:
        click.echo(
            f"OK : {result.transfers} transferts et {result.accounts} comptes vérifiés ; "
            "chaînes intègres, soldes conformes, somme nulle, limites respectées."
        )
        return
    for line in result.violations:
        click.echo(line)
    sys.exit(1)
