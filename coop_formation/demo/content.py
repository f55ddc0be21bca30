"""The demo's needs and offers, written the way employees of the cluster would write them.

The data is split by size (``content_needs.py``, ``content_offers.py``); its shapes are in
``content_types.py``.
"""

from __future__ import annotations

from coop_formation.demo.content_needs import NEEDS
from coop_formation.demo.content_offers import OFFERS
from coop_formation.demo.content_types import NeedData, OfferData

__all__ = ["NEEDS", "OFFERS", "NeedData", "OfferData"]
