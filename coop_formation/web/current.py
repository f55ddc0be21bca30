"""The acting member of a request: views read it here and pass it to services."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask_login import current_user

if TYPE_CHECKING:
    from coop_formation.people.models import Member


def acting_member() -> Member:
    """The signed-in member (views behind ``login_required`` only)."""
    return cast("Member", current_user._get_current_object())


def acting_member_or_none() -> Member | None:
    """The signed-in member, or ``None`` for an anonymous visitor."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    return acting_member()
