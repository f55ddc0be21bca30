"""training domain: sessions, enrolments, attendance and settlement, agendas and venues."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("training", __name__, template_folder="templates")
