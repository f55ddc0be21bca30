"""Exchange commands."""

from __future__ import annotations

import click


@click.command("import-skills")
@click.argument("file", type=click.Path())
def import_skills_command(file: str) -> None:
    """Importer des compétences au format CSV d'ESCO."""
    raise click.ClickException("pas encore disponible")
