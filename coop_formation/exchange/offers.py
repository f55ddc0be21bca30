"""Offers to teach: create, edit, archive by their trainer; visible to the whole cluster."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.exchange.models import Format, Offer, OfferStatus, Venue
from coop_formation.exchange.needs import checked_skills
from coop_formation.exchange.search import item_search_text
from coop_formation.people.models import Member

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
MAX_DURATION_MINUTES = 60 * 24 * 10
MAX_CAPACITY = 500


@dataclass
class OfferData:
    title: str
    description: str = ""
    skill_ids: list[int] = field(default_factory=list)
    format: Format = Format.TRAINING
    duration_minutes: int | None = 120
    capacity: int | None = 8
    remote: bool = False
    venue_id: int | None = None
    place_details: str = ""
    availability: str = ""


def venues_of(session: Session, actor: Member) -> list[Venue]:
    return list(
        session.scalars(
            sa.select(Venue).where(Venue.cluster_id == actor.cluster_id).order_by(Venue.name)
        )
    )


def _apply(session: Session, actor: Member, offer: Offer, data: OfferData) -> None:
    title = " ".join((data.title or "").split())
    description = (data.description or "").strip()
    if not title:
        raise InvalidInput(_("Donnez un titre à votre offre."), field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(_("Le titre est trop long (200 caractères au plus)."), field="title")
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(_("La description est trop longue."), field="description")
    if data.duration_minutes is None or not 0 < data.duration_minutes <= MAX_DURATION_MINUTES:
        raise InvalidInput(_("Indiquez une durée positive (10 jours au plus)."), field="duration")
    if data.capacity is None or not 0 < data.capacity <= MAX_CAPACITY:
        raise InvalidInput(_("Indiquez au moins une place (500 au plus)."), field="capacity")
    venue = None
    if data.venue_id:
        venue = session.get(Venue, data.venue_id)
        if venue is None or venue.cluster_id != actor.cluster_id:
            raise InvalidInput(_("Choisissez un lieu de la liste."), field="venue_id")
    place = (data.place_details or "").strip()[:300]
    if venue is None and not data.remote and not place:
        raise InvalidInput(
            _("Choisissez un lieu, précisez où, ou indiquez que c'est à distance."),
            field="venue_id",
        )
    skills = checked_skills(session, data.skill_ids)
    offer.title = title
    offer.description = description
    offer.format = data.format
    offer.duration_minutes = data.duration_minutes
    offer.capacity = data.capacity
    offer.remote = bool(data.remote)
    offer.venue_id = venue.id if venue else None
    offer.place_details = place
    offer.availability = (data.availability or "").strip()[:4000]
    offer.skills = skills
    offer.search_text = item_search_text(title, description, skills)


def create_offer(session: Session, actor: Member, data: OfferData) -> Offer:
    """Any member may offer to teach; the offer names them and their company."""
    offer = Offer(
        trainer_id=actor.id,
        company_id=actor.company_id,
        cluster_id=actor.cluster_id,
        status=OfferStatus.ACTIVE,
    )
    _apply(session, actor, offer, data)
    session.add(offer)
    session.flush()
    return offer


def get_offer(
    session: Session,
    actor: Member,
    offer_id: int,
    permission: Permission | str = Permission.OFFER_READ,
) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise NotFound()
    authz.require(actor, Permission(permission), offer)
    return offer


def update_offer(session: Session, actor: Member, offer_id: int, data: OfferData) -> Offer:
    offer = get_offer(session, actor, offer_id, Permission.OFFER_EDIT)
    _apply(session, actor, offer, data)
    session.flush()
    return offer


def set_offer_status(session: Session, actor: Member, offer_id: int, status: OfferStatus) -> Offer:
    """Archive (or put back) an offer; only its trainer may."""
    offer = get_offer(session, actor, offer_id, Permission.OFFER_EDIT)
    offer.status = status
    session.flush()
    return offer
