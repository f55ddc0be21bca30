"""club domain: the correspondent dashboard and the HR club (skills map, participation,
pooled external trainings), with their CSV exports.

``bp`` is the room's blueprint; its views live in :mod:`.views`.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("club", __name__, template_folder="templates")
