"""Needs: declare, edit, change status, join ("moi aussi"), read with anonymity kept.

An anonymous need never reveals its author to anyone but the author: services hand
templates a :class:`NeedDetail` whose names are already decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import Conflict, InvalidInput, NotFound
from coop_formation.exchange.models import (
    Format,
    Need,
    NeedStatus,
    NeedSupporter,
    NeedVisibility,
    Skill,
    Urgency,
)
from coop_formation.exchange.search import item_search_text
from coop_formation.exchange.skills import approved_skills
from coop_formation.notifications import events as notification_events
from coop_formation.people.models import Member

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000

ALLOWED_TRANSITIONS = {
    NeedStatus.OPEN: {NeedStatus.MATCHED, NeedStatus.CLOSED},
    NeedStatus.MATCHED: {NeedStatus.OPEN, NeedStatus.CLOSED},
    NeedStatus.CLOSED: {NeedStatus.OPEN},
}


@dataclass
class NeedData:
    """A need as typed by its author, before checks."""

    title: str
    description: str = ""
    skill_ids: list[int] = field(default_factory=list)
    urgency: Urgency = Urgency.THIS_YEAR
    wanted_from: date | None = None
    wanted_until: date | None = None
    format: Format = Format.TRAINING
    visibility: NeedVisibility = NeedVisibility.COMPANY
    anonymous: bool = False


@dataclass
class NeedDetail:
    """What the detail page may show; names already filtered for the viewer."""

    need: Need
    author_name: str | None
    is_author: bool
    supporter_names: list[str]
    hidden_supporters: int
    my_support: NeedSupporter | None
    can_edit: bool
    can_set_status: bool
    can_join: bool
    next_statuses: list[NeedStatus]


def checked_skills(session: Session, skill_ids: list[int]) -> list[Skill]:
    """Approved skills for these ids; any unknown id is an input error, not a silent drop."""
    wanted = set(skill_ids)
    skills = approved_skills(session, wanted)
    if len(skills) != len(wanted):
        raise InvalidInput(
            _("Choisissez des compétences parmi la liste proposée."), field="skill_ids"
        )
    return skills


def _validate(data: NeedData) -> tuple[str, str]:
    title = " ".join((data.title or "").split())
    description = (data.description or "").strip()
    if not title:
        raise InvalidInput(_("Donnez un titre à votre besoin."), field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(_("Le titre est trop long (200 caractères au plus)."), field="title")
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(_("La description est trop longue."), field="description")
    if data.wanted_from and data.wanted_until and data.wanted_until < data.wanted_from:
        raise InvalidInput(
            _("La date de fin doit être après la date de début."), field="wanted_until"
        )
    return title, description


def _apply(session: Session, need: Need, data: NeedData) -> None:
    title, description = _validate(data)
    skills = checked_skills(session, data.skill_ids)
    need.title = title
    need.description = description
    need.urgency = data.urgency
    need.wanted_from = data.wanted_from
    need.wanted_until = data.wanted_until
    need.format = data.format
    need.visibility = data.visibility
    need.anonymous = bool(data.anonymous)
    need.skills = skills
    need.search_text = item_search_text(title, description, skills)


def create_need(session: Session, actor: Member, data: NeedData) -> Need:
    """Declare a need for the actor's company (an account without company cannot)."""
    if not authz.can(actor, Permission.NEED_CREATE):
        raise InvalidInput(
            _("Seuls les salariés d'une entreprise de la grappe déclarent des besoins.")
        )
    need = Need(
        author_id=actor.id,
        company_id=actor.company_id,
        cluster_id=actor.cluster_id,
        status=NeedStatus.OPEN,
        supporters_count=0,
    )
    _apply(session, need, data)
    session.add(need)
    session.flush()
    return need


def get_need(
    session: Session,
    actor: Member,
    need_id: int,
    permission: Permission | str = Permission.NEED_READ,
) -> Need:
    """Load a need the actor may use; others get 404 (403 when they may read it)."""
    need = session.get(Need, need_id)
    if need is None:
        raise NotFound()
    authz.require(actor, Permission(permission), need)
    return need


