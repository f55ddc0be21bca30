"""Assisted use: with a member's recorded consent, one named correspondent acts for them.

Every action goes through the exchange or training service with the member as actor and is
logged; once consent is withdrawn, nothing more is possible (403); anyone never consented
to gets 404.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Forbidden, InvalidInput, NotFound
from coop_formation.exchange import services as exchange
from coop_formation.exchange.models import Need, Offer
from coop_formation.notifications.services import notify
from coop_formation.people.models import Member
from coop_formation.relations.models import AssistConsent, AssistedAction, AssistedActionKind
from coop_formation.relations.relay import correspondents_of
from coop_formation.training import services as training
from coop_formation.training.models import (
    Enrollment,
    EnrollmentStatus,
    SessionStatus,
    TrainingSession,
)


def consents_of(session: Session, member: Member) -> list[AssistConsent]:
    """Every consent the member gave, newest first (withdrawn ones included)."""
    return list(
        session.scalars(
            sa.select(AssistConsent)
            .where(AssistConsent.member_id == member.id)
            .options(selectinload(AssistConsent.correspondent))
            .order_by(AssistConsent.given_at.desc(), AssistConsent.id.desc())
        )
    )


def actions_for(session: Session, member: Member) -> list[AssistedAction]:
    """Every action taken on the member's behalf, newest first."""
    return list(
        session.scalars(
            sa.select(AssistedAction)
            .where(AssistedAction.member_id == member.id)
            .options(selectinload(AssistedAction.correspondent))
            .order_by(AssistedAction.created_at.desc(), AssistedAction.id.desc())
        )
    )


def give_consent(session: Session, actor: Member, correspondent_id: int) -> AssistConsent:
    """Allow one correspondent of the actor's company to act for them (idempotent)."""
    correspondent = session.get(Member, correspondent_id) if correspondent_id else None
    if correspondent is None or correspondent not in correspondents_of(session, actor):
        raise InvalidInput(_("Choisissez un correspondant de la liste."), field="correspondent_id")
    for consent in consents_of(session, actor):
        if consent.correspondent_id == correspondent.id and consent.is_active:
            return consent
    consent = AssistConsent(member_id=actor.id, correspondent_id=correspondent.id)
    session.add(consent)
    session.flush()
    return consent


def withdraw_consent(session: Session, actor: Member, consent_id: int) -> AssistConsent:
    consent = session.get(AssistConsent, consent_id)
    if consent is None or consent.member_id != actor.id:
        raise NotFound()
    if consent.withdrawn_at is None:
        consent.withdrawn_at = utcnow()
        session.flush()
    return consent


def withdraw_all_consents(session: Session, member: Member) -> None:
    """End every consent the member still gives (their account closes); idempotent, flushes."""
    session.execute(
        sa.update(AssistConsent)
        .where(AssistConsent.member_id == member.id, AssistConsent.withdrawn_at.is_(None))
        .values(withdrawn_at=utcnow())
    )
    session.flush()


def assisted_members(session: Session, actor: Member) -> list[Member]:
    """Members who currently let the actor act for them."""
    return list(
        session.scalars(
            sa.select(Member)
            .join(AssistConsent, AssistConsent.member_id == Member.id)
            .where(
                AssistConsent.correspondent_id == actor.id,
                AssistConsent.withdrawn_at.is_(None),
                Member.closed_at.is_(None),
            )
            .order_by(Member.display_name)
            .distinct()
        )
    )


def require_consent(
    session: Session, actor: Member, member_id: int
) -> tuple[Member, AssistConsent]:
    """The member and the active consent naming the actor; 403 once withdrawn, else 404."""
    member = session.get(Member, member_id)
    if member is None or member.is_closed or not actor.is_correspondent:
        raise NotFound()
    if member.company_id is None or member.company_id != actor.company_id:
        raise NotFound()
    consents = list(
        session.scalars(
            sa.select(AssistConsent).where(
                AssistConsent.member_id == member.id,
                AssistConsent.correspondent_id == actor.id,
            )
        )
    )
    if not consents:
        raise NotFound()
    active = [c for c in consents if c.is_active]
    if not active:
        raise Forbidden(
            _("Cette personne a retiré son accord : vous ne pouvez plus agir pour elle.")
        )
    return member, active[0]


