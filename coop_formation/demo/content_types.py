"""The shapes of the demo's needs and offers (``content_needs.py``, ``content_offers.py``).

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


# Visibility shorthands used by the needs.
C, K = "company", "cluster"
