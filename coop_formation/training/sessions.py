"""Creating, reading and cancelling sessions; venues and their booking.

Guarantees: a session's capacity never exceeds its venue's; a venue never hosts two live
sessions whose dates overlap (the venue row is locked while checking, on PostgreSQL);
every date is in the future and ends after it starts; the learner price is a snapshot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Conflict, Forbidden, InvalidInput, NotFound
from coop_formation.exchange.models import Format, Need, Offer, Venue
from coop_formation.i18n import DISPLAY_TZ
from coop_formation.ledger import services as ledger
from coop_formation.notifications.services import notify
from coop_formation.people.models import Member
from coop_formation.training.models import (
    Enrollment,
    EnrollmentStatus,
    SessionSlot,
    SessionStatus,
    TrainerConsent,
    TrainingSession,
)

MAX_SLOTS = 10
MAX_CAPACITY = 500
LANGUAGES = ("fr", "en", "de", "es", "it", "other")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class SlotInput:
    starts_at: datetime
    ends_at: datetime


@dataclass
class SessionInput:
    """What the creation form says, already parsed (datetimes aware)."""

    title: str
    slots: list[SlotInput]
    capacity: int
    description: str = ""
    format: Format = Format.TRAINING
    language: str = "fr"
    venue_id: int | None = None
    remote_url: str | None = None
    on_work_time: bool = True
    trainer_id: int | None = None


@dataclass
class VenueInput:
    name: str
    capacity: int
    address: str = ""
    accessibility: str = ""
    opening_hours: str = ""


def paris_to_utc(local: datetime) -> datetime:
    """Interpret a naive wall-clock time as Europe/Paris and return it in UTC."""
    return local.replace(tzinfo=DISPLAY_TZ).astimezone(ZoneInfo("UTC"))


def price_for(minutes: int, per_hour: int) -> int:
    """Minor units for ``minutes`` at ``per_hour``, rounded half up (integers only)."""
    return (minutes * per_hour + 30) // 60


# Reading --------------------------------------------------------------------------------


def get_session(session: Session, *, actor: Member, session_id: int) -> TrainingSession:
    """The session if the actor may read it; 404 otherwise (no leak across clusters)."""
    found = session.get(TrainingSession, session_id)
    if found is None or not authz.can(actor, Permission.SESSION_READ, found):
        raise NotFound(_("Cette session n'existe pas."))
    return found


def lock_session(session: Session, training_session: TrainingSession) -> TrainingSession:
    """Re-read the session row under ``FOR UPDATE`` so seat counts and status are stable."""
    stmt = (
        sa.select(TrainingSession)
        .where(TrainingSession.id == training_session.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.execute(stmt).scalar_one()


def seats_taken(session: Session, training_session_id: int) -> int:
    stmt = sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.session_id == training_session_id,
        Enrollment.status.in_(
            [EnrollmentStatus.ENROLLED, EnrollmentStatus.ATTENDED, EnrollmentStatus.NO_SHOW]
        ),
    )
    return int(session.execute(stmt).scalar_one())


def seats_taken_by_session(session: Session, session_ids: list[int]) -> dict[int, int]:
    """Seat counts for many sessions in one query (agenda pages)."""
    if not session_ids:
        return {}
    stmt = (
        sa.select(Enrollment.session_id, sa.func.count(Enrollment.id))
        .where(
            Enrollment.session_id.in_(session_ids),
            Enrollment.status.in_(
                [EnrollmentStatus.ENROLLED, EnrollmentStatus.ATTENDED, EnrollmentStatus.NO_SHOW]
            ),
        )
        .group_by(Enrollment.session_id)
    )
    return {sid: int(n) for sid, n in session.execute(stmt)}


def get_offer(session: Session, *, actor: Member, offer_id: int) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or offer.cluster_id != actor.cluster_id:
        raise NotFound(_("Cette offre n'existe pas."))
    if not authz.can(actor, Permission.SESSION_CREATE_FROM_OFFER, offer):
        raise Forbidden(
            _(
                "Seuls la personne qui propose l'offre et les correspondants "
                "peuvent en faire une session."
            )
        )
    return offer


def get_need(session: Session, *, actor: Member, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None or not authz.can(actor, Permission.SESSION_CREATE_FROM_NEED, need):
        raise NotFound(_("Ce besoin n'existe pas."))
    return need


def possible_trainers(session: Session, *, actor: Member) -> list[Member]:
    """Members of the actor's cluster who work for a company (trainers for a need)."""
    stmt = (
        sa.select(Member)
        .where(
            Member.cluster_id == actor.cluster_id,
            Member.company_id.is_not(None),
            Member.closed_at.is_(None),
        )
        .options(selectinload(Member.company))
        .order_by(Member.display_name)
    )
    return list(session.execute(stmt).scalars())


