"""Paper parity: what the printable catalogue lists (open offers and upcoming sessions).

Read-only; the same visibility as the web lists (offers and the agenda are cluster-wide).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from coop_formation.db import utcnow
from coop_formation.errors import NotFound
from coop_formation.exchange.models import Offer, OfferStatus
from coop_formation.exchange.search import offers_visible_to
from coop_formation.people.models import Company, Member
from coop_formation.training.models import SessionStatus, TrainingSession

CATALOGUE_LIMIT = 500


@dataclass
class Catalogue:
    company: Company | None
    offers: list[Offer]
    sessions: list[TrainingSession]
    printed_at: datetime


def catalogue(
    session: Session, actor: Member, company_id: int | None = None, now: datetime | None = None
) -> Catalogue:
    """Active offers and planned upcoming sessions of the cluster, or of one of its companies.

    A company is matched by the offer's company and by the session trainer's company; a
    company of another cluster answers NotFound.
    """
    now = now or utcnow()
    company = None
    if company_id is not None:
        company = session.get(Company, company_id)
        if company is None or company.cluster_id != actor.cluster_id:
            raise NotFound()
    offers_stmt = (
        sa.select(Offer)
        .where(offers_visible_to(actor), Offer.status == OfferStatus.ACTIVE)
        .options(
            joinedload(Offer.trainer),
            joinedload(Offer.company),
            joinedload(Offer.venue),
            selectinload(Offer.skills),
        )
        .order_by(Offer.title, Offer.id)
        .limit(CATALOGUE_LIMIT)
    )
    sessions_stmt = (
        sa.select(TrainingSession)
        .where(
            TrainingSession.cluster_id == actor.cluster_id,
            TrainingSession.status == SessionStatus.PLANNED,
            TrainingSession.ends_at >= now,
        )
        .options(
            selectinload(TrainingSession.slots),
            selectinload(TrainingSession.venue),
            selectinload(TrainingSession.trainer),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
        .limit(CATALOGUE_LIMIT)
    )
    if company is not None:
        offers_stmt = offers_stmt.where(Offer.company_id == company.id)
        sessions_stmt = sessions_stmt.where(
            TrainingSession.trainer_id.in_(
                sa.select(Member.id).where(Member.company_id == company.id)
            )
        )
    return Catalogue(
        company=company,
        offers=list(session.execute(offers_stmt).unique().scalars()),
        sessions=list(session.execute(sessions_stmt).scalars()),
        printed_at=now,
    )


def companies_of_cluster(session: Session, actor: Member) -> list[Company]:
    return list(
        session.execute(
            sa.select(Company).where(Company.cluster_id == actor.cluster_id).order_by(Company.name)
        ).scalars()
    )
