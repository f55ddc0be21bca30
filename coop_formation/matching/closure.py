"""What matching releases when an account closes, and holds on a member (export).

Run by :mod:`.receivers` inside the closure's transaction (flush, never commit). The
member's needs leave the pools still open (a scheduled pool keeps its history); their
consent to be suggested or called ends with the account.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.db import iso_or_none
from coop_formation.exchange.models import Need
from coop_formation.matching.models import (
    MatchingPreference,
    NeedCall,
    Pool,
    PoolStatus,
    pool_needs,
)
from coop_formation.people.models import Member


def leave_open_pools(session: Session, member: Member) -> int:
    """Take the member's needs out of every open pool; returns how many left."""
    own_needs = sa.select(Need.id).where(Need.author_id == member.id)
    open_pools = sa.select(Pool.id).where(Pool.status == PoolStatus.OPEN)
    result = session.execute(
        sa.delete(pool_needs).where(
            pool_needs.c.need_id.in_(own_needs), pool_needs.c.pool_id.in_(open_pools)
        )
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def forget_preferences(session: Session, member: Member) -> None:
    """No more suggestions as a trainer, no more calls: the consent row goes."""
    session.execute(sa.delete(MatchingPreference).where(MatchingPreference.member_id == member.id))
    session.flush()


def export_for_member(session: Session, member: Member) -> dict[str, Any]:
    """The member's matching consents, the pools their needs are in, and (as correspondent)
    the pools and calls they made; other people's needs and names are left out."""
    preference = session.get(MatchingPreference, member.id)
    in_pools = session.execute(
        sa.select(Pool, pool_needs.c.need_id)
        .join(pool_needs, pool_needs.c.pool_id == Pool.id)
        .join(Need, Need.id == pool_needs.c.need_id)
        .where(Need.author_id == member.id)
        .order_by(Pool.id, pool_needs.c.need_id)
    ).all()
    created = session.scalars(
        sa.select(Pool).where(Pool.created_by_id == member.id).order_by(Pool.id)
    ).all()
    calls = session.scalars(
        sa.select(NeedCall).where(NeedCall.opened_by_id == member.id).order_by(NeedCall.id)
    ).all()
    return {
        "preferences": (
            {
                "suggest_me": preference.suggest_me,
                "accept_calls": preference.accept_calls,
                "availability": preference.availability,
                "updated_at": iso_or_none(preference.updated_at),
            }
            if preference is not None
            else None
        ),
        "pools": [
            {
                "pool_id": pool.id,
                "title": pool.title,
                "status": pool.status.value,
                "my_need_id": need_id,
                "created_at": iso_or_none(pool.created_at),
            }
            for pool, need_id in in_pools
        ],
        "pools_created": [
            {
                "pool_id": pool.id,
                "title": pool.title,
                "status": pool.status.value,
                "created_at": iso_or_none(pool.created_at),
            }
            for pool in created
        ],
        "calls_opened": [
            {
                "need_id": call.need_id,
                "notified": call.notified,
                "created_at": iso_or_none(call.created_at),
            }
            for call in calls
        ],
    }