# Creating -------------------------------------------------------------------------------


def _check_slots(slots: list[SlotInput], now: datetime) -> list[SlotInput]:
    if not slots:
        raise InvalidInput(_("Indiquez au moins une date."), field="slots")
    if len(slots) > MAX_SLOTS:
        raise InvalidInput(_("Une session compte au plus %(n)s dates.", n=MAX_SLOTS), field="slots")
    ordered = sorted(slots, key=lambda s: s.starts_at)
    for slot in ordered:
        if slot.starts_at.tzinfo is None or slot.ends_at.tzinfo is None:
            raise ValueError("slot datetimes must be timezone-aware")
        if slot.ends_at <= slot.starts_at:
            raise InvalidInput(_("L'heure de fin doit suivre l'heure de début."), field="slots")
        if slot.starts_at <= now:
            raise InvalidInput(_("Les dates doivent être dans le futur."), field="slots")
    for before, after in pairwise(ordered):
        if after.starts_at < before.ends_at:
            raise InvalidInput(_("Deux dates de la session se chevauchent."), field="slots")
    return ordered


def _lock_venue(session: Session, *, actor: Member, venue_id: int) -> Venue:
    stmt = sa.select(Venue).where(Venue.id == venue_id).with_for_update()
    venue = session.execute(stmt).scalar_one_or_none()
    if venue is None or venue.cluster_id != actor.cluster_id:
        raise InvalidInput(_("Ce lieu n'existe pas."), field="venue_id")
    return venue


def venue_is_free(
    session: Session,
    venue_id: int,
    slots: list[SlotInput],
    *,
    exclude_session_id: int | None = None,
) -> bool:
    """No live (planned or held) session at this venue overlaps any of ``slots``."""
    overlaps = sa.or_(
        *[
            sa.and_(SessionSlot.starts_at < s.ends_at, SessionSlot.ends_at > s.starts_at)
            for s in slots
        ]
    )
    stmt = (
        sa.select(SessionSlot.id)
        .join(TrainingSession, TrainingSession.id == SessionSlot.session_id)
        .where(
            TrainingSession.venue_id == venue_id,
            TrainingSession.status.in_([SessionStatus.PLANNED, SessionStatus.HELD]),
            overlaps,
        )
        .limit(1)
    )
    if exclude_session_id is not None:
        stmt = stmt.where(TrainingSession.id != exclude_session_id)
    return session.execute(stmt).first() is None