def _log(
    session: Session,
    consent: AssistConsent,
    actor: Member,
    member: Member,
    kind: AssistedActionKind,
    object_type: str,
    object_id: int,
    label: str,
    extra: str = "",
) -> AssistedAction:
    action = AssistedAction(
        consent_id=consent.id,
        correspondent_id=actor.id,
        member_id=member.id,
        action=kind,
        object_type=object_type,
        object_id=object_id,
        label=label[:200],
    )
    session.add(action)
    session.flush()
    _tell_member(session, actor, member, kind, label, extra)
    return action


def _tell_member(
    session: Session,
    actor: Member,
    member: Member,
    kind: AssistedActionKind,
    label: str,
    extra: str = "",
) -> None:
    """The member hears of every action taken for them: who acted, and what."""
    what = {
        AssistedActionKind.NEED_CREATED: _("a déclaré pour vous le besoin « %(label)s »."),
        AssistedActionKind.OFFER_CREATED: _("a publié pour vous l'offre « %(label)s »."),
        AssistedActionKind.ENROLLED: _("vous a inscrit à la session « %(label)s »."),
    }[kind] % {"label": label[:150]}
    body = _(
        "%(name)s, votre correspondant, %(what)s Vous pouvez retirer votre accord à tout "
        "moment depuis la page Accompagnement.",
        name=actor.display_name,
        what=what,
    )
    if extra:
        body = f"{body} {extra}"
    notify(
        session,
        recipient=member,
        kind="assisted_action",
        subject=_("%(name)s a agi pour vous", name=actor.display_name),
        body=body,
        link="/me/accompagnement",
    )


def create_need_for(
    session: Session, actor: Member, member_id: int, data: exchange.NeedData
) -> Need:
    """Declare a need as the member (their consent checked), and log it."""
    member, consent = require_consent(session, actor, member_id)
    need = exchange.create_need(session, member, data)
    _log(
        session,
        consent,
        actor,
        member,
        AssistedActionKind.NEED_CREATED,
        "need",
        need.id,
        need.title,
    )
    return need


def create_offer_for(
    session: Session, actor: Member, member_id: int, data: exchange.OfferData
) -> Offer:
    """Publish an offer as the member (their consent checked), and log it."""
    member, consent = require_consent(session, actor, member_id)
    offer = exchange.create_offer(session, member, data)
    _log(
        session,
        consent,
        actor,
        member,
        AssistedActionKind.OFFER_CREATED,
        "offer",
        offer.id,
        offer.title,
    )
    return offer


def session_for(
    session: Session, actor: Member, member_id: int, session_id: int
) -> TrainingSession:
    """The training session as the member may read it (after checking consent)."""
    member, _consent = require_consent(session, actor, member_id)
    return training.get_session(session, actor=member, session_id=session_id)


def upcoming_sessions_for(session: Session, actor: Member, member_id: int) -> list[TrainingSession]:
    """Planned sessions still open that the member may read (after checking consent)."""
    member, _consent = require_consent(session, actor, member_id)
    now = utcnow()
    return [
        found
        for found in training.upcoming_cluster_sessions(
            session, cluster_id=member.cluster_id, now=now, days_back=0
        )
        if found.status == SessionStatus.PLANNED
        and found.starts_at > now
        and authz.can(member, Permission.SESSION_READ, found)
    ]


def _reservation_note(enrollment: Enrollment, training_session: TrainingSession) -> str:
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        return _("Vous êtes sur la liste d'attente.")
    if enrollment.pending_transfer_id is not None and training_session.price_per_learner:
        return _("Le prix de la session est réservé sur votre compte.")
    return ""


def enrol_for(
    session: Session, actor: Member, member_id: int, session_id: int, request_key: str | None = None
) -> Enrollment:
    """Enrol the member in a session (price reserved on the member's account), and log it."""
    member, consent = require_consent(session, actor, member_id)
    training_session = training.get_session(session, actor=member, session_id=session_id)
    enrollment = training.enrol(
        session,
        actor=member,
        training_session=training_session,
        request_key=request_key or secrets.token_urlsafe(24),
    )
    _log(
        session,
        consent,
        actor,
        member,
        AssistedActionKind.ENROLLED,
        "enrollment",
        enrollment.id,
        training_session.title,
        _reservation_note(enrollment, training_session),
    )
    return enrollment
