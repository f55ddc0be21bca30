"""``coop-formation import-skills``: load ESCO CSV files into the skills framework."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from coop_formation.cli.base import fail
from coop_formation.errors import InvalidInput
from coop_formation.exchange import services
from coop_formation.extensions import db


@click.command("import-skills")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--broader",
    "broader",
    type=click.Path(dir_okay=False),
    default=None,
    help="Relations « broader » au format ESCO (broaderRelationsSkillPillar).",
)
@click.option(
    "--domains",
    "domains",
    type=click.Path(dir_okay=False),
    default=None,
    help="Domaines (groupes de compétences) au format ESCO skillGroups.",
)
@with_appcontext
def import_skills_command(file: str, broader: str | None, domains: str | None) -> None:
    """Importer des compétences au format CSV d'ESCO (idempotent : mise à jour par URI)."""
    try:
        rows = services.read_csv(file)
        broader_rows = services.read_csv(broader) if broader else []
        domain_rows = services.read_csv(domains) if domains else []
        # Validate everything before the progress bar starts writing.
        services.prepare_esco_import(db.session, rows, broader_rows, domain_rows)
    except InvalidInput as exc:
        fail(exc.message)
    total = len(rows) + len(domain_rows)
    try:
        with click.progressbar(length=total, label="Import des compétences") as bar:
            summary = services.import_esco_skills(
                db.session, rows, broader_rows, domain_rows, progress=bar.update
            )
    except InvalidInput as exc:
        db.session.rollback()
        fail(exc.message)
    db.session.commit()
    click.echo(
        f"{summary.total} concepts : {summary.created} créés, {summary.updated} mis à jour, "
        f"{summary.unchanged} inchangés ; {summary.parents_set} rattachements"
        + (
            f" ({summary.skipped_relations} relations en double ignorées)"
            if summary.skipped_relations
            else ""
        )
        + "."
    )
