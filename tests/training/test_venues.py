"""Venues (tiers-lieux): listed to members, managed by correspondents and the coop admin."""

from __future__ import annotations

import pytest

from coop_formation.exchange.models import Venue
from coop_formation.extensions import db
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory
from tests.training.factories import make_session, make_venue

VENUE = {
    "name": "La Fabrique",
    "address": "3 rue du Port",
    "capacity": "15",
    "opening_hours": "9 h – 18 h",
    "accessibility": "Plain-pied",
}


def test_members_see_the_venues_of_their_cluster(world, client_for):
    make_venue(world.cluster.id, name="La Fabrique")
    make_venue(ClusterFactory().id, name="Ailleurs")
    page = client_for(world.member_alpha).get("/lieux").get_data(as_text=True)
    assert "La Fabrique" in page and "Ailleurs" not in page and "Ajouter un lieu" not in page


@pytest.mark.parametrize("who", ["correspondent_alpha", "admin"])
def test_correspondents_and_admins_add_venues(world, client_for, who):
    response = client_for(getattr(world, who)).post("/lieux/nouveau", data=VENUE)
    assert response.status_code == 302
    venue = db.session.query(Venue).filter_by(name="La Fabrique").one()
    assert venue.cluster_id == world.cluster.id and venue.capacity == 15


@pytest.mark.parametrize("who", ["member_alpha", "hr"])
def test_members_cannot_add_or_edit_venues(world, client_for, nothing_written, who):
    venue = make_venue(world.cluster.id)
    client = client_for(getattr(world, who))
    refused = 404 if who == "hr" else 403  # HR-only accounts do not reach the training room
    assert client.get("/lieux/nouveau").status_code == refused
    with nothing_written():
        assert client.post("/lieux/nouveau", data=VENUE).status_code == refused
        assert client.post(f"/lieux/{venue.id}/modifier", data=VENUE).status_code == refused
    assert db.session.get(Venue, venue.id).name != VENUE["name"]


def test_other_cluster_venues_are_not_found(world, client_for):
    stranger = MemberFactory(
        company=CompanyFactory(cluster=ClusterFactory()),
        is_correspondent=True,
        email="c@ailleurs.test",
    )
    venue = make_venue(world.cluster.id)
    assert client_for(stranger).get(f"/lieux/{venue.id}/modifier").status_code == 404


def test_capacity_cannot_drop_below_a_planned_session(world, client_for, nothing_written):
    venue = make_venue(world.cluster.id, capacity=12)
    make_session(world.other_alpha, venue=venue, capacity=10)
    client = client_for(world.correspondent_alpha)
    with nothing_written():
        response = client.post(f"/lieux/{venue.id}/modifier", data=VENUE | {"capacity": "8"})
    assert response.status_code == 422
    assert "10 places" in response.get_data(as_text=True)
    assert db.session.get(Venue, venue.id).capacity == 12


def test_bad_venue_input_re_renders_the_form(world, client_for, nothing_written):
    client = client_for(world.correspondent_alpha)
    with nothing_written():
        response = client.post("/lieux/nouveau", data=VENUE | {"capacity": "zéro"})
    assert response.status_code == 422
