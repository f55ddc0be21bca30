"""matching domain: suggestions for needs, consent to be suggested, pools of needs, calls."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("matching", __name__, template_folder="templates")
