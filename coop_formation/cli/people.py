"""People commands: ``coop-formation import-members FILE.csv``.

The file is checked entirely first; on any bad line nothing is written and the command
exits 2 with one line naming it. Invitations are mailed after the commit.
"""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from coop_formation.cli.base import fail
from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.people import importing
from coop_formation.people.mails import deliver
from coop_formation.people.models import Cluster

PROGRESS_THRESHOLD = 200


def _choose_cluster(slug: str | None) -> Cluster:
    clusters = list(db.session.scalars(sa.select(Cluster).order_by(Cluster.id)))
    if slug:
        for cluster in clusters:
            if cluster.slug == slug:
                return cluster
        fail(f"grappe inconnue « {slug} »")
    if not clusters:
        fail("aucune grappe dans la base : créez-la d'abord (coop-formation demo ou seed)")
    if len(clusters) > 1:
        fail("plusieurs grappes dans la base : précisez --cluster SLUG")
    return clusters[0]


@click.command("import-members")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--cluster", "cluster_slug", metavar="SLUG", help="Grappe (par défaut : la seule).")
@click.option("--no-invite", is_flag=True, help="Ne pas envoyer d'invitation aux nouveaux membres.")
@with_appcontext
def import_members_command(file: Path, cluster_slug: str | None, no_invite: bool) -> None:
    """Importer ou mettre à jour des membres depuis un CSV.

    Colonnes : email, display_name, company (slug ou nom exact), et en option role
    (member, correspondent, hr_club, admin) et job_title.
    """
    # No request here: messages are in the default language (French).
    with force_locale(str(current_app.config.get("BABEL_DEFAULT_LOCALE") or "fr")):
        _import_members(file, cluster_slug, no_invite)


def _import_members(file: Path, cluster_slug: str | None, no_invite: bool) -> None:
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"fichier illisible « {file} » ({exc.strerror or exc})")
    cluster = _choose_cluster(cluster_slug)
    try:
        text = importing.decode_csv(data)
        rows = importing.parse_members_csv(db.session, None, cluster, text)
        if len(rows) >= PROGRESS_THRESHOLD:
            with click.progressbar(length=len(rows), label="Import des membres", file=None) as bar:
                report = importing.import_members(
                    db.session, None, cluster, rows, invite=not no_invite, on_progress=bar.update
                )
        else:
            report = importing.import_members(db.session, None, cluster, rows, invite=not no_invite)
    except InvalidInput as error:
        db.session.rollback()
        fail(f"{file.name} : {error.message}")
    db.session.commit()
    sent = deliver(report.mails)
    click.echo(
        f"{report.created} membre(s) créé(s), {report.updated} mis à jour, "
        f"{sent} invitation(s) envoyée(s)."
    )
