"""The API's two blueprints, created here so that every module adding routes imports
them from one place (no module imports the one that registers its routes).

``/api/v1`` (personal tokens, ``application/problem+json``) is CSRF-exempt as a whole;
``/ims/ob/v3p0`` (Open Badges API and its OAuth 2.0 server) exempts its machine
endpoints one by one, since its consent page is a browser form.
"""

from __future__ import annotations

from flask import Blueprint, current_app

from coop_formation.extensions import csrf

v1_bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
csrf.exempt(v1_bp)

ob3_bp = Blueprint("ob3", __name__, url_prefix="/ims/ob/v3p0", template_folder="templates")


def base_url() -> str:
    """The public root of the app (``BASE_URL``), without trailing slash."""
    return str(current_app.config["BASE_URL"]).rstrip("/")
