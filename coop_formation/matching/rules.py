"""Who may use matching, registered in :mod:`coop_formation.authz`.

Suggestions for a need are shown only to its author, its company's correspondents and the
coop admins who may read it; pools are handled by correspondents (and read by the authors
of their needs); nobody else learns that a company-only need or a pool exists (404).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from coop_formation.authz import Decision, Permission, can, rule, scope_rule
from coop_formation.exchange.models import Need, NeedStatus, NeedVisibility
from coop_formation.matching.models import Pool, pool_needs
from coop_formation.people.models import Member


def is_company_correspondent(actor: Member, need: Need) -> bool:
    return bool(
        actor.is_correspondent
        and actor.company_id is not None
        and actor.company_id == need.company_id
    )


def can_pool(actor: Member) -> bool:
    """Correspondents (who belong to a company) build pools."""
    return bool(actor.is_correspondent and actor.company_id is not None)


def _authored_pool_ids(actor: Member) -> sa.Select[tuple[int]]:
    """SQL: the pools holding a need the actor wrote."""
    return (
        sa.select(pool_needs.c.pool_id)
        .join(Need, Need.id == pool_needs.c.need_id)
        .where(Need.author_id == actor.id)
    )


def _wrote_a_need_of(actor: Member, pool: Pool) -> bool:
    session = object_session(pool)
    if session is None:
        return False
    stmt = sa.select(sa.func.count()).select_from(
        _authored_pool_ids(actor).where(pool_needs.c.pool_id == pool.id).subquery()
    )
    return (session.scalar(stmt) or 0) > 0


def _refused(actor: Member, need: Any) -> Decision:
    """403 for a need the actor may read, 404 for one they may not know exists."""
    return Decision.FORBIDDEN if can(actor, Permission.NEED_READ, need) else Decision.HIDDEN


@rule(Permission.SUGGESTIONS_READ)
def read_suggestions(actor: Member, need: Any) -> Decision:
    if not isinstance(need, Need) or not can(actor, Permission.NEED_READ, need):
        return Decision.HIDDEN
    if need.author_id == actor.id or is_company_correspondent(actor, need) or actor.is_admin:
        return Decision.ALLOWED
    return Decision.FORBIDDEN


@rule(Permission.CALL_OPEN)
def open_call(actor: Member, need: Any) -> Decision:
    """The author or a company correspondent opens a company need, still open, to the cluster."""
    if not isinstance(need, Need):
        return Decision.HIDDEN
    in_charge = need.author_id == actor.id or is_company_correspondent(actor, need)
    if in_charge and need.visibility == NeedVisibility.COMPANY and need.status == NeedStatus.OPEN:
        return Decision.ALLOWED
    return _refused(actor, need)


@rule(Permission.POOL_CREATE)
def create_pool(actor: Member, target: Any = None) -> bool:
    return can_pool(actor)


@rule(Permission.POOL_READ)
def read_pool(actor: Member, pool: Any) -> Decision:
    """Correspondents and coop admins of the pool's cluster, and the authors of its needs."""
    if not isinstance(pool, Pool):
        return Decision.ALLOWED if can_pool(actor) or actor.is_admin else Decision.FORBIDDEN
    if pool.cluster_id != actor.cluster_id:
        return Decision.HIDDEN
    if can_pool(actor) or actor.is_admin or _wrote_a_need_of(actor, pool):
        return Decision.ALLOWED
    return Decision.HIDDEN


@scope_rule(Permission.POOL_READ)
def pools_readable(actor: Member) -> sa.ColumnElement[bool]:
    in_cluster = Pool.cluster_id == actor.cluster_id
    if can_pool(actor) or actor.is_admin:
        return in_cluster
    return sa.and_(in_cluster, Pool.id.in_(_authored_pool_ids(actor)))


@rule(Permission.POOL_SCHEDULE)
def schedule_pool(actor: Member, pool: Any) -> Decision:
    """Correspondents and coop admins; the authors of its needs read the pool, no more."""
    if can_pool(actor) or actor.is_admin:
        if isinstance(pool, Pool) and pool.cluster_id != actor.cluster_id:
            return Decision.HIDDEN
        return Decision.ALLOWED
    if read_pool(actor, pool) is Decision.ALLOWED:
        return Decision.FORBIDDEN
    return Decision.HIDDEN if isinstance(pool, Pool) else Decision.FORBIDDEN
