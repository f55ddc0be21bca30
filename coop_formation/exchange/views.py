"""Exchange views (placeholder routes; the exchange domain fills them in)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exchange", __name__, template_folder="templates")


@bp.get("/needs")
def list_needs() -> str:
    return "needs"


@bp.get("/offers")
def list_offers() -> str:
    return "offers"


@bp.get("/skills")
def skills_tree() -> str:
    return "skills"
