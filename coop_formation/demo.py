"""Demo and synthetic seed commands."""

from __future__ import annotations

import click


@click.command("demo")
@click.option("--port", default=5000, type=int)
@click.option("--reset", is_flag=True)
def demo_command(port: int, reset: bool) -> None:
    """Lancer la démonstration."""
    raise click.ClickException("pas encore disponible")


@click.command("seed")
@click.option("--members", type=int, required=True)
def seed_command(members: int) -> None:
    """Créer une grappe synthétique."""
    raise click.ClickException("pas encore disponible")
