"""Inter-company clearing: who taught whom, company by company, over a period.

Built from ledger data only. A session's learners pay ``session_fee`` transfers (posted at
attendance) referencing the training session; the session's ``teaching`` transfer names the
trainer. Each posted, unreversed fee of the period is converted to learner-hours with the
``price_per_hour`` of the policy in force when it was posted, and attributed to the pair
(trainer's company → learner's company). Sessions not yet settled (no teaching transfer),
and people without a company, are left out. With several trainers, hours are split evenly.
No individual appears in the result: only companies.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, aliased

from coop_formation.authz import Permission, require
from coop_formation.errors import InvalidInput
from coop_formation.ledger.models import (
    Account,
    LedgerPolicy,
    Transfer,
    TransferKind,
    TransferState,
)
from coop_formation.ledger.policy import current_policy
from coop_formation.ledger.rules import refusal
from coop_formation.people.models import Company, Member

SESSION_REFERENCE = "training_session"


@dataclass(frozen=True)
class CompanyLine:
    company: str
    taught_hours: Decimal
    received_hours: Decimal
    taught_amount: int
    received_amount: int

    @property
    def net_hours(self) -> Decimal:
        return self.taught_hours - self.received_hours

    @property
    def net_amount(self) -> int:
        return self.taught_amount - self.received_amount


@dataclass(frozen=True)
class PairLine:
    """Between two companies: hours each taught the other's members, and the net."""

    first: str
    second: str
    first_to_second_hours: Decimal
    second_to_first_hours: Decimal
    first_to_second_amount: int
    second_to_first_amount: int

    @property
    def net_hours(self) -> Decimal:
        return self.first_to_second_hours - self.second_to_first_hours

    @property
    def net_amount(self) -> int:
        return self.first_to_second_amount - self.second_to_first_amount


@dataclass(frozen=True)
class ClearingReport:
    start: date
    end: date
    companies: list[CompanyLine]
    pairs: list[PairLine]
    unit_code: str
    minor_per_unit: int


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if start >= end:
        raise InvalidInput(_("La fin de la période doit suivre son début."), field="end")
    if (end - start).days > 366 * 5:
        raise InvalidInput(_("Choisissez une période de cinq ans au plus."), field="end")
    return datetime.combine(start, time.min, UTC), datetime.combine(end, time.min, UTC)


class _PriceBook:
    """The price per hour in force at any moment, from the policy history."""

    def __init__(self, session: Session, cluster_id: int) -> None:
        rows = session.execute(
            sa.select(LedgerPolicy.effective_from, LedgerPolicy.price_per_hour)
            .where(LedgerPolicy.cluster_id == cluster_id)
            .order_by(LedgerPolicy.effective_from, LedgerPolicy.id)
        ).all()
        self.times = [row[0] for row in rows]
        self.prices = [row[1] for row in rows]
        self.default = LedgerPolicy.defaults(cluster_id).price_per_hour

    def at(self, moment: datetime) -> int:
        index = bisect.bisect_right(self.times, moment) - 1
        return self.prices[index] if index >= 0 else self.default


def _not_reversed(transfer: type[Transfer]) -> sa.ColumnElement[bool]:
    reversal = aliased(Transfer)
    return ~sa.exists().where(reversal.reversal_of_id == transfer.id)


