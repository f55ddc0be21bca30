"""Exchange: the skills framework, needs, offers and the skills members declare."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exchange", __name__, template_folder="templates")
