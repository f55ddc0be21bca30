"""Communities of practice: posts, shared resources, linked sessions, paper parity.

``bp`` is the room's blueprint; :mod:`.views` and :mod:`.paper` add their routes to it.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("communities", __name__, template_folder="templates")