def clearing_report(session: Session, actor: Member, *, start: date, end: date) -> ClearingReport:
    """Hours taught and received between the actor's cluster companies over [start, end)."""
    require(actor, Permission.READ_CLEARING, message=refusal())
    since, until = _bounds(start, end)
    fee = aliased(Transfer)
    learner = aliased(Member)
    fees = session.execute(
        sa.select(fee.reference_id, learner.company_id, fee.amount, fee.created_at)
        .join(Account, Account.id == fee.debit_account_id)
        .join(learner, learner.id == Account.member_id)
        .where(
            fee.cluster_id == actor.cluster_id,
            fee.kind == TransferKind.SESSION_FEE.value,
            fee.state == TransferState.POSTED,
            fee.reference_type == SESSION_REFERENCE,
            fee.created_at >= since,
            fee.created_at < until,
            learner.company_id.is_not(None),
            _not_reversed(fee),
        )
    ).all()
    session_ids = {row[0] for row in fees if row[0] is not None}
    trainers: dict[int, set[int]] = defaultdict(set)
    if session_ids:
        teach = aliased(Transfer)
        trainer = aliased(Member)
        for reference_id, company_id in session.execute(
            sa.select(teach.reference_id, trainer.company_id)
            .join(Account, Account.id == teach.credit_account_id)
            .join(trainer, trainer.id == Account.member_id)
            .where(
                teach.cluster_id == actor.cluster_id,
                teach.kind == TransferKind.TEACHING.value,
                teach.state == TransferState.POSTED,
                teach.reference_type == SESSION_REFERENCE,
                teach.reference_id.in_(session_ids),
                trainer.company_id.is_not(None),
                _not_reversed(teach),
            )
        ):
            trainers[reference_id].add(company_id)

    prices = _PriceBook(session, actor.cluster_id)
    hours: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    amounts: dict[tuple[int, int], int] = defaultdict(int)
    for reference_id, learner_company, amount, created_at in fees:
        teachers = trainers.get(reference_id)
        if not teachers:
            continue
        price = prices.at(created_at)
        share = Decimal(amount) / len(teachers)
        for teacher_company in teachers:
            if teacher_company == learner_company:
                continue
            pair = (teacher_company, learner_company)
            amounts[pair] += amount // len(teachers)
            if price > 0:
                hours[pair] += share / price
    return _build(session, actor, start, end, hours, amounts)


def clearing_report_or_refusal(
    session: Session, actor: Member, *, start: date, end: date
) -> ClearingReport | InvalidInput:
    """The report, or why its period is refused (for a page that shows it on its form).

    Reading changes nothing, so a refused period is an answer, not a failed action;
    :class:`~coop_formation.errors.Forbidden` is still raised.
    """
    try:
        return clearing_report(session, actor, start=start, end=end)
    except InvalidInput as problem:
        return problem


def _build(
    session: Session,
    actor: Member,
    start: date,
    end: date,
    hours: dict[tuple[int, int], Decimal],
    amounts: dict[tuple[int, int], int],
) -> ClearingReport:
    companies = list(
        session.scalars(
            sa.select(Company).where(Company.cluster_id == actor.cluster_id).order_by(Company.name)
        )
    )
    names = {c.id: c.name for c in companies}
    lines = []
    for company in companies:
        lines.append(
            CompanyLine(
                company=company.name,
                taught_hours=sum((h for (a, _b), h in hours.items() if a == company.id), Decimal()),
                received_hours=sum(
                    (h for (_a, b), h in hours.items() if b == company.id), Decimal()
                ),
                taught_amount=sum(v for (a, _b), v in amounts.items() if a == company.id),
                received_amount=sum(v for (_a, b), v in amounts.items() if b == company.id),
            )
        )
    pairs = []
    seen = {tuple(sorted(pair, key=lambda i: (names.get(i, ""), i))) for pair in amounts}
    for first, second in sorted(seen, key=lambda p: (names.get(p[0], ""), names.get(p[1], ""))):
        pairs.append(
            PairLine(
                first=names.get(first, "?"),
                second=names.get(second, "?"),
                first_to_second_hours=hours.get((first, second), Decimal()),
                second_to_first_hours=hours.get((second, first), Decimal()),
                first_to_second_amount=amounts.get((first, second), 0),
                second_to_first_amount=amounts.get((second, first), 0),
            )
        )
    policy = current_policy(session, actor.cluster_id)
    return ClearingReport(start, end, lines, pairs, policy.unit_code, policy.minor_per_unit)
