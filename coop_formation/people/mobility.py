"""Mobility and reconversion wishes: private by default, readable only by chosen readers.

Guarantee: a wish is returned by these functions to its author and to the members named in
its readers (correspondents of the author's company, or HR club contacts of the cluster);
roles grant nothing else — no admin, manager, other correspondent or company reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation.errors import InvalidInput, NotFound
from coop_formation.people.models import Member, MobilityHorizon, MobilityWish, MobilityWishReader
from coop_formation.people.rules import reader_still_allowed

TITLE_MAX = 200
TEXT_MAX = 5000


def possible_readers(session: Session, actor: Member) -> list[Member]:
    """Whom the actor may share a wish with: their company's correspondents, HR club contacts."""
    if actor.is_closed:
        return []
    company_correspondent = sa.and_(
        Member.is_correspondent.is_(True),
        Member.company_id == actor.company_id,
        Member.company_id.is_not(None),
    )
    return list(
        session.scalars(
            sa.select(Member)
            .where(
                Member.cluster_id == actor.cluster_id,
                Member.closed_at.is_(None),
                Member.id != actor.id,
                sa.or_(company_correspondent, Member.is_hr_club.is_(True)),
            )
            .order_by(Member.display_name, Member.id)
        )
    )


def my_wishes(session: Session, actor: Member) -> list[MobilityWish]:
    return list(
        session.scalars(
            sa.select(MobilityWish)
            .where(MobilityWish.member_id == actor.id)
            .options(selectinload(MobilityWish.readers).selectinload(MobilityWishReader.reader))
            .order_by(MobilityWish.created_at.desc(), MobilityWish.id.desc())
        )
    )


def get_own_wish(session: Session, actor: Member, wish_id: int) -> MobilityWish:
    """Only the author edits a wish; anyone else gets 404 (not even its existence leaks)."""
    wish = session.get(MobilityWish, wish_id)
    if wish is None or wish.member_id != actor.id or actor.is_closed:
        raise NotFound()
    return wish


def _apply(
    session: Session,
    actor: Member,
    wish: MobilityWish,
    title: str,
    text: str,
    horizon: str,
    reader_ids: Iterable[int],
) -> None:
    title = " ".join((title or "").split())
    text = (text or "").strip()
    if not title:
        raise InvalidInput(_("Donnez un titre à votre souhait."), field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(_("Le titre est trop long (200 caractères au plus)."), field="title")
    if len(text) > TEXT_MAX:
        raise InvalidInput(_("Le texte est trop long."), field="text")
    try:
        wish.horizon = MobilityHorizon(horizon or MobilityHorizon.UNSURE.value)
    except ValueError:
        raise InvalidInput(_("Choisissez un horizon dans la liste."), field="horizon") from None
    allowed = {member.id: member for member in possible_readers(session, actor)}
    wanted = {int(rid) for rid in reader_ids}
    if not wanted <= set(allowed):
        raise InvalidInput(_("Choisissez les lecteurs dans la liste."), field="reader_ids")
    wish.title, wish.text = title, text
    current = {row.reader_id: row for row in wish.readers}
    for reader_id, row in current.items():
        if reader_id not in wanted:
            wish.readers.remove(row)
    for reader_id in sorted(wanted - set(current)):
        wish.readers.append(MobilityWishReader(reader_id=reader_id))


def create_wish(
    session: Session,
    actor: Member,
    *,
    title: str,
    text: str = "",
    horizon: str = MobilityHorizon.UNSURE.value,
    reader_ids: Iterable[int] = (),
) -> MobilityWish:
    """Record a wish; with no reader chosen, nobody but the author ever reads it."""
    if actor.is_closed:
        raise NotFound()
    wish = MobilityWish(member_id=actor.id, readers=[])
    _apply(session, actor, wish, title, text, horizon, reader_ids)
    session.add(wish)
    session.flush()
    return wish


def update_wish(
    session: Session,
    actor: Member,
    wish_id: int,
    *,
    title: str,
    text: str = "",
    horizon: str = MobilityHorizon.UNSURE.value,
    reader_ids: Iterable[int] = (),
) -> MobilityWish:
    wish = get_own_wish(session, actor, wish_id)
    _apply(session, actor, wish, title, text, horizon, reader_ids)
    session.flush()
    return wish


def delete_wish(session: Session, actor: Member, wish_id: int) -> None:
    session.delete(get_own_wish(session, actor, wish_id))
    session.flush()


def wishes_shared_with(session: Session, reader: Member) -> list[MobilityWish]:
    """Wishes whose author named ``reader``; a reader who lost the role no longer reads them."""
    if reader.is_closed or not (reader.is_correspondent or reader.is_hr_club):
        return []
    rows = session.scalars(
        sa.select(MobilityWish)
        .join(MobilityWishReader, MobilityWishReader.wish_id == MobilityWish.id)
        .join(Member, Member.id == MobilityWish.member_id)
        .where(MobilityWishReader.reader_id == reader.id, Member.closed_at.is_(None))
        .options(selectinload(MobilityWish.member))
        .order_by(MobilityWish.updated_at.desc(), MobilityWish.id.desc())
    )
    return [wish for wish in rows if reader_still_allowed(reader, wish.member)]


def export_for_member(session: Session, member: Member) -> list[dict[str, Any]]:
    """The member's own wishes and whom each is shared with (their export only)."""
    return [
        {
            "id": wish.id,
            "title": wish.title,
            "text": wish.text,
            "horizon": wish.horizon.value,
            "readers": [row.reader.display_name for row in wish.readers],
            "created_at": wish.created_at.isoformat(),
            "updated_at": wish.updated_at.isoformat() if wish.updated_at else None,
        }
        for wish in my_wishes(session, member)
    ]
