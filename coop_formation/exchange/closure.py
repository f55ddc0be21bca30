"""What the exchange releases when an account closes (run by :mod:`.receivers`; flushes).

Needs and offers stay as history, signed "Ancien membre", but none stays open: nobody is
left to answer for them. Supports ("moi aussi") are the person's own and leave with them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.exchange.models import Need, NeedStatus, NeedSupporter, Offer, OfferStatus
from coop_formation.people.models import Member


def withdraw_needs(session: Session, member: Member) -> int:
    """Every need the member wrote (anonymous ones too) is closed; returns how many changed."""
    needs = session.scalars(
        sa.select(Need).where(Need.author_id == member.id, Need.status != NeedStatus.CLOSED)
    ).all()
    for need in needs:
        need.status = NeedStatus.CLOSED
    session.flush()
    return len(needs)


def remove_supports(session: Session, member: Member) -> int:
    """The member's "moi aussi" on others' needs are removed and those needs recounted."""
    need_ids = list(
        session.scalars(
            sa.select(NeedSupporter.need_id).where(NeedSupporter.member_id == member.id)
        )
    )
    if not need_ids:
        return 0
    session.execute(sa.delete(NeedSupporter).where(NeedSupporter.member_id == member.id))
    remaining = (
        sa.select(sa.func.count())
        .select_from(NeedSupporter)
        .where(NeedSupporter.need_id == Need.id)
        .scalar_subquery()
    )
    session.execute(
        sa.update(Need)
        .where(Need.id.in_(need_ids))
        .values(supporters_count=remaining)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return len(need_ids)


def archive_offers(session: Session, member: Member) -> int:
    """The member's offers to teach are archived (a closed account cannot teach)."""
    offers = session.scalars(
        sa.select(Offer).where(Offer.trainer_id == member.id, Offer.status == OfferStatus.ACTIVE)
    ).all()
    for offer in offers:
        offer.status = OfferStatus.ARCHIVED
    session.flush()
    return len(offers)
