"""The Alembic migrations: from an empty database, ``upgrade`` gives exactly the models'
schema and ``downgrade base`` takes every table away again, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from coop_formation import create_app
from coop_formation.extensions import db
from tests.schema import TEST_DATABASE_URL, app_config, scratch_postgres_database


def _empty_database_urls() -> list[pytest.param]:
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param(
            "postgresql",
            id="postgresql",
            marks=pytest.mark.skipif(
                not (TEST_DATABASE_URL or "").startswith(("postgres://", "postgresql")),
                reason="needs PostgreSQL (set COOP_TEST_DATABASE_URL)",
            ),
        ),
    ]


@pytest.fixture(params=_empty_database_urls())
def empty_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on a brand-new, empty database of its own (never the shared test database)."""
    if request.param == "sqlite":
        app = create_app(app_config(tmp_path, f"sqlite:///{tmp_path / 'migrations.sqlite3'}"))
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
        return
    with scratch_postgres_database("coop_mig") as url:
        app = create_app(app_config(tmp_path, url))
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def _differences(app: Flask) -> list[object]:
    options = {"compare_type": True, **app.extensions["migrate"].configure_args}
    options.pop("process_revision_directives", None)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return list(compare_metadata(context, db.metadata))


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


# SQLite cannot reflect expression indexes (the full-text ones): alembic says it skips them.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_upgrade_from_empty_gives_exactly_the_models_schema(empty_app: Flask) -> None:
    assert _tables() == set()
    upgrade()
    assert _tables() >= set(db.metadata.tables)
    assert _differences(empty_app) == []


def test_downgrade_to_base_leaves_no_table(empty_app: Flask) -> None:
    upgrade()
    downgrade(revision="base")
    # Alembic keeps its (now empty) version table; nothing of the application is left.
    assert _tables() <= {"alembic_version"}
    with db.engine.connect() as connection:
        if "alembic_version" in _tables():
            assert connection.scalar(sa.text("SELECT count(*) FROM alembic_version")) == 0
