"""The demo's needs and offers, written the way employees of the cluster would write them.

``skills`` are label hints resolved against the loaded taxonomy (see ``skills.py``);
``author`` pins a demo account as author, otherwise a member of the company is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NeedData:
    company: str
    title: str
    description: str
    format: str = "training"
    urgency: str = "this_year"
    visibility: str = "company"
    skills: tuple[str, ...] = ()
    anonymous: bool = False
    author: str | None = None
    supporters: int = 0


@dataclass(frozen=True)
class OfferData:
    company: str
    title: str
    description: str
    format: str = "training"
    duration_minutes: int = 120
    capacity: int = 8
    venue: str | None = None  # venue name, or None for on site / remote
    remote: bool = False
    availability: str = ""
    skills: tuple[str, ...] = ()
    trainer: str | None = None


C, K = "company", "cluster"


from coop_formation.demo.content_needs import NEEDS  # noqa: E402  (data split by size)
from coop_formation.demo.content_offers import OFFERS  # noqa: E402

__all__ = ["NEEDS", "OFFERS", "NeedData", "OfferData"]
