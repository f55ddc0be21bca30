"""coop_formation: the training cooperative of a cluster of companies.

:func:`create_app` is the only place the application is assembled.
"""

from __future__ import annotations

import importlib
import importlib.util
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from coop_formation.config import PROJECT_ROOT, Defaults, load_settings

__all__ = ["create_app"]


def _secret_key(instance: Path) -> str:
    """A per-installation secret kept under instance/ when COOP_SECRET_KEY is not set."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    settings = load_settings()
    if config:
        settings.update(config)
    instance = Path(str(settings["INSTANCE_PATH"]))
    app = Flask(
        __name__,
        instance_path=str(instance),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    app.config.from_object(Defaults)
    app.config.update(settings)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite:///"):
        instance.mkdir(parents=True, exist_ok=True)
        from coop_formation.db_setup import sqlite_engine_options

        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = sqlite_engine_options()
    elif str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        from coop_formation.db_setup import postgresql_engine_options

        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = postgresql_engine_options()

    from coop_formation.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)

    from coop_formation import i18n, security, web

    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    security.init_app(app)
    web.init_app(app)

    from coop_formation.people.auth import init_login

    init_login(app, login_manager)

    _import_models()
    _wire_rooms()
    _bound_integer_urls(app)
    _register_blueprints(app)

    from coop_formation.cli import register_commands

    register_commands(app)
    return app


def _import_models() -> None:
    """Import every domain's models so that metadata (and Alembic) sees all tables."""
    from coop_formation.models import import_all

    import_all()


ROOMS = (
    "people",
    "notifications",
    "exchange",
    "ledger",
    "training",
    "recognition",
    "matching",
    "club",
    "relations",
    "communities",
    "api",
)


def _wire_rooms() -> None:
    """Register each room's access rules (``rules.py``) in the permission registry and
    connect its event receivers (``receivers.py``)."""
    for room in ROOMS:
        for part in ("rules", "receivers"):
            name = f"coop_formation.{room}.{part}"
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)


def _bound_integer_urls(app: Flask) -> None:
    """``<int:...>`` in URLs only matches what a database integer column can hold.

    A larger number is simply an unknown page (404), never an overflow inside the database.
    """
    from werkzeug.routing import IntegerConverter

    class DatabaseIntegerConverter(IntegerConverter):
        def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = DatabaseIntegerConverter


def _register_blueprints(app: Flask) -> None:
    from coop_formation import site
    from coop_formation.api import ob3 as api_ob3
    from coop_formation.api import v1 as api_v1
    from coop_formation.club import views as club_views
    from coop_formation.communities import views as communities_views
    from coop_formation.exchange import views as exchange_views
    from coop_formation.ledger import views as ledger_views
    from coop_formation.matching import views as matching_views
    from coop_formation.notifications import views as notifications_views
    from coop_formation.people import views as people_views
    from coop_formation.recognition import views as recognition_views
    from coop_formation.relations import views as relations_views
    from coop_formation.training import views as training_views

    app.register_blueprint(site.bp)
    app.register_blueprint(people_views.bp)
    app.register_blueprint(exchange_views.bp)
    app.register_blueprint(ledger_views.bp)
    app.register_blueprint(training_views.bp)
    app.register_blueprint(recognition_views.bp)
    app.register_blueprint(api_v1.bp)
    app.register_blueprint(api_ob3.bp)
    app.register_blueprint(matching_views.bp)
    app.register_blueprint(club_views.bp)
    app.register_blueprint(relations_views.bp)
    app.register_blueprint(communities_views.bp)
    app.register_blueprint(notifications_views.bp)
