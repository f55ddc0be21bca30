"""Pooled external trainings: the HR club proposes, companies take seats, the price is shared.

Cost rule: the training's price is the total the provider asks for the group. It is shared
between the companies that joined in proportion to the seats each took
(``price × seats of the company ÷ seats taken by all``), rounded down to the cent; the few
cents left go one by one to the largest remainders (ties: company name), so the shares add
up exactly to the price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from coop_formation.authz import Permission, can, require
from coop_formation.club.models import PooledTraining, PooledTrainingSeats
from coop_formation.club.rules import company_in_reach, refusal
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.people import directory
from coop_formation.people.models import Company, Member

MAX_PRICE_CENTS = 100_000_000  # one million euros
MAX_SEATS = 1000


def parse_euros(text: str) -> int:
    """``"1 234,50"``, ``"1234.5"``, ``"80 €"`` → cents; InvalidInput when not a price."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text or "").replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise InvalidInput(
            _("Indiquez un prix en euros, par exemple 1 200 ou 1 200,50."), field="price"
        )
    try:
        cents = int(Decimal(cleaned) * 100)
    except InvalidOperation as exc:  # pragma: no cover - the regex filters already
        raise InvalidInput(_("Prix invalide."), field="price") from exc
    if cents <= 0:
        raise InvalidInput(_("Le prix doit être supérieur à zéro."), field="price")
    if cents > MAX_PRICE_CENTS:
        raise InvalidInput(_("Ce prix est trop élevé."), field="price")
    return cents


def format_euros(cents: int) -> str:
    """``123450`` → ``1 234,50 €`` (French grouping with a narrow no-break space)."""
    units, rest = divmod(cents, 100)
    grouped = f"{units:,}".replace(",", "\u202f")
    return f"{grouped},{rest:02d}\u00a0€"


