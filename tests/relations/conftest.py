"""Relations fixtures: an anonymous need of Alice (Alpha) and an offer by Bruno (Beta)."""

from __future__ import annotations

import pytest

from coop_formation.exchange.models import NeedVisibility
from coop_formation.extensions import db
from tests.factories import NeedFactory, OfferFactory

SECRET_NEED = "Apprendre la soudure TIG"


@pytest.fixture()
def anonymous_need(world):  # type: ignore[no-untyped-def]
    need = NeedFactory(
        author=world.member_alpha,
        title=SECRET_NEED,
        anonymous=True,
        visibility=NeedVisibility.CLUSTER,
    )
    db.session.commit()
    return need


@pytest.fixture()
def company_need(world):  # type: ignore[no-untyped-def]
    need = NeedFactory(author=world.member_alpha, title="Besoin interne Alpha")
    db.session.commit()
    return need


@pytest.fixture()
def beta_offer(world):  # type: ignore[no-untyped-def]
    offer = OfferFactory(trainer=world.member_beta, title="Initiation à la soudure")
    db.session.commit()
    return offer
