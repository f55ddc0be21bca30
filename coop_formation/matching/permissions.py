"""Who may use matching: decided here and nowhere else.

Suggestions for a need are shown only to its author, its company's correspondents and the
coop admins who may read it; pools are handled by correspondents; nobody else learns that
a company-only need exists (404).
"""

from __future__ import annotations

from typing import Any

from coop_formation.errors import Forbidden, NotFound
from coop_formation.exchange.models import Need, NeedStatus, NeedVisibility
from coop_formation.exchange.permissions import can_read_need
from coop_formation.matching.models import Pool
from coop_formation.people.models import Member

SUGGESTIONS_READ = "matching:suggestions-read"
POOL_CREATE = "matching:pool-create"
POOL_READ = "matching:pool-read"
POOL_SCHEDULE = "matching:pool-schedule"
CALL_OPEN = "matching:call-open"


def is_company_correspondent(actor: Member, need: Need) -> bool:
    return bool(
        actor.is_correspondent
        and actor.company_id is not None
        and actor.company_id == need.company_id
    )


def can_pool(actor: Member) -> bool:
    """Correspondents (who belong to a company) build pools."""
    return bool(actor.is_correspondent and actor.company_id is not None)


def can(actor: Member, permission: str, obj: Any = None, *, pooled_author: bool = False) -> bool:
    """True when ``actor`` holds ``permission`` on ``obj`` (a need or a pool).

    ``pooled_author`` tells POOL_READ that the actor wrote one of the pool's needs (the
    caller computed it with one query).
    """
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.is_closed:
        return False
    if permission == SUGGESTIONS_READ:
        if not can_read_need(actor, obj):
            return False
        return obj.author_id == actor.id or is_company_correspondent(actor, obj) or actor.is_admin
    if permission == CALL_OPEN:
        if obj.author_id != actor.id and not is_company_correspondent(actor, obj):
            return False
        return obj.visibility == NeedVisibility.COMPANY and obj.status == NeedStatus.OPEN
    if permission == POOL_CREATE:
        return can_pool(actor)
    if isinstance(obj, Pool) and obj.cluster_id != actor.cluster_id:
        return False
    if permission == POOL_READ:
        return can_pool(actor) or bool(actor.is_admin) or pooled_author
    if permission == POOL_SCHEDULE:
        return can_pool(actor) or bool(actor.is_admin)
    raise ValueError(f"unknown permission {permission}")


def require(
    actor: Member, permission: str, obj: Any = None, *, pooled_author: bool = False
) -> None:
    """404 when the actor may not know ``obj`` exists, 403 when they may read but not act."""
    if can(actor, permission, obj, pooled_author=pooled_author):
        return
    if isinstance(obj, Need) and not can_read_need(actor, obj):
        raise NotFound()
    if isinstance(obj, Pool) and (
        obj.cluster_id != actor.cluster_id
        or not can(actor, POOL_READ, obj, pooled_author=pooled_author)
    ):
        raise NotFound()
    raise Forbidden()
