"""Community sessions (linking, listing, cluster agenda) and the printable pages."""

from __future__ import annotations

from datetime import timedelta

from coop_formation.communities.models import CommunitySession
from coop_formation.db import utcnow
from coop_formation.exchange.models import OfferStatus
from coop_formation.extensions import db
from coop_formation.training.models import SessionStatus
from tests.factories import OfferFactory
from tests.training.factories import make_session


def test_trainer_links_own_session_and_community_lists_it(client_for, world, community):  # type: ignore[no-untyped-def]
    training = make_session(world.member_beta, title="Tableaux croisés")
    db.session.commit()
    client = client_for(world.member_beta)
    page = client.get(f"/communautes/{community.id}").get_data(as_text=True)
    assert "agenda de la communauté" in page
    response = client.post(
        f"/communautes/{community.id}/sessions", data={"session_id": training.id}
    )
    assert response.status_code == 302
    assert db.session.get(CommunitySession, (community.id, training.id)) is not None
    reader = client_for(world.correspondent_alpha)
    assert "Tableaux croisés" in reader.get(f"/communautes/{community.id}").get_data(as_text=True)
    agenda = reader.get("/communautes/agenda").get_data(as_text=True)
    assert "Tableaux croisés" in agenda and "Tableurs" in agenda


def test_member_cannot_link_a_session_they_do_not_run(  # type: ignore[no-untyped-def]
    client_for, nothing_written, world, community
):
    training = make_session(world.other_alpha)
    db.session.commit()
    browser = client_for(world.member_beta)
    with nothing_written():
        response = browser.post(
            f"/communautes/{community.id}/sessions", data={"session_id": training.id}
        )
    assert response.status_code == 403


def test_non_member_cannot_link_own_session(client_for, nothing_written, world, community):  # type: ignore[no-untyped-def]
    training = make_session(world.other_alpha)
    db.session.commit()
    browser = client_for(world.other_alpha)
    with nothing_written():
        response = browser.post(
            f"/communautes/{community.id}/sessions", data={"session_id": training.id}
        )
    assert response.status_code == 403


def test_past_sessions_leave_the_community_page(client_for, world, community):  # type: ignore[no-untyped-def]
    past = make_session(
        world.member_beta, title="Session passée", starts_at=utcnow() - timedelta(days=3)
    )
    db.session.add(
        CommunitySession(
            community_id=community.id, session_id=past.id, linked_by_id=world.member_beta.id
        )
    )
    db.session.commit()
    page = client_for(world.member_beta).get(f"/communautes/{community.id}").get_data(as_text=True)
    assert "Session passée" not in page


def test_linker_unlinks_a_session(client_for, nothing_written, world, community):  # type: ignore[no-untyped-def]
    training = make_session(world.member_beta)
    db.session.add(
        CommunitySession(
            community_id=community.id, session_id=training.id, linked_by_id=world.member_beta.id
        )
    )
    db.session.commit()
    path = f"/communautes/{community.id}/sessions/{training.id}/retirer"
    reader = client_for(world.correspondent_alpha)
    page = reader.get(f"/communautes/{community.id}").get_data(as_text=True)
    assert training.title in page and path not in page  # no button for who may not unlink
    with nothing_written():
        assert reader.post(path).status_code == 403
    page = client_for(world.member_beta).get(f"/communautes/{community.id}").get_data(as_text=True)
    assert path in page
    assert client_for(world.member_beta).post(path).status_code == 302
    assert db.session.get(CommunitySession, (community.id, training.id)) is None


def test_printable_catalogue_lists_open_offers_and_upcoming_sessions(client_for, world):  # type: ignore[no-untyped-def]
    OfferFactory(trainer=world.member_alpha, title="Offre Alpha ouverte")
    OfferFactory(trainer=world.member_beta, title="Offre Beta ouverte")
    OfferFactory(trainer=world.member_alpha, title="Offre archivée", status=OfferStatus.ARCHIVED)
    make_session(world.member_alpha, title="Session Alpha à venir")
    make_session(world.member_beta, title="Session annulée", status=SessionStatus.CANCELLED)
    db.session.commit()
    response = client_for(world.correspondent_alpha).get("/imprimer/catalogue")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'media="print"' in text
    assert "Offre Alpha ouverte" in text and "Offre Beta ouverte" in text
    assert "Session Alpha à venir" in text
    assert "Offre archivée" not in text and "Session annulée" not in text
    assert "Imprimé le" in text


def test_printable_catalogue_per_company(client_for, world):  # type: ignore[no-untyped-def]
    OfferFactory(trainer=world.member_alpha, title="Offre Alpha ouverte")
    OfferFactory(trainer=world.member_beta, title="Offre Beta ouverte")
    make_session(world.member_beta, title="Session Beta")
    db.session.commit()
    text = (
        client_for(world.correspondent_alpha)
        .get(f"/imprimer/catalogue?entreprise={world.alpha.id}")
        .get_data(as_text=True)
    )
    assert "Offre Alpha ouverte" in text
    assert "Offre Beta ouverte" not in text and "Session Beta" not in text


def test_catalogue_of_another_clusters_company_is_not_found(client_for, world):  # type: ignore[no-untyped-def]
    from tests.factories import ClusterFactory, CompanyFactory

    foreign = CompanyFactory(cluster=ClusterFactory())
    db.session.commit()
    response = client_for(world.member_alpha).get(f"/imprimer/catalogue?entreprise={foreign.id}")
    assert response.status_code == 404


def test_blank_need_form_has_the_web_form_fields_and_consent_boxes(client_for, world):  # type: ignore[no-untyped-def]
    response = client_for(world.member_alpha).get("/imprimer/formulaires/besoin")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'media="print"' in text
    for label in (
        "Titre",
        "Compétences concernées",
        "Urgence",
        "À partir du",
        "Qui peut voir ce besoin ?",
    ):
        assert label in text or label.replace("'", "&#39;") in text
    assert "Publier ce besoin de façon anonyme" in text
    assert "Je souhaite rester anonyme" in text
    assert "csrf_token" not in text.split('class="paper')[1]


def test_blank_offer_form_has_the_web_form_fields(client_for, world):  # type: ignore[no-untyped-def]
    text = client_for(world.member_alpha).get("/imprimer/formulaires/offre").get_data(as_text=True)
    for label in (
        "Ce que vous proposez de transmettre",
        "Durée",
        "Nombre de places",
        "Vos disponibilités",
    ):
        assert label in text
