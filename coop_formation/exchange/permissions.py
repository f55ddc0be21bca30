"""Who may do what in the exchange domain, decided here and nowhere else.

Views load the object, ask :func:`can` (or :func:`require`), then act. Reading rules are
mirrored in SQL by :mod:`coop_formation.exchange.search` so lists never show more than
detail pages.
"""

from __future__ import annotations

from typing import Any

from coop_formation.errors import Forbidden, NotFound
from coop_formation.exchange.models import (
    Need,
    NeedStatus,
    NeedVisibility,
    Offer,
    Skill,
    SkillStatus,
)
from coop_formation.people.models import Member

NEED_READ = "need:read"
NEED_EDIT = "need:edit"
NEED_SET_STATUS = "need:set_status"
NEED_JOIN = "need:join"
OFFER_READ = "offer:read"
OFFER_EDIT = "offer:edit"
SKILL_READ = "skill:read"
SKILL_PROPOSE = "skill:propose"
SKILL_MODERATE = "skill:moderate"


def can_read_need(actor: Member, need: Need) -> bool:
    """Company needs stay inside the company; cluster needs reach the whole cluster.

    HR club and coop admin accounts see cluster-visible needs only, like everyone else
    outside the company.
    """
    if need.author_id == actor.id:
        return True
    if need.cluster_id != actor.cluster_id:
        return False
    if need.visibility == NeedVisibility.CLUSTER:
        return True
    return actor.company_id is not None and actor.company_id == need.company_id


def can_moderate_skills(actor: Member) -> bool:
    return bool(actor.is_correspondent or actor.is_admin)


def can(actor: Member, permission: str, obj: Any = None) -> bool:
    """True when ``actor`` holds ``permission`` on ``obj``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if permission == NEED_READ:
        return can_read_need(actor, obj)
    if permission == NEED_EDIT:
        return obj.author_id == actor.id
    if permission == NEED_SET_STATUS:
        if obj.author_id == actor.id:
            return True
        return bool(
            actor.is_correspondent
            and actor.company_id is not None
            and actor.company_id == obj.company_id
            and can_read_need(actor, obj)
        )
    if permission == NEED_JOIN:
        return (
            can_read_need(actor, obj)
            and obj.author_id != actor.id
            and obj.status != NeedStatus.CLOSED
        )
    if permission == OFFER_READ:
        return obj.cluster_id == actor.cluster_id
    if permission == OFFER_EDIT:
        return obj.trainer_id == actor.id
    if permission == SKILL_READ:
        if obj.status in (SkillStatus.APPROVED, SkillStatus.MERGED):
            return True
        return obj.proposed_by_id == actor.id or can_moderate_skills(actor)
    if permission == SKILL_PROPOSE:
        return True
    if permission == SKILL_MODERATE:
        return can_moderate_skills(actor)
    raise ValueError(f"unknown permission {permission}")


_READ_OF = {
    NEED_EDIT: NEED_READ,
    NEED_SET_STATUS: NEED_READ,
    NEED_JOIN: NEED_READ,
    OFFER_EDIT: OFFER_READ,
}


def require(actor: Member, permission: str, obj: Any = None) -> None:
    """Raise NotFound when the actor may not even know ``obj`` exists, else Forbidden."""
    if can(actor, permission, obj):
        return
    read = _READ_OF.get(permission)
    if permission in (NEED_READ, OFFER_READ, SKILL_READ) or (read and not can(actor, read, obj)):
        raise NotFound()
    raise Forbidden()


__all__ = [
    "NEED_EDIT",
    "NEED_JOIN",
    "NEED_READ",
    "NEED_SET_STATUS",
    "OFFER_EDIT",
    "OFFER_READ",
    "SKILL_MODERATE",
    "SKILL_PROPOSE",
    "SKILL_READ",
    "Need",
    "Offer",
    "Skill",
    "can",
    "require",
]
