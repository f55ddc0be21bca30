"""recognition domain: achievements, awarding, endorsements, issuer keys, public pages.

``bp`` is the room's one blueprint; its routes live in ``views`` (public pages),
``views_member`` (members' badges) and ``views_manage`` (catalogue and awarding).
"""

from flask import Blueprint

bp = Blueprint("recognition", __name__, template_folder="templates")
