"""Putting people in touch: a correspondent introduces a need's author and a possible trainer.

Guarantee: before both agreed, the trainer reads "une personne de l'entreprise X" and the
author reads the offer without the trainer's name; an anonymous author stays anonymous to the
correspondent too unless they choose otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Forbidden, InvalidInput, NotFound
from coop_formation.exchange.models import Need, NeedStatus, Offer, OfferStatus
from coop_formation.notifications.services import notify
from coop_formation.people.models import Member
from coop_formation.relations.models import (
    Answer,
    Introduction,
    IntroductionStatus,
    NotHeldReason,
    Outcome,
)
from coop_formation.relations.rules import AUTHOR, TRAINER, introduction_role, names_shared

NOTE_MAX = 2000


def _link(intro: Introduction) -> str:
    return f"/mises-en-relation/{intro.id}"


def load_need_for_introduction(session: Session, actor: Member, need_id: int) -> Need:
    """The need a correspondent of its company may introduce someone to; others get 404."""
    need = session.get(Need, need_id)
    if need is None or not authz.can(actor, Permission.INTRODUCTION_CREATE, need):
        raise NotFound()
    return need


def need_author_name(need: Need) -> str | None:
    """The need's author as the introducing correspondent reads it (None when anonymous)."""
    return None if need.anonymous else need.author.display_name


def candidate_offers(session: Session, actor: Member, need: Need) -> list[Offer]:
    """Active offers of the cluster whose trainer is not the need's author."""
    return list(
        session.scalars(
            sa.select(Offer)
            .where(
                Offer.cluster_id == need.cluster_id,
                Offer.status == OfferStatus.ACTIVE,
                Offer.trainer_id != need.author_id,
            )
            .order_by(Offer.title, Offer.id)
        )
    )


def introduce(
    session: Session, actor: Member, need_id: int, offer_id: int, note: str = ""
) -> Introduction:
    """Ask the need's author and the offer's trainer whether they want to meet."""
    need = load_need_for_introduction(session, actor, need_id)
    if need.status == NeedStatus.CLOSED:
        raise InvalidInput(_("Ce besoin est clos."))
    offer = session.get(Offer, offer_id) if offer_id else None
    if (
        offer is None
        or offer.cluster_id != need.cluster_id
        or offer.status != OfferStatus.ACTIVE
        or offer.trainer.is_closed
    ):
        raise InvalidInput(_("Choisissez une offre de la liste."), field="offer_id")
    if offer.trainer_id == need.author_id:
        raise InvalidInput(_("L'auteur du besoin ne peut pas être son propre formateur."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("Le message est trop long."), field="note")
    intro = Introduction(
        cluster_id=need.cluster_id,
        company_id=need.company_id,
        need_id=need.id,
        offer_id=offer.id,
        author_id=need.author_id,
        trainer_id=offer.trainer_id,
        introduced_by_id=actor.id,
        note=note,
        status=IntroductionStatus.PENDING,
        author_answer=Answer.PENDING,
        trainer_answer=Answer.PENDING,
    )
    session.add(intro)
    session.flush()
    notify(
        session,
        recipient=need.author,
        kind="introduction",
        subject=_("Une mise en relation vous est proposée pour « %(t)s »", t=need.title),
        link=_link(intro),
    )
    notify(
        session,
        recipient=offer.trainer,
        kind="introduction",
        subject=_("Une personne aimerait apprendre avec vous : « %(t)s »", t=offer.title),
        link=_link(intro),
    )
    return intro


def get_introduction(session: Session, actor: Member, intro_id: int) -> Introduction:
    intro = session.get(Introduction, intro_id)
    if intro is None or not authz.can(actor, Permission.INTRODUCTION_READ, intro):
        raise NotFound()
    return intro


@dataclass
class IntroductionView:
    """An introduction as one viewer may see it: names absent when not theirs to read."""

    intro: Introduction
    role: str
    author_name: str | None
    trainer_name: str | None
    trainer_email: str | None
    author_email: str | None
    company_name: str
    can_answer: bool
    my_answer: Answer | None
    can_record_outcome: bool
    #: The anonymous author may choose to show their name to the correspondent too.
    may_show_name_to_correspondent: bool


def view_introduction(session: Session, actor: Member, intro_id: int) -> IntroductionView:
    intro = get_introduction(session, actor, intro_id)
    return present(actor, intro)


def present(actor: Member, intro: Introduction) -> IntroductionView:
    """What ``actor`` may read of ``intro``: each name only when the registry allows it."""
    role = introduction_role(actor, intro) or ""
    show_author = authz.can(actor, Permission.INTRODUCTION_SEE_AUTHOR, intro)
    show_trainer = authz.can(actor, Permission.INTRODUCTION_SEE_TRAINER, intro)
    shared = names_shared(intro)
    my_answer = {AUTHOR: intro.author_answer, TRAINER: intro.trainer_answer}.get(role)
    return IntroductionView(
        intro=intro,
        role=role,
        author_name=intro.author.display_name if show_author else None,
        trainer_name=intro.trainer.display_name if show_trainer else None,
        author_email=intro.author.email if shared and role == TRAINER else None,
        trainer_email=intro.trainer.email if shared and role == AUTHOR else None,
        company_name=intro.company.name,
        can_answer=authz.can(actor, Permission.INTRODUCTION_ANSWER, intro)
        and my_answer == Answer.PENDING,
        my_answer=my_answer,
        can_record_outcome=authz.can(actor, Permission.INTRODUCTION_RECORD_OUTCOME, intro),
        may_show_name_to_correspondent=role == AUTHOR and intro.need.anonymous,
    )


def list_introductions(session: Session, actor: Member) -> list[IntroductionView]:
    """Introductions the actor takes part in, or of their company when correspondent."""
    rows = session.scalars(
        sa.select(Introduction)
        .where(authz.scope(actor, Permission.INTRODUCTION_READ))
        .options(
            selectinload(Introduction.need),
            selectinload(Introduction.offer),
            selectinload(Introduction.author),
            selectinload(Introduction.trainer),
            selectinload(Introduction.company),
        )
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())
    )
    return [present(actor, intro) for intro in rows]


