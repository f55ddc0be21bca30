"""The shared web layer: how a view runs a user action (:mod:`.actions`), who is acting
(:mod:`.current`), template filters (:mod:`.filters`) and error pages (:mod:`.errors`).

It is the only place that commits a web request's work.
"""

from __future__ import annotations

from flask import Flask

from coop_formation.web import errors, filters
from coop_formation.web.actions import perform, post_action, show_error, submit_form
from coop_formation.web.current import acting_member, acting_member_or_none
from coop_formation.web.navigation import safe_next

__all__ = [
    "acting_member",
    "acting_member_or_none",
    "init_app",
    "perform",
    "post_action",
    "safe_next",
    "show_error",
    "submit_form",
]


def init_app(app: Flask) -> None:
    errors.register_error_handlers(app)
    filters.init_app(app)
