"""People commands."""

from __future__ import annotations

import click


@click.command("import-members")
@click.argument("file", type=click.Path())
def import_members_command(file: str) -> None:
    """Importer des membres depuis un fichier CSV."""
    raise click.ClickException("pas encore disponible")
