"""Finding needs and offers: normalised search text, visibility in SQL, pagination.

Every list applies the same reading rules as :mod:`coop_formation.exchange.rules`
inside the query itself, loads authors, companies and skills in a fixed number of
statements (whatever the page size), and never hands an anonymous author to a template.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from coop_formation.exchange.models import (
    Format,
    Need,
    NeedStatus,
    NeedVisibility,
    Offer,
    OfferStatus,
    Skill,
    need_skills,
    offer_skills,
)
from coop_formation.paging import Page
from coop_formation.people.models import Member

_WORD = re.compile(r"[0-9a-z]+")


def normalise(text: str) -> str:
    """Lower-case, accents stripped, punctuation folded to spaces: what search compares."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    return " ".join(_WORD.findall(stripped.lower()))


def search_words(query: str) -> list[str]:
    return normalise(query).split()[:12]


def skill_search_text(skill: Skill) -> str:
    return normalise(f"{skill.label} {skill.alt_labels}")


def item_search_text(title: str, description: str, skills: Iterable[Skill]) -> str:
    """What a need's or offer's full-text search looks at: title, description, skill labels."""
    labels = " ".join(f"{skill.label} {skill.alt_labels}" for skill in skills)
    return normalise(f"{title} {description} {labels}")


def text_match(column: Any, query: str, dialect: str) -> Any:
    """A WHERE clause: French full-text on PostgreSQL, every word as a substring elsewhere."""
    words = search_words(query)
    if not words:
        return sa.true()
    if dialect == "postgresql":
        french: sa.ColumnClause[Any] = sa.literal_column("'french'")
        return sa.func.to_tsvector(french, column).op("@@")(
            sa.func.plainto_tsquery(french, " ".join(words))
        )
    return sa.and_(*(column.contains(word, autoescape=True) for word in words))


@dataclass
class NeedFilters:
    q: str = ""
    skill_id: int | None = None
    format: Format | None = None
    company_id: int | None = None
    status: NeedStatus | None = None


@dataclass
class OfferFilters:
    q: str = ""
    skill_id: int | None = None
    format: Format | None = None
    company_id: int | None = None
    status: OfferStatus | None = OfferStatus.ACTIVE


@dataclass
class NeedCard:
    """What a template may show of a need: the author's name is already decided here."""

    need: Need
    author_name: str | None
    is_author: bool
    skills: list[Skill] = field(default_factory=list)


def needs_visible_to(actor: Member) -> Any:
    """SQL twin of ``rules.can_read_need`` (the ``need:read`` scope)."""
    own_company = (
        Need.company_id == actor.company_id if actor.company_id is not None else sa.false()
    )
    return sa.or_(
        Need.author_id == actor.id,
        sa.and_(
            Need.cluster_id == actor.cluster_id,
            sa.or_(Need.visibility == NeedVisibility.CLUSTER, own_company),
        ),
    )


def need_card(need: Need, viewer: Member) -> NeedCard:
    """Decide once what the viewer may read of the author (nothing when anonymous)."""
    is_author = need.author_id == viewer.id
    name = None if need.anonymous else need.author.display_name
    return NeedCard(need=need, author_name=name, is_author=is_author, skills=list(need.skills))


def _paginate(
    session: Session,
    stmt: sa.Select,
    order: Sequence[Any],
    page: int,
    size: int,
    options: Sequence[Any],
) -> tuple[list[Any], int, int]:
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    total = int(total or 0)
    pages = max(1, math.ceil(total / size))
    page = min(max(1, page), pages)
    rows = session.scalars(
        stmt.options(*options).order_by(*order).limit(size).offset((page - 1) * size)
    ).unique()
    return list(rows), total, page


def list_needs(
    session: Session, actor: Member, filters: NeedFilters, page: int = 1, page_size: int = 20
) -> Page:
    """Needs the actor may read, newest first, with authors resolved (or withheld)."""
    dialect = session.get_bind().dialect.name
    stmt = sa.select(Need).where(needs_visible_to(actor))
    if filters.q:
        stmt = stmt.where(text_match(Need.search_text, filters.q, dialect))
    if filters.skill_id:
        stmt = stmt.where(
            Need.id.in_(
                sa.select(need_skills.c.need_id).where(need_skills.c.skill_id == filters.skill_id)
            )
        )
    if filters.format:
        stmt = stmt.where(Need.format == filters.format)
    if filters.company_id:
        stmt = stmt.where(Need.company_id == filters.company_id)
    if filters.status:
        stmt = stmt.where(Need.status == filters.status)
    options = [joinedload(Need.author), joinedload(Need.company), selectinload(Need.skills)]
    rows, total, number = _paginate(
        session, stmt, (Need.created_at.desc(), Need.id.desc()), page, page_size, options
    )
    return Page([need_card(need, actor) for need in rows], number, page_size, total)


def offers_visible_to(actor: Member) -> Any:
    return Offer.cluster_id == actor.cluster_id


def list_offers(
    session: Session, actor: Member, filters: OfferFilters, page: int = 1, page_size: int = 20
) -> Page:
    """Offers of the actor's cluster, newest first, trainers and companies loaded up front."""
    dialect = session.get_bind().dialect.name
    stmt = sa.select(Offer).where(offers_visible_to(actor))
    if filters.q:
        stmt = stmt.where(text_match(Offer.search_text, filters.q, dialect))
    if filters.skill_id:
        stmt = stmt.where(
            Offer.id.in_(
                sa.select(offer_skills.c.offer_id).where(
                    offer_skills.c.skill_id == filters.skill_id
                )
            )
        )
    if filters.format:
        stmt = stmt.where(Offer.format == filters.format)
    if filters.company_id:
        stmt = stmt.where(Offer.company_id == filters.company_id)
    if filters.status:
        stmt = stmt.where(Offer.status == filters.status)
    options = [
        joinedload(Offer.trainer),
        joinedload(Offer.company),
        joinedload(Offer.venue),
        selectinload(Offer.skills),
    ]
    rows, total, number = _paginate(
        session, stmt, (Offer.created_at.desc(), Offer.id.desc()), page, page_size, options
    )
    return Page(rows, number, page_size, total)
