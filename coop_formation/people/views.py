"""People views (placeholder routes; the people domain fills them in)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("people", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str:
    return "login"


@bp.post("/logout")
def logout() -> str:
    return "logout"


@bp.get("/me")
def profile() -> str:
    return "me"


@bp.get("/charte")
def charter() -> str:
    return "charter"


@bp.get("/gestion/membres")
def admin_members() -> str:
    return "admin"
