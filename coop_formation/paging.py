"""One page of results: the only pagination of the platform (services return it, the
``pagination`` macro of ``templates/macros.html`` draws it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_PER_PAGE = 200


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page


def clamp(page: int | None, per_page: int) -> tuple[int, int]:
    """A page number of at least 1 and a page size between 1 and ``MAX_PER_PAGE``."""
    return max(1, int(page or 1)), max(1, min(int(per_page), MAX_PER_PAGE))


def paginate(session: Session, stmt: sa.Select[Any], page: int | None, per_page: int) -> Page[Any]:
    """Run ``stmt`` for one page (two queries: the count and the rows), scalars only."""
    number, size = clamp(page, per_page)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(session.scalars(stmt.limit(size).offset((number - 1) * size)))
    return Page(items=items, number=number, per_page=size, total=int(total or 0))


def page_of(items: list[T], page: int | None, per_page: int, total: int | None = None) -> Page[T]:
    """Wrap rows already cut to one page (or cut ``items`` when ``total`` is not given)."""
    number, size = clamp(page, per_page)
    if total is None:
        total = len(items)
        items = items[(number - 1) * size : number * size]
    return Page(items=items, number=number, per_page=size, total=total)
