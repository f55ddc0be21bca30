"""Participation: the share of each company's staff who took part in at least one exchange.

A member took part during the period when they attended a session (attendance recorded),
taught a session that was held, wrote a need, or joined a need ("moi aussi"). The share is
the number of such distinct members divided by the company's declared headcount. Only
counts leave this module, through :mod:`coop_formation.club.kanon` (threshold and cell-key
rounding, which needs the ids of the people a cell counts); never a member.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CompoundSelect, distinct, func, select, union_all
from sqlalchemy.orm import Session

from coop_formation.authz import Permission, require
from coop_formation.club import kanon
from coop_formation.club.filters import ClubFilters
from coop_formation.club.rules import refusal
from coop_formation.exchange.models import Need, NeedSupporter
from coop_formation.people.models import Company, Member
from coop_formation.training.models import (
    Enrollment,
    EnrollmentStatus,
    SessionStatus,
    TrainingSession,
)


@dataclass
class CompanyParticipation:
    company_id: int
    name: str
    headcount: int | None
    participants: kanon.Cell
    rate: kanon.RateCell


@dataclass
class MonthParticipation:
    month: str
    participants: kanon.Cell
    rate: kanon.RateCell


@dataclass
class ParticipationReport:
    filters: ClubFilters
    companies: list[CompanyParticipation]
    total: kanon.Cell
    total_headcount: int | None
    total_rate: kanon.RateCell
    months: list[MonthParticipation]


def _events(
    cluster_id: int, start_at: datetime, end_at: datetime, company_ids: list[int] | None = None
) -> CompoundSelect:
    """(member_id, at) for every act of participation inside the period by the companies' staff.

    Each branch is restricted to the companies' members (a semi-join) before the union, so a
    one-company dashboard does not aggregate the whole cluster's activity.
    """
    members = select(Member.id).where(Member.cluster_id == cluster_id)
    if company_ids is not None:
        members = members.where(Member.company_id.in_(company_ids))
    staff = members.scalar_subquery()
    attended = (
        select(Enrollment.member_id.label("member_id"), TrainingSession.starts_at.label("at"))
        .join(TrainingSession, TrainingSession.id == Enrollment.session_id)
        .where(
            TrainingSession.cluster_id == cluster_id,
            Enrollment.status == EnrollmentStatus.ATTENDED,
            Enrollment.member_id.in_(staff),
            TrainingSession.starts_at >= start_at,
            TrainingSession.starts_at < end_at,
        )
    )
    taught = select(TrainingSession.trainer_id, TrainingSession.starts_at).where(
        TrainingSession.cluster_id == cluster_id,
        TrainingSession.status.in_((SessionStatus.HELD, SessionStatus.SETTLED)),
        TrainingSession.trainer_id.in_(staff),
        TrainingSession.starts_at >= start_at,
        TrainingSession.starts_at < end_at,
    )
    wrote = select(Need.author_id, Need.created_at).where(
        Need.cluster_id == cluster_id,
        Need.created_at >= start_at,
        Need.created_at < end_at,
        Need.author_id.in_(staff),
    )
    joined = (
        select(NeedSupporter.member_id, NeedSupporter.created_at)
        .join(Need, Need.id == NeedSupporter.need_id)
        .where(
            Need.cluster_id == cluster_id,
            NeedSupporter.created_at >= start_at,
            NeedSupporter.created_at < end_at,
            NeedSupporter.member_id.in_(staff),
        )
    )
    return union_all(attended, taught, wrote, joined)


def _month_of(session: Session, column: ColumnElement[Any]) -> ColumnElement[str]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def participants_by_company(
    session: Session, cluster_id: int, company_ids: list[int], start_at: datetime, end_at: datetime
) -> dict[int, int]:
    """Distinct participating members per company (one query; raw counts, not published)."""
    events = _events(cluster_id, start_at, end_at, company_ids).subquery()
    rows = session.execute(
        select(Member.company_id, func.count(distinct(events.c.member_id)))
        .join(Member, Member.id == events.c.member_id)
        .where(Member.company_id.in_(company_ids))
        .group_by(Member.company_id)
    ).all()
    # company_id IN (...) leaves out members without a company: no key is None.
    return dict(cast("Sequence[tuple[int, int]]", rows))


def participants_by_month(
    session: Session, cluster_id: int, company_ids: list[int], start_at: datetime, end_at: datetime
) -> dict[str, set[int]]:
    """Distinct participating members per ``YYYY-MM`` (one query; ids only, never published)."""
    events = _events(cluster_id, start_at, end_at, company_ids).subquery()
    month = _month_of(session, events.c.at).label("month")
    found: dict[str, set[int]] = {}
    for key, member_id in session.execute(
        select(month, events.c.member_id)
        .join(Member, Member.id == events.c.member_id)
        .where(Member.company_id.in_(company_ids))
        .distinct()
    ):
        found.setdefault(key, set()).add(member_id)
    return found


def participant_ids_by_company(
    session: Session, cluster_id: int, company_ids: list[int], start_at: datetime, end_at: datetime
) -> dict[int, set[int]]:
    """Distinct participating members per company (one query; ids only, never published)."""
    events = _events(cluster_id, start_at, end_at, company_ids).subquery()
    found: dict[int, set[int]] = {}
    for company_id, member_id in session.execute(
        select(Member.company_id, events.c.member_id)
        .join(Member, Member.id == events.c.member_id)
        .where(Member.company_id.in_(company_ids))
        .distinct()
    ):
        found.setdefault(company_id, set()).add(member_id)
    return found


def _headcount(companies: list[Company]) -> int | None:
    if not companies or any(not c.headcount for c in companies):
        return None
    return sum(c.headcount or 0 for c in companies)


def participation_report(
    session: Session, actor: Member, filters: ClubFilters
) -> ParticipationReport:
    """Per company and per month of the chosen group; two queries whatever the size."""
    require(actor, Permission.CLUB_READ, message=refusal())
    return build_report(session, filters)


def build_report(session: Session, filters: ClubFilters) -> ParticipationReport:
    """The report without the permission check (callers check: HR club or the dashboard)."""
    ids = filters.company_ids
    by_company = participant_ids_by_company(
        session, filters.cluster_id, ids, filters.start_at, filters.end_at
    )
    by_month = participants_by_month(
        session, filters.cluster_id, ids, filters.start_at, filters.end_at
    )
    rows = []
    for company in filters.companies:
        cell = kanon.people_cell(by_company.get(company.id, ()))
        rows.append(
            CompanyParticipation(
                company.id,
                company.name,
                company.headcount,
                cell,
                kanon.rate_cell(cell, company.headcount),
            )
        )
    # The total is published on its own (rounded by its own cell key), not as a sum.
    total = kanon.people_cell(set().union(*by_company.values()))
    total_headcount = _headcount(list(filters.companies))
    months = []
    for month in filters.months():
        cell = kanon.people_cell(by_month.get(month, ()))
        months.append(MonthParticipation(month, cell, kanon.rate_cell(cell, total_headcount)))
    return ParticipationReport(
        filters, rows, total, total_headcount, kanon.rate_cell(total, total_headcount), months
    )