def split_cost(price_cents: int, seats: dict[int, int], order: dict[int, str]) -> dict[int, int]:
    """Share ``price_cents`` between companies by seats; the shares sum exactly to the price."""
    total = sum(seats.values())
    if total <= 0:
        return {}
    shares = {key: price_cents * n // total for key, n in seats.items()}
    remainders = sorted(
        seats,
        key=lambda key: (-(price_cents * seats[key] % total), order.get(key, ""), key),
    )
    for key in remainders[: price_cents - sum(shares.values())]:
        shares[key] += 1
    return shares


@dataclass
class ShareLine:
    company_id: int
    company: str
    seats: int
    cents: int


@dataclass
class TrainingView:
    training: PooledTraining
    lines: list[ShareLine]
    seats_taken: int

    @property
    def seats_left(self) -> int:
        return self.training.seats - self.seats_taken

    @property
    def deadline_passed(self) -> bool:
        return self.training.deadline < datetime.now(UTC).date()

    @property
    def per_seat_cents(self) -> int | None:
        """Indicative price of one seat with the seats taken so far (rounded down)."""
        return self.training.price_cents // self.seats_taken if self.seats_taken else None

    @property
    def total_cents(self) -> int:
        return sum(line.cents for line in self.lines)


def _view(training: PooledTraining) -> TrainingView:
    reservations = sorted(training.reservations, key=lambda r: (r.company.name, r.company_id))
    seats = {r.company_id: r.seats for r in reservations}
    names = {r.company_id: r.company.name for r in reservations}
    shares = split_cost(training.price_cents, seats, names)
    lines = [
        ShareLine(r.company_id, r.company.name, r.seats, shares.get(r.company_id, 0))
        for r in reservations
    ]
    return TrainingView(training, lines, sum(seats.values()))


def list_trainings(session: Session, actor: Member) -> list[TrainingView]:
    """Every pooled training of the cluster, newest deadline first (two queries)."""
    require(actor, Permission.POOLED_READ, message=refusal())
    trainings = session.scalars(
        select(PooledTraining)
        .where(PooledTraining.cluster_id == actor.cluster_id)
        .options(selectinload(PooledTraining.reservations).joinedload(PooledTrainingSeats.company))
        .order_by(PooledTraining.deadline.desc(), PooledTraining.id.desc())
    ).all()
    return [_view(t) for t in trainings]


def get_training(session: Session, actor: Member, training_id: int) -> TrainingView:
    """One training of the actor's cluster with its cost split; 404 otherwise."""
    require(actor, Permission.POOLED_READ, message=refusal())
    training = session.scalar(
        select(PooledTraining)
        .where(PooledTraining.id == training_id, PooledTraining.cluster_id == actor.cluster_id)
        .options(selectinload(PooledTraining.reservations).joinedload(PooledTrainingSeats.company))
    )
    if training is None:
        raise NotFound(_("Formation mutualisée introuvable."))
    return _view(training)


def _text(value: str, field: str, label: str, max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Indiquez %(label)s.", label=label), field=field)
    if len(value) > max_length:
        raise InvalidInput(_("%(max)d caractères au plus.", max=max_length), field=field)
    return value


def propose_training(
    session: Session,
    actor: Member,
    *,
    provider: str,
    title: str,
    description: str,
    price: str,
    seats: int | None,
    deadline: date | None,
) -> PooledTraining:
    """Record a proposal (HR club, admin). The price is typed in euros, stored in cents."""
    require(actor, Permission.POOLED_PROPOSE, message=refusal())
    provider = _text(provider, "provider", _("l'organisme de formation"))
    title = _text(title, "title", _("l'intitulé"))
    cents = parse_euros(price)
    if seats is None or not 1 <= seats <= MAX_SEATS:
        raise InvalidInput(
            _("Le nombre de places doit être compris entre 1 et %(max)d.", max=MAX_SEATS),
            field="seats",
        )
    if deadline is None:
        raise InvalidInput(_("Indiquez une date limite d'inscription."), field="deadline")
    if deadline < datetime.now(UTC).date():
        raise InvalidInput(_("La date limite est déjà passée."), field="deadline")
    training = PooledTraining(
        cluster_id=actor.cluster_id,
        proposed_by_id=actor.id,
        provider=provider,
        title=title,
        description=(description or "").strip()[:5000],
        price_cents=cents,
        seats=seats,
        deadline=deadline,
    )
    session.add(training)
    session.flush()
    return training


def joinable_companies(session: Session, actor: Member) -> list[Company]:
    """Companies the actor may take seats for: their own (correspondent) or all (HR, admin)."""
    require(actor, Permission.POOLED_JOIN, message=refusal())
    companies = directory.list_companies(session, actor)
    return [company for company in companies if can(actor, Permission.POOLED_JOIN, company)]


def reserve_seats(
    session: Session, actor: Member, *, training_id: int, company_id: int | None, seats: int | None
) -> PooledTrainingSeats | None:
    """Set a company's seats (0 withdraws). The training row is locked so seats never overflow."""
    require(actor, Permission.POOLED_JOIN, message=refusal())
    company = company_in_reach(
        actor, Permission.POOLED_JOIN, session.get(Company, company_id) if company_id else None
    )
    training = session.scalar(
        select(PooledTraining)
        .where(PooledTraining.id == training_id, PooledTraining.cluster_id == actor.cluster_id)
        .with_for_update()
    )
    if training is None:
        raise NotFound(_("Formation mutualisée introuvable."))
    if training.deadline < datetime.now(UTC).date():
        raise InvalidInput(_("La date limite d'inscription est passée."), field="seats")
    if seats is None or seats < 0:
        raise InvalidInput(_("Indiquez un nombre de places (0 pour se retirer)."), field="seats")
    current = session.scalar(
        select(PooledTrainingSeats).where(
            PooledTrainingSeats.training_id == training.id,
            PooledTrainingSeats.company_id == company.id,
        )
    )
    others = sum(
        session.scalars(
            select(PooledTrainingSeats.seats).where(
                PooledTrainingSeats.training_id == training.id,
                PooledTrainingSeats.company_id != company.id,
            )
        )
    )
    if others + seats > training.seats:
        raise InvalidInput(
            _("Il ne reste que %(left)d place(s).", left=max(training.seats - others, 0)),
            field="seats",
        )
    if seats == 0:
        if current is not None:
            session.delete(current)
            session.flush()
        return None
    if current is None:
        current = PooledTrainingSeats(
            training_id=training.id,
            company_id=company.id,
            seats=seats,
            joined_by_id=actor.id,
        )
        session.add(current)
    else:
        current.seats = seats
        current.joined_by_id = actor.id
    session.flush()
    session.expire(training, ["reservations"])
    return current