def answer_introduction(
    session: Session,
    actor: Member,
    intro_id: int,
    *,
    accept: bool,
    show_name_to_correspondent: bool = False,
) -> Introduction:
    """Record the actor's yes or no; names are shared only when both said yes."""
    intro = get_introduction(session, actor, intro_id)
    role = introduction_role(actor, intro)
    authz.require(actor, Permission.INTRODUCTION_ANSWER, intro)
    now = utcnow()
    answer = Answer.ACCEPTED if accept else Answer.DECLINED
    if role == AUTHOR:
        if intro.author_answer != Answer.PENDING:
            raise Forbidden()
        intro.author_answer, intro.author_answered_at = answer, now
        intro.author_shown_to_correspondent = bool(accept and show_name_to_correspondent)
    else:
        if intro.trainer_answer != Answer.PENDING:
            raise Forbidden()
        intro.trainer_answer, intro.trainer_answered_at = answer, now
    if answer == Answer.DECLINED:
        intro.status = IntroductionStatus.DECLINED
    elif intro.author_answer == intro.trainer_answer == Answer.ACCEPTED:
        intro.status = IntroductionStatus.AGREED
    session.flush()
    if intro.status != IntroductionStatus.PENDING:
        subject = (
            _("Mise en relation acceptée : vous pouvez vous contacter")
            if intro.status == IntroductionStatus.AGREED
            else _("Mise en relation déclinée")
        )
        recipients = {intro.introduced_by_id: intro.introduced_by}
        if intro.status == IntroductionStatus.AGREED:
            recipients.update({intro.author_id: intro.author, intro.trainer_id: intro.trainer})
        for member in recipients.values():
            if not member.is_closed:
                notify(
                    session,
                    recipient=member,
                    kind="introduction",
                    subject=subject,
                    link=_link(intro),
                )
    return intro


def record_outcome(
    session: Session,
    actor: Member,
    intro_id: int,
    *,
    held: bool,
    reason: str | None = None,
    text: str = "",
) -> Introduction:
    """Record whether the exchange took place (and why not), by a participant or correspondent."""
    intro = get_introduction(session, actor, intro_id)
    authz.require(actor, Permission.INTRODUCTION_RECORD_OUTCOME, intro)
    text = (text or "").strip()
    if len(text) > NOTE_MAX:
        raise InvalidInput(_("Le texte est trop long."), field="text")
    if held:
        intro.outcome, intro.outcome_reason = Outcome.HELD, None
    else:
        try:
            intro.outcome_reason = NotHeldReason(reason or "")
        except ValueError:
            raise InvalidInput(_("Choisissez une raison dans la liste."), field="reason") from None
        intro.outcome = Outcome.NOT_HELD
    intro.outcome_text = text
    intro.outcome_recorded_by_id = actor.id
    intro.outcome_recorded_at = utcnow()
    session.flush()
    return intro
