"""``coop-formation demo`` and ``coop-formation seed``.

``demo`` migrates the configured database (``COOP_DATABASE_URL`` or the SQLite file under
``instance/``), seeds the realistic demo cluster once, prints the demo logins and serves the
app on 127.0.0.1. ``seed --members N`` adds a synthetic cluster of N members for benchmarks.
"""

from __future__ import annotations

import socket
import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from coop_formation.cli.base import fail
from coop_formation.demo import print_logins
from coop_formation.demo.cluster import find_demo_cluster
from coop_formation.demo.data import DEMO_PASSWORD
from coop_formation.demo.seed import seed_demo
from coop_formation.demo.server import (
    database_label,
    missing_tables,
    reset_database,
    serve,
    upgrade_schema,
)
from coop_formation.demo.synthetic import planned_rows, seed_synthetic
from coop_formation.extensions import db
from coop_formation.people.auth import hash_password

__all__ = ["demo_command", "seed_command"]


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _prepare_schema(reset: bool) -> None:
    try:
        if reset:
            reset_database()
            click.echo("Base de démonstration effacée (--reset).")
        upgrade_schema()
    except RuntimeError as exc:
        fail(str(exc))


@click.command("demo")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port d'écoute sur 127.0.0.1.",
)
@click.option("--reset", is_flag=True, help="Effacer la base et recréer la démonstration.")
@with_appcontext
def demo_command(port: int, reset: bool) -> None:
    """Lancer la démonstration : base migrée, grappe d'exemple, serveur local."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not _port_is_free(port):
        fail(f"le port {port} est déjà utilisé ; essayez « coop-formation demo --port {port + 1} »")
    click.echo(f"Base de données : {database_label(str(app.config['SQLALCHEMY_DATABASE_URI']))}")
    _prepare_schema(reset)
    if find_demo_cluster(db.session) is None:
        started = time.perf_counter()
        click.echo("Création de la grappe de démonstration…")
        seed_demo(db.session)
        db.session.commit()
        click.echo(f"Grappe de démonstration créée en {time.perf_counter() - started:.1f} s.")
    else:
        click.echo("Grappe de démonstration déjà présente : données conservées.")
    db.session.remove()
    print_logins(f"http://127.0.0.1:{port}", str(app.config["MAIL_OUTBOX"]))
    click.echo("Arrêt : Ctrl+C.")
    serve(app, port)


@click.command("seed")
@click.option("--members", type=int, required=True, help="Nombre de membres à créer.")
@click.option(
    "--companies",
    type=int,
    default=10,
    show_default=True,
    help="Nombre d'entreprises de la grappe synthétique.",
)
@with_appcontext
def seed_command(members: int, companies: int) -> None:
    """Créer une grappe synthétique de N membres (pour les mesures de performance)."""
    if members <= 0:
        fail(f"--members doit être un entier strictement positif (reçu {members})")
    if companies <= 0:
        fail(f"--companies doit être un entier strictement positif (reçu {companies})")
    absent = missing_tables()
    if absent:
        fail(
            f"la base n'a pas toutes ses tables ({', '.join(absent[:3])}…) : "
            "lancez « coop-formation db upgrade »"
        )
    started = time.perf_counter()
    password_hash = hash_password(DEMO_PASSWORD)
    with click.progressbar(length=planned_rows(members), label="Insertion") as bar:
        report = seed_synthetic(
            db.session, members, companies, password_hash=password_hash, progress=bar.update
        )
        db.session.commit()
    # Fresh statistics after a bulk load, as autovacuum would compute later: without them the
    # planner ignores the full-text index and /needs?q= scans every need.
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    elapsed = time.perf_counter() - started
    click.echo(
        f"{report.cluster_name} (id {report.cluster_id}) : {report.companies} entreprises, "
        f"{report.members} membres, {report.member_skills} compétences déclarées, "
        f"{report.needs} besoins, {report.offers} offres, en {elapsed:.1f} s."
    )
    click.echo(
        f"Connexion possible avec {report.sign_in_emails[0]} "
        f"(mot de passe « {DEMO_PASSWORD} »), un compte par entreprise."
    )
