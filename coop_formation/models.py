"""One import point for every domain's models (used by Alembic and the app factory)."""

from __future__ import annotations


def import_all() -> None:
    from coop_formation.exchange import models as _exchange  # noqa: F401
    from coop_formation.people import models as _people  # noqa: F401
