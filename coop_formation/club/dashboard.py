"""The correspondent dashboard of one company: needs to serve, sessions to organise, the
company's participation as aggregates. Bounded: a fixed number of queries whatever the data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from coop_formation.authz import Permission, require
from coop_formation.club import kanon
from coop_formation.club.filters import ClubFilters, default_period
from coop_formation.club.participation import participant_ids_by_company
from coop_formation.club.rules import company_in_reach, refusal
from coop_formation.errors import DomainError
from coop_formation.exchange.models import Need, NeedStatus
from coop_formation.matching import services as matching
from coop_formation.people import directory
from coop_formation.people.models import Company, Member
from coop_formation.training.models import SessionStatus, TrainingSession

log = logging.getLogger(__name__)

NEEDS_LIMIT = 50
SESSIONS_LIMIT = 20


@dataclass
class NeedRow:
    """What the dashboard shows of a need: the author's name only when not anonymous."""

    id: int
    title: str
    created_at: datetime
    author_name: str | None
    supporters_count: int
    skills: list[str]
    visibility: str


@dataclass
class Dashboard:
    company: Company
    companies: list[Company]  # the selector (admin only; empty for a correspondent)
    open_needs: list[NeedRow]
    open_needs_total: int
    sessions_to_organise: list[TrainingSession]
    sessions_to_close: list[TrainingSession]
    participants: kanon.Cell
    participation_rate: kanon.RateCell
    period: tuple[Any, Any]
    suggestions: list[Any] | None = None
    pools: list[Any] | None = None
    notes: list[str] = field(default_factory=list)


SUGGESTED_NEEDS = 3  # needs whose suggestions the dashboard shows (a constant: bounded)
SUGGESTIONS_PER_NEED = 3
POOLS_LIMIT = 10


def _suggestions(session: Session, actor: Member, needs: list[Need]) -> list[tuple[Need, list]]:
    """Matching's ranked suggestions for the newest few needs (those the actor may rank)."""
    found = []
    for need in needs[:SUGGESTED_NEEDS]:
        try:
            suggestions = matching.suggestions_for_need(
                session, actor, need, limit=SUGGESTIONS_PER_NEED
            )
            found.append((need, list(suggestions)))
        except DomainError:  # e.g. the admin is not in charge of this need
            continue
    return found


def _pools(session: Session, actor: Member) -> list | None:
    """Matching's open pools of the cluster (None without the right to see them)."""
    try:
        return list(matching.list_pools(session, actor))[:POOLS_LIMIT]
    except DomainError:
        return None


def company_dashboard(session: Session, actor: Member, company_id: int | None) -> Dashboard:
    """The dashboard of ``company_id`` (default: the actor's company); 404 if out of reach."""
    require(actor, Permission.DASHBOARD_READ, message=refusal())
    companies: list[Company] = []
    if actor.is_admin:
        companies = directory.list_companies(session, actor)
        by_id = {c.id: c for c in companies}
        company = by_id.get(company_id or actor.company_id or 0) or (
            None if company_id else (companies[0] if companies else None)
        )
    else:
        if company_id is not None and company_id != actor.company_id:
            company = None
        else:
            company = session.get(Company, actor.company_id)
    company = company_in_reach(actor, Permission.DASHBOARD_READ, company)

    needs = session.scalars(
        select(Need)
        .where(Need.company_id == company.id, Need.status == NeedStatus.OPEN)
        .options(selectinload(Need.skills), joinedload(Need.author))
        .order_by(Need.created_at.desc(), Need.id.desc())
        .limit(NEEDS_LIMIT)
    ).all()
    rows = [
        NeedRow(
            id=need.id,
            title=need.title,
            created_at=need.created_at,
            author_name=None if need.anonymous else need.author.display_name,
            supporters_count=need.supporters_count,
            skills=[skill.label for skill in need.skills],
            visibility=need.visibility.value,
        )
        for need in needs
    ]
    total = session.scalar(
        select(func.count(Need.id)).where(
            Need.company_id == company.id, Need.status == NeedStatus.OPEN
        )
    )

    organiser, trainer = aliased(Member), aliased(Member)
    concerns_company = or_(
        organiser.company_id == company.id,
        trainer.company_id == company.id,
        Need.company_id == company.id,
    )
    base = (
        select(TrainingSession)
        .join(organiser, organiser.id == TrainingSession.organiser_id)
        .join(trainer, trainer.id == TrainingSession.trainer_id)
        .outerjoin(Need, Need.id == TrainingSession.need_id)
        .where(TrainingSession.cluster_id == actor.cluster_id, concerns_company)
        .limit(SESSIONS_LIMIT)
    )
    now = datetime.now(UTC)
    to_organise = session.scalars(
        base.where(
            TrainingSession.status == SessionStatus.PLANNED, TrainingSession.ends_at >= now
        ).order_by(TrainingSession.starts_at)
    ).all()
    to_close = session.scalars(
        base.where(
            or_(
                TrainingSession.status == SessionStatus.HELD,
                (TrainingSession.status == SessionStatus.PLANNED) & (TrainingSession.ends_at < now),
            )
        ).order_by(TrainingSession.starts_at)
    ).all()

    start, end = default_period()
    filters = ClubFilters(actor.cluster_id, start, end, (company,), (company,))
    people = participant_ids_by_company(
        session, actor.cluster_id, [company.id], filters.start_at, filters.end_at
    ).get(company.id, set())
    cell = kanon.people_cell(people)  # the same figure as the club's participation page

    dashboard = Dashboard(
        company=company,
        companies=companies,
        open_needs=rows,
        open_needs_total=total or 0,
        sessions_to_organise=list(to_organise),
        sessions_to_close=list(to_close),
        participants=cell,
        participation_rate=kanon.rate_cell(cell, company.headcount),
        period=(start, end),
    )
    dashboard.suggestions = _suggestions(session, actor, list(needs))
    dashboard.pools = _pools(session, actor)
    return dashboard
