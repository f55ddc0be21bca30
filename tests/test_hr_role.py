"""The HR role adds aggregates only (issue 10, point 2).

An HR-club-only account (no company) reads no member-level data: every page naming a
member answers 403/404 and no list shows them. The sweep walks every GET route of the
application, its integer arguments filled with ids of real objects.
"""

from __future__ import annotations

import pytest
from flask import Flask

from coop_formation import authz
from coop_formation.authz import Decision, Permission
from coop_formation.exchange.models import NeedVisibility
from coop_formation.extensions import db
from tests.factories import MemberFactory, NeedFactory, OfferFactory
from tests.people.test_mobility import _get_urls

NEED_TEXT = "NEEDTEXT4c1d Je viens de passer cheffe d'équipe"
NEED_TITLE = "NEEDTITLE9e2a"
OFFER_TITLE = "OFFERTITLE7b3c"


@pytest.fixture()
def named(world):  # type: ignore[no-untyped-def]
    need = NeedFactory(
        author=world.member_alpha,
        title=NEED_TITLE,
        description=NEED_TEXT,
        visibility=NeedVisibility.CLUSTER,
    )
    offer = OfferFactory(trainer=world.member_beta, title=OFFER_TITLE)
    db.session.commit()
    return need, offer


def _markers(world) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    people = (
        world.member_alpha,
        world.other_alpha,
        world.correspondent_alpha,
        world.member_beta,
        world.correspondent_beta,
    )
    return (*(m.display_name for m in people), NEED_TITLE, "NEEDTEXT4c1d", OFFER_TITLE)


def test_hr_club_only_account_reaches_no_need_and_no_profile(client_for, world, named):
    need, _offer = named
    client = client_for(world.hr)
    assert client.get(f"/needs/{need.id}").status_code in (403, 404)
    for member in (world.member_alpha, world.correspondent_beta, world.admin):
        assert client.get(f"/members/{member.id}").status_code in (403, 404)
    assert NEED_TITLE not in client.get("/needs").get_data(as_text=True)
    assert OFFER_TITLE not in client.get("/offers").get_data(as_text=True)


def test_the_rules_say_no_too(world, named):
    need, offer = named
    assert authz.decide(world.hr, Permission.NEED_READ, need) is not Decision.ALLOWED
    assert authz.decide(world.hr, Permission.OFFER_READ, offer) is not Decision.ALLOWED
    assert (
        authz.decide(world.hr, Permission.MEMBER_READ_PROFILE, world.member_alpha)
        is not Decision.ALLOWED
    )


def test_an_employee_with_the_hr_role_reads_what_employees_read(client_for, world, named):
    need, _offer = named
    hr_employee = MemberFactory(company=world.beta, display_name="Rita RH", is_hr_club=True)
    plain_employee = MemberFactory(company=world.beta, display_name="Eve Beta")
    db.session.commit()
    for member in (hr_employee, plain_employee):
        client = client_for(member)
        assert client.get(f"/needs/{need.id}").status_code == 200
        assert client.get(f"/members/{world.member_alpha.id}").status_code == 200
    company_need = NeedFactory(author=world.member_alpha, visibility=NeedVisibility.COMPANY)
    db.session.commit()
    assert client_for(hr_employee).get(f"/needs/{company_need.id}").status_code == 404


def test_no_get_route_shows_an_hr_club_only_account_a_member(app: Flask, client_for, world, named):
    need, offer = named
    ids = sorted({need.id, offer.id, world.member_alpha.id, world.member_beta.id})
    urls = _get_urls(app, ids, ["x"])
    client = client_for(world.hr)
    markers = _markers(world)
    leaks: dict[str, list[str]] = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        text = response.get_data(as_text=True)
        hits = [marker for marker in markers if marker in text]
        if hits:
            leaks[url] = hits
    assert leaks == {}
    # The aggregates stay.
    assert client.get("/club").status_code == 200
