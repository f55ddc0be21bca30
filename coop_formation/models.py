"""One import point for every domain's models (used by Alembic and the app factory)."""

from __future__ import annotations

import importlib

DOMAINS = (
    "people",
    "exchange",
    "ledger",
    "training",
    "recognition",
    "matching",
    "club",
    "notifications",
    "relations",
    "communities",
    "api",
)


def import_all() -> None:
    for domain in DOMAINS:
        try:
            importlib.import_module(f"coop_formation.{domain}.models")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"coop_formation.{domain}", f"coop_formation.{domain}.models"):
                raise
