"""Offers to teach: visible to the whole cluster, edited and archived by their trainer only."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation.exchange.models import Offer, OfferStatus
from coop_formation.extensions import db
from tests.exchange.factories import VenueFactory, make_offer, make_skill
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory


def _offer_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Initiation au tableur",
        "description": "Formules, tris et filtres.",
        "format": "training",
        "duration": "1,5",
        "duration_unit": "hours",
        "capacity": "6",
        "venue_id": "",
        "remote": "y",
        "place_details": "",
        "availability": "Le mardi après-midi",
    }
    data.update(overrides)
    return data


def test_member_offers_to_teach_at_a_cluster_venue(client_for, world):
    venue = VenueFactory(cluster_id=world.cluster.id, name="La Fabrique")
    skill = make_skill("Utiliser un tableur")
    client = client_for(world.member_beta)
    data = _offer_form(venue_id=str(venue.id), remote="", skill_ids=[str(skill.id)])
    response = client.post("/offers/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    offer = db.session.scalar(sa.select(Offer))
    assert offer.duration_minutes == 90 and offer.capacity == 6 and offer.venue_id == venue.id
    assert offer.company_id == world.beta.id
    body = client_for(world.member_alpha).get(f"/offers/{offer.id}").get_data(as_text=True)
    assert world.member_beta.display_name in body and "Beta" in body and "La Fabrique" in body


def test_bad_offer_input_re_renders_in_french(nothing_written, client_for, world):
    other_cluster_venue = VenueFactory(cluster_id=ClusterFactory().id)
    client = client_for(world.member_alpha)
    cases = [
        (_offer_form(title=""), "Indiquez un titre."),
        (_offer_form(capacity="0"), "Indiquez au moins une place"),
        (_offer_form(capacity="beaucoup"), "Indiquez un nombre entier."),
        (_offer_form(duration="0"), "Indiquez une durée positive"),
        (_offer_form(skill_ids=["424242"]), "Choisissez des compétences parmi la liste"),
        (_offer_form(remote="", venue_id=""), "Choisissez un lieu"),
        (
            _offer_form(remote="", venue_id=str(other_cluster_venue.id)),
            "Choisissez un lieu de la liste",
        ),
    ]
    with nothing_written():
        for data, message in cases:
            response = client.post("/offers/new", data=data)
            assert response.status_code == 422, data
            assert message in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Offer)) == 0


def test_only_the_trainer_edits_or_archives_their_offer(nothing_written, client_for, world):
    offer = make_offer(world.member_alpha, title="Soudure TIG")
    with nothing_written():
        for member in (
            world.other_alpha,
            world.correspondent_alpha,
            world.member_beta,
            world.admin,
        ):
            client = client_for(member)
            assert client.get(f"/offers/{offer.id}").status_code == 200
            assert client.get(f"/offers/{offer.id}/edit").status_code == 403
            assert client.post(f"/offers/{offer.id}/edit", data=_offer_form()).status_code == 403
            assert client.post(f"/offers/{offer.id}/archive").status_code == 403
    trainer = client_for(world.member_alpha)
    assert trainer.get(f"/offers/{offer.id}/edit").status_code == 200
    assert (
        trainer.post(
            f"/offers/{offer.id}/edit", data=_offer_form(title="Soudure TIG avancée")
        ).status_code
        == 302
    )
    assert trainer.post(f"/offers/{offer.id}/archive").status_code == 302
    db.session.refresh(offer)
    assert offer.title == "Soudure TIG avancée" and offer.status == OfferStatus.ARCHIVED
    assert "Soudure TIG avancée" not in client_for(world.member_beta).get("/offers").get_data(
        as_text=True
    )


def test_offers_of_another_cluster_are_not_found(client_for, world):
    stranger = MemberFactory(company=CompanyFactory())
    offer = make_offer(stranger, title="Offre d'ailleurs")
    client = client_for(world.member_alpha)
    assert client.get(f"/offers/{offer.id}").status_code == 404
    assert "Offre d&#39;ailleurs" not in client.get("/offers").get_data(as_text=True)


def test_offer_pages_require_login(client, world):
    offer = make_offer(world.member_alpha)
    for path in ("/offers", f"/offers/{offer.id}", "/offers/new", f"/offers/{offer.id}/edit"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post(f"/offers/{offer.id}/archive")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
