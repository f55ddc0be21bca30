"""Badge commands: ``keys rotate``, ``credentials list [--json]`` and
``verify PATH_OR_URL [--json]`` (exit 0 valid, 1 invalid, 2 unusable input)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from badges import UnusableInput as UnusableBadge
from coop_formation.cli.base import fail
from coop_formation.extensions import db
from coop_formation.recognition import services

keys_command = AppGroup("keys", help="Clés de signature des badges.")
credentials_command = AppGroup("credentials", help="Badges délivrés.")


@keys_command.command("rotate")
def rotate_command() -> None:
    """Ajoute une nouvelle clé de signature ; les anciennes restent publiées."""
    row = services.rotate_key(db.session)
    db.session.commit()
    click.echo(f"Nouvelle clé active : {row.key_id} (les clés précédentes restent publiées).")


@credentials_command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def list_command(as_json: bool) -> None:
    """Liste les badges : identifiant, adresse, badge, titulaire (si public), état."""
    listing = services.credentials_listing(db.session)
    db.session.rollback()
    if as_json:
        click.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    if not listing:
        click.echo("Aucun badge délivré.")
        return
    for item in listing:
        click.echo(
            f"{item['id']}  {item['status']:<8}  {item['achievement']}  — {item['recipient']}  "
            f"{item['url']}"
        )


MAX_FILE_BYTES = 2 * 1024 * 1024


def _read_source(source: str) -> str | bytes:
    if source.startswith(("https://", "http://")):
        return source
    if source == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    path = Path(source)
    if not path.is_file():
        fail(f"fichier introuvable : {source}")
    if path.stat().st_size > MAX_FILE_BYTES:
        fail(f"fichier trop volumineux (2 Mo au plus) : {source}")
    return path.read_bytes()


@click.command("verify")
@click.argument("path_or_url")
@click.option("--json", "as_json", is_flag=True, help="Rapport JSON.")
def verify_command(path_or_url: str, as_json: bool) -> None:
    """Vérifie un badge (fichier JSON, JWT, image PNG/SVG, ou adresse https).

    Code de sortie : 0 valide, 1 non valide, 2 entrée inutilisable.
    """
    data = _read_source(path_or_url)
    try:
        report = services.verify_input(db.session, data)
    except UnusableBadge as exc:
        db.session.rollback()
        fail(str(exc).splitlines()[0] if str(exc) else "entrée inutilisable")
    db.session.rollback()
    if as_json:
        click.echo(json.dumps(services.report_json(report), ensure_ascii=False, indent=2))
    else:
        click.echo("VALIDE" if report.valid else "NON VALIDE")
        known = "émetteur connu de la grappe" if report.issuer_known else "émetteur inconnu"
        click.echo(f"Émetteur : {report.issuer_name or report.issuer_id or '?'} ({known})")
        if report.achievement_name:
            click.echo(f"Badge : {report.achievement_name}")
        for check in report.checks:
            click.echo(f"  [{'ok' if check.ok else 'échec'}] {check.name} : {check.message}")
    sys.exit(0 if report.valid else 1)
