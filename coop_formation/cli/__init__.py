"""The ``coop-formation`` command group (a Flask CLI group around :func:`create_app`).

Every command exits 2 with one line on stderr when its input is unusable.
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from coop_formation import create_app
from coop_formation.cli.api import token_command
from coop_formation.cli.base import UnusableInput, fail
from coop_formation.cli.demo import demo_command, seed_command
from coop_formation.cli.exchange import import_skills_command
from coop_formation.cli.ledger import ledger_command
from coop_formation.cli.notifications import notifications_command
from coop_formation.cli.people import import_members_command
from coop_formation.cli.recognition import credentials_command, keys_command, verify_command

__all__ = ["UnusableInput", "cli", "fail", "main", "register_commands"]


def _create_app() -> Flask:
    return create_app()


cli = FlaskGroup(
    name="coop-formation",
    create_app=_create_app,
    add_default_commands=True,
    load_dotenv=False,
    help="Coopérative de formation : administration, démo et vérification de badges.",
)


def register_commands(app: Flask) -> None:
    """Attach each domain's commands to the app (so ``flask --app wsgi`` has them too)."""
    for command in (
        demo_command,
        seed_command,
        import_members_command,
        import_skills_command,
        ledger_command,
        keys_command,
        credentials_command,
        verify_command,
        token_command,
        notifications_command,
    ):
        app.cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: click usage errors become one line and exit 2."""
    try:
        rv = cli.main(args=argv, prog_name="coop-formation", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrompu.", err=True)
        sys.exit(130)
    except UnusableInput as exc:
        exc.show()
        sys.exit(2)
    except click.UsageError as exc:
        message = (
            exc.format_message().splitlines()[0] if exc.format_message() else "usage incorrect"
        )
        click.echo(f"Erreur : {message} (voir coop-formation --help)", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"Erreur : {exc.format_message()}", err=True)
        sys.exit(exc.exit_code or 1)
    sys.exit(rv if isinstance(rv, int) else 0)
