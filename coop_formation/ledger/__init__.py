"""ledger domain: the currency (accounts, transfers, policy, audit, clearing).

``bp`` is the room's blueprint; its views live in :mod:`.views`.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ledger", __name__, template_folder="templates")
