"""Preparing the demo database (reset, Alembic upgrade, seed) and serving the app locally."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy.engine import make_url
from werkzeug.serving import run_simple

from coop_formation.demo import data
from coop_formation.extensions import db

Echo = Callable[[str], None]


def database_label(url: str) -> str:
    """The database URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def reset_database() -> None:
    """Forget everything: delete the SQLite file, or drop every table on other backends."""
    engine = db.engine
    db.session.remove()
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        engine.dispose()
        if database and database != ":memory:":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(database + suffix).unlink(missing_ok=True)
        return
    metadata = sa.MetaData()
    metadata.reflect(bind=engine)
    with engine.begin() as connection:
        metadata.drop_all(bind=connection)
    engine.dispose()


def missing_tables() -> list[str]:
    """Model tables absent from the database (the migrations are behind the models)."""
    existing = set(sa.inspect(db.engine).get_table_names())
    return sorted(set(db.metadata.tables) - existing)


def upgrade_schema(echo: Echo | None = None) -> None:
    """Bring the schema up to date with the Alembic migrations in ``migrations/`` (never
    ``create_all``: the demo runs on the schema production gets). Alembic logs its own
    steps; ``echo`` is kept for the callers that pass one (bench/)."""
    upgrade(directory=str(current_app.extensions["migrate"].directory))
    db.session.remove()
    absent = missing_tables()
    if absent:
        raise RuntimeError(
            "les migrations ne créent pas toutes les tables des modèles (manquantes : "
            + ", ".join(absent)
            + ") ; générez une migration avec « flask --app wsgi db migrate »"
        )


def login_lines(base_url: str, outbox: str) -> list[str]:
    """What the demo prints: where to go, the six accounts and where e-mails are written."""
    width = max(len(a.email) for a in data.DEMO_ACCOUNTS)
    lines = [
        f"Démo de la coopérative de formation : {base_url}",
        f"Comptes de démonstration (mot de passe « {data.DEMO_PASSWORD} ») :",
    ]
    lines += [f"  {a.email.ljust(width)}  {a.role}" for a in data.DEMO_ACCOUNTS]
    lines.append(f"Les e-mails sont écrits dans : {outbox}")
    return lines


def serve(app: Flask, port: int) -> None:
    """Serve on 127.0.0.1 with werkzeug: threaded, no reloader, no debugger."""
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False, use_debugger=False)
