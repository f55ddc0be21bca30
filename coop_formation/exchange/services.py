"""Exchange services."""

from __future__ import annotations

from typing import Any

from coop_formation.people.models import Member


def home_overview(actor: Member) -> dict[str, Any]:
    return {}