def create_session(
    session: Session,
    *,
    actor: Member,
    data: SessionInput,
    offer: Offer | None = None,
    need: Need | None = None,
    now: datetime | None = None,
    pool_id: int | None = None,
) -> TrainingSession:
    """Plan a session from an offer (its trainer or a correspondent) or a need (a correspondent).

    ``pool_id``: a pool of needs the caller (matching) already checked; the trainer is chosen
    as for a need.
    """
    now = now or utcnow()
    if sum(x is not None for x in (offer, need, pool_id)) != 1:
        raise InvalidInput(_("Une session part d'une offre ou d'un besoin."))
    if pool_id is not None:
        trainer = session.get(Member, data.trainer_id) if data.trainer_id else None
        if trainer is None or trainer.cluster_id != actor.cluster_id or trainer.company_id is None:
            raise InvalidInput(
                _("Choisissez la personne qui anime la session."), field="trainer_id"
            )
    elif offer is not None:
        if not authz.can(actor, Permission.SESSION_CREATE_FROM_OFFER, offer):
            raise Forbidden(_("Vous ne pouvez pas créer de session à partir de cette offre."))
        trainer = offer.trainer
    else:
        assert need is not None
        if not authz.can(actor, Permission.SESSION_CREATE_FROM_NEED, need):
            raise Forbidden(_("Vous ne pouvez pas créer de session à partir de ce besoin."))
        trainer = session.get(Member, data.trainer_id) if data.trainer_id else None
        if trainer is None or trainer.cluster_id != actor.cluster_id or trainer.company_id is None:
            raise InvalidInput(
                _("Choisissez la personne qui anime la session."), field="trainer_id"
            )
    if trainer.is_closed:
        raise InvalidInput(_("Ce compte est fermé : il ne peut pas animer de session."))

    title = (data.title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput(_("Donnez un titre (200 caractères au plus)."), field="title")
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise InvalidInput(
            _("Le nombre de places va de 1 à %(n)s.", n=MAX_CAPACITY), field="capacity"
        )
    if data.language not in LANGUAGES:
        raise InvalidInput(_("Langue inconnue."), field="language")
    slots = _check_slots(data.slots, now)

    venue: Venue | None = None
    remote_url = (data.remote_url or "").strip() or None
    if data.venue_id:
        venue = _lock_venue(session, actor=actor, venue_id=data.venue_id)
        if data.capacity > venue.capacity:
            raise InvalidInput(
                _("Ce lieu accueille %(n)s personnes au plus.", n=venue.capacity), field="capacity"
            )
        if not venue_is_free(session, venue.id, slots):
            raise InvalidInput(
                _(
                    "Ce lieu est déjà réservé sur l'une de ces dates. "
                    "Choisissez un autre créneau ou un autre lieu."
                ),
                field="venue_id",
            )
    if remote_url is not None and (len(remote_url) > 500 or not _URL.match(remote_url)):
        raise InvalidInput(_("Le lien de visio doit commencer par https://"), field="remote_url")
    if venue is None and remote_url is None:
        raise InvalidInput(_("Choisissez un lieu ou donnez un lien de visio."), field="venue_id")

    minutes = sum(int((s.ends_at - s.starts_at).total_seconds() // 60) for s in slots)
    policy = ledger.current_policy(session, actor.cluster_id)
    training_session = TrainingSession(
        cluster_id=actor.cluster_id,
        offer_id=offer.id if offer else None,
        need_id=need.id if need else None,
        pool_id=pool_id,
        trainer_id=trainer.id,
        organiser_id=actor.id,
        title=title,
        description=(data.description or "").strip(),
        format=data.format,
        language=data.language,
        capacity=data.capacity,
        venue_id=venue.id if venue else None,
        remote_url=remote_url,
        on_work_time=data.on_work_time,
        status=SessionStatus.PLANNED,
        price_per_learner=price_for(minutes, policy.price_per_hour),
        duration_minutes=minutes,
        starts_at=slots[0].starts_at,
        ends_at=max(s.ends_at for s in slots),
        slots=[SessionSlot(starts_at=s.starts_at, ends_at=s.ends_at) for s in slots],
        # Someone named by another must agree before the session opens to enrolment.
        trainer_consent=TrainerConsent.ACCEPTED
        if trainer.id == actor.id
        else TrainerConsent.PENDING,
    )
    session.add(training_session)
    session.flush()
    if training_session.awaits_trainer:
        notify(
            session,
            recipient=trainer,
            kind="trainer_invitation",
            subject=_(
                "%(name)s vous propose d'animer « %(title)s »",
                name=actor.display_name,
                title=title[:120],
            ),
            body=_(
                "%(name)s vous a nommé pour animer la session « %(title)s ». "
                "Acceptez ou refusez depuis la page de la session : "
                "elle n'ouvre aux inscriptions qu'avec votre accord.",
                name=actor.display_name,
                title=title,
            ),
            link=f"/sessions/{training_session.id}",
        )
    return training_session


def answer_invitation(
    session: Session, *, actor: Member, training_session: TrainingSession, accept: bool
) -> TrainingSession:
    """The named trainer accepts (the session opens to enrolment) or declines (the
    organiser is told). Only the trainer answers, once, while the session is planned."""
    # Would be ``Permission.SESSION_ANSWER_INVITATION`` (trainer only) in training/rules.py.
    if actor.id != training_session.trainer_id:
        raise Forbidden(_("Seule la personne nommée pour animer peut répondre."))
    training_session = lock_session(session, training_session)
    if training_session.status != SessionStatus.PLANNED or not training_session.awaits_trainer:
        raise Conflict(_("Vous avez déjà répondu, ou la session n'est plus prévue."))
    if accept:
        training_session.trainer_consent = TrainerConsent.ACCEPTED
        session.flush()
        return training_session
    training_session.trainer_consent = TrainerConsent.DECLINED
    session.flush()
    notify(
        session,
        recipient=training_session.organiser,
        kind="session_changed",
        subject=_(
            "%(name)s n'animera pas « %(title)s »",
            name=actor.display_name,
            title=training_session.title[:120],
        ),
        body=_(
            "%(name)s a refusé d'animer la session « %(title)s ». Elle reste fermée aux "
            "inscriptions : annulez-la ou proposez-la à une autre personne.",
            name=actor.display_name,
            title=training_session.title,
        ),
        link=f"/sessions/{training_session.id}",
    )
    return training_session


# Venues ---------------------------------------------------------------------------------


def list_venues(session: Session, *, actor: Member) -> list[Venue]:
    stmt = sa.select(Venue).where(Venue.cluster_id == actor.cluster_id).order_by(Venue.name)
    return list(session.execute(stmt).scalars())


def require_venue_manager(actor: Member) -> None:
    if not authz.can(actor, Permission.VENUE_MANAGE):
        raise Forbidden(
            _("Seuls les correspondants et l'équipe de la coopérative gèrent les lieux.")
        )


def get_venue_for_edit(session: Session, *, actor: Member, venue_id: int) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None or venue.cluster_id != actor.cluster_id:
        raise NotFound(_("Ce lieu n'existe pas."))
    require_venue_manager(actor)
    return venue


def _check_venue(data: VenueInput) -> None:
    if not data.name.strip() or len(data.name) > 200:
        raise InvalidInput(_("Donnez un nom (200 caractères au plus)."), field="name")
    if not 1 <= data.capacity <= 10_000:
        raise InvalidInput(_("La capacité doit être un nombre positif."), field="capacity")


def save_venue(
    session: Session, *, actor: Member, data: VenueInput, venue: Venue | None = None
) -> Venue:
    """Create or update a venue; lowering capacity below a planned session's is refused."""
    require_venue_manager(actor)
    _check_venue(data)
    if venue is None:
        venue = Venue(cluster_id=actor.cluster_id)
        session.add(venue)
    else:
        largest = session.execute(
            sa.select(sa.func.max(TrainingSession.capacity)).where(
                TrainingSession.venue_id == venue.id,
                TrainingSession.status == SessionStatus.PLANNED,
            )
        ).scalar_one()
        if largest is not None and data.capacity < largest:
            raise InvalidInput(
                _(
                    "Une session prévue ici compte %(n)s places : "
                    "la capacité ne peut pas descendre en dessous.",
                    n=largest,
                ),
                field="capacity",
            )
    venue.name = data.name.strip()
    venue.capacity = data.capacity
    venue.address = data.address.strip()
    venue.accessibility = data.accessibility.strip()
    venue.opening_hours = data.opening_hours.strip()
    session.flush()
    return venue