def update_need(session: Session, actor: Member, need_id: int, data: NeedData) -> Need:
    need = get_need(session, actor, need_id, Permission.NEED_EDIT)
    _apply(session, need, data)
    session.flush()
    return need


def set_need_status(session: Session, actor: Member, need_id: int, status: NeedStatus) -> Need:
    """open → matched → closed (and back to open), by the author or a company correspondent."""
    need = get_need(session, actor, need_id, Permission.NEED_SET_STATUS)
    if status == need.status:
        return need
    if status not in ALLOWED_TRANSITIONS[need.status]:
        raise Conflict(_("Ce changement de statut n'est pas possible."))
    need.status = status
    session.flush()
    return need


def _refresh_count(session: Session, need: Need) -> None:
    count = session.scalar(
        sa.select(sa.func.count())
        .select_from(NeedSupporter)
        .where(NeedSupporter.need_id == need.id)
    )
    need.supporters_count = int(count or 0)
    session.flush()


def join_need(session: Session, actor: Member, need_id: int, anonymous: bool) -> Need:
    """ "Moi aussi": add the actor as a supporter (or change their anonymity choice)."""
    need = get_need(session, actor, need_id, Permission.NEED_READ)
    if need.author_id == actor.id:
        raise Conflict(_("Vous êtes l'auteur de ce besoin."))
    if need.status == NeedStatus.CLOSED:
        raise Conflict(_("Ce besoin est clos."))
    authz.require(actor, Permission.NEED_JOIN, need)
    existing = session.scalar(
        sa.select(NeedSupporter).where(
            NeedSupporter.need_id == need.id, NeedSupporter.member_id == actor.id
        )
    )
    if existing is not None:
        existing.anonymous = bool(anonymous)
    else:
        try:
            with session.begin_nested():
                session.add(
                    NeedSupporter(need_id=need.id, member_id=actor.id, anonymous=bool(anonymous))
                )
            notification_events.need_joined(session, need, actor, bool(anonymous))
        except IntegrityError:
            pass  # joined twice at once: the first one counts
    _refresh_count(session, need)
    return need


def leave_need(session: Session, actor: Member, need_id: int) -> Need:
    need = get_need(session, actor, need_id, Permission.NEED_READ)
    session.execute(
        sa.delete(NeedSupporter).where(
            NeedSupporter.need_id == need.id, NeedSupporter.member_id == actor.id
        )
    )
    _refresh_count(session, need)
    return need


def need_detail(session: Session, actor: Member, need_id: int) -> NeedDetail:
    need = get_need(session, actor, need_id)
    supporters = list(
        session.scalars(
            sa.select(NeedSupporter)
            .where(NeedSupporter.need_id == need.id)
            .options(selectinload(NeedSupporter.member))
            .order_by(NeedSupporter.created_at, NeedSupporter.id)
        )
    )
    names = [s.member.display_name for s in supporters if not s.anonymous]
    mine = next((s for s in supporters if s.member_id == actor.id), None)
    is_author = need.author_id == actor.id
    can_status = authz.can(actor, Permission.NEED_SET_STATUS, need)
    return NeedDetail(
        need=need,
        author_name=None if need.anonymous else need.author.display_name,
        is_author=is_author,
        supporter_names=names,
        hidden_supporters=len(supporters) - len(names),
        my_support=mine,
        can_edit=authz.can(actor, Permission.NEED_EDIT, need),
        can_set_status=can_status,
        can_join=authz.can(actor, Permission.NEED_JOIN, need),
        next_statuses=sorted(ALLOWED_TRANSITIONS[need.status], key=list(NeedStatus).index)
        if can_status
        else [],
    )


def mark_needs_matched(session: Session, need_ids: Iterable[int]) -> int:
    """Open needs among ``need_ids`` become matched (a session now answers them).

    Called by rooms above exchange (a pool turned into a session); returns how many changed.
    """
    ids = list(need_ids)
    if not ids:
        return 0
    result = session.execute(
        sa.update(Need)
        .where(Need.id.in_(ids), Need.status == NeedStatus.OPEN)
        .values(status=NeedStatus.MATCHED)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
