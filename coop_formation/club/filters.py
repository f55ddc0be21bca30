"""The filters every HR club aggregate takes: a period and a group of companies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation.authz import Permission, require
from coop_formation.club.rules import refusal
from coop_formation.errors import InvalidInput
from coop_formation.people import directory
from coop_formation.people.models import Company, Member

MAX_PERIOD_DAYS = 5 * 366


@dataclass(frozen=True)
class ClubFilters:
    """A period (both days included) and the companies it covers (all of the cluster if none)."""

    cluster_id: int
    start: date
    end: date
    companies: tuple[Company, ...]
    all_companies: tuple[Company, ...]

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        """First instant after the period (the end day is included)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    @property
    def company_ids(self) -> list[int]:
        return [company.id for company in self.companies]

    @property
    def is_whole_cluster(self) -> bool:
        return len(self.companies) == len(self.all_companies)

    def months(self) -> list[str]:
        """``YYYY-MM`` of every month the period touches, in order."""
        months: list[str] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve calendar months, the current one included (up to today)."""
    today = today or datetime.now(UTC).date()
    year, month = today.year, today.month - 11
    if month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


def _month_end(day: date) -> date:
    following = day.replace(day=28) + timedelta(days=4)
    return following - timedelta(days=following.day)


def cluster_companies(session: Session, actor: Member) -> list[Company]:
    """The companies of the actor's cluster, by name (one query)."""
    return directory.list_companies(session, actor)


def resolve_filters(
    session: Session,
    actor: Member,
    *,
    start: date | None,
    end: date | None,
    company_ids: Iterable[int] = (),
) -> ClubFilters:
    """Check the period and the company group; unknown companies are refused, never guessed."""
    require(actor, Permission.CLUB_READ, message=refusal())
    default_start, default_end = default_period()
    start = start or default_start
    end = end or default_end
    if end < start:
        raise InvalidInput(_("La fin de la période doit suivre son début."), field="end")
    # Whole calendar months only: moving a period's end by one day would otherwise show, by
    # difference, how many people (possibly one) took part on that day.
    start, end = start.replace(day=1), _month_end(end)
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput(_("La période ne peut pas dépasser cinq ans."), field="end")
    companies = cluster_companies(session, actor)
    by_id = {company.id: company for company in companies}
    wanted = list(dict.fromkeys(company_ids))
    if any(company_id not in by_id for company_id in wanted):
        raise InvalidInput(_("Entreprise inconnue dans le groupe choisi."), field="companies")
    chosen = tuple(by_id[i] for i in wanted) if wanted else tuple(companies)
    chosen = tuple(sorted(chosen, key=lambda c: c.name))
    return ClubFilters(actor.cluster_id, start, end, chosen, tuple(companies))


def resolve_filters_or_refusal(
    session: Session,
    actor: Member,
    *,
    start: date | None,
    end: date | None,
    company_ids: Iterable[int] = (),
) -> ClubFilters | InvalidInput:
    """The filters, or why they are refused (for a page that shows it on its form).

    Reading changes nothing, so refused filters are an answer, not a failed action;
    :class:`~coop_formation.errors.Forbidden` is still raised.
    """
    try:
        return resolve_filters(session, actor, start=start, end=end, company_ids=company_ids)
    except InvalidInput as problem:
        return problem
