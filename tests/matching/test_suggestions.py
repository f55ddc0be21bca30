"""Suggestions for a need: who may see them, consent, explanations, bounded queries."""

from __future__ import annotations

import pytest

from coop_formation.db import utcnow
from coop_formation.exchange.models import NeedVisibility
from coop_formation.extensions import db
from coop_formation.matching import services
from tests.factories import MemberFactory
from tests.matching.factories import can_teach, consent, make_need, make_offer, make_tree


@pytest.fixture()
def tree(world):  # type: ignore[no-untyped-def]
    return make_tree()


@pytest.fixture()
def need(world, tree):  # type: ignore[no-untyped-def]
    made = make_need(
        world.member_alpha,
        [tree.welding],
        title="Apprendre la soudure TIG sur inox",
        description="Souder des cuves en inox",
    )
    db.session.commit()
    return made


def test_author_sees_offers_and_willing_trainers_with_reasons(world, tree, need, client_for):
    make_offer(world.member_beta, [tree.welding], title="Soudure TIG inox", availability="le mardi")
    volunteer = MemberFactory(company=world.beta, display_name="Vera Volontaire")
    can_teach(volunteer, tree.orbital)
    consent(volunteer, availability="le jeudi matin")
    db.session.commit()
    page = client_for(world.member_alpha).get(f"/needs/{need.id}/suggestions")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Soudure TIG inox" in text and "Vera Volontaire" in text
    assert "Compétences communes : Soudure TIG" in text
    assert "Compétences voisines dans le référentiel : Soudure orbitale" in text
    assert "Une autre entreprise de la grappe" in text
    assert "le jeudi matin" in text
    assert text.index("Soudure TIG inox") < text.index("Vera Volontaire")  # shared skill first


def test_member_without_consent_is_never_suggested(world, tree, need, db_session):
    silent = MemberFactory(company=world.beta, display_name="Sam Silencieux")
    refused = MemberFactory(company=world.beta, display_name="Rita Refus")
    can_teach(silent, tree.welding)
    can_teach(refused, tree.welding)
    consent(refused, suggest=False, calls=True)
    found = services.suggestions_for_need(db.session, world.member_alpha, need)
    assert all(s.member.id not in (silent.id, refused.id) for s in found)


def test_author_is_never_suggested_to_themself(world, tree, need):
    can_teach(world.member_alpha, tree.welding)
    consent(world.member_alpha)
    make_offer(world.member_alpha, [tree.welding], title="Ma propre offre de soudure")
    found = services.suggestions_for_need(db.session, world.member_alpha, need)
    assert all(s.member.id != world.member_alpha.id for s in found)


def test_text_similarity_finds_offers_without_skills(world, need):
    make_offer(world.member_beta, [], title="Initiation soudure inox", description="cuves")
    found = services.suggestions_for_need(db.session, world.correspondent_alpha, need)
    assert found and found[0].offer is not None
    assert any(r.startswith("Mots en commun") for r in found[0].reasons)


def test_company_correspondent_sees_suggestions(world, need, client_for):
    assert (
        client_for(world.correspondent_alpha).get(f"/needs/{need.id}/suggestions").status_code
        == 200
    )


@pytest.mark.parametrize(
    "who,status",
    [("other_alpha", 403), ("member_beta", 404), ("correspondent_beta", 404), ("hr", 404)],
)
def test_others_cannot_see_suggestions_of_a_company_need(world, need, client_for, who, status):
    response = client_for(getattr(world, who)).get(f"/needs/{need.id}/suggestions")
    assert response.status_code == status


@pytest.mark.parametrize("who", ["other_alpha", "member_beta", "correspondent_beta", "hr"])
def test_others_are_refused_suggestions_of_a_cluster_need(world, need, client_for, who):
    need.visibility = NeedVisibility.CLUSTER
    db.session.commit()
    response = client_for(getattr(world, who)).get(f"/needs/{need.id}/suggestions")
    assert response.status_code == (404 if who == "hr" else 403)  # HR-only: member-level, absent


def test_anonymous_visitor_is_sent_to_login(world, need, client):
    response = client.get(f"/needs/{need.id}/suggestions")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_anonymous_author_is_not_revealed_on_suggestions(world, tree, client_for):
    need = make_need(world.member_alpha, [tree.welding], title="Soudure discrète", anonymous=True)
    db.session.commit()
    text = (
        client_for(world.correspondent_alpha)
        .get(f"/needs/{need.id}/suggestions")
        .get_data(as_text=True)
    )
    assert world.member_alpha.display_name not in text


def _many(world, tree, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        trainer = MemberFactory(company=world.beta if i % 2 else world.alpha)
        make_offer(
            trainer, [tree.welding, tree.orbital], title=f"Soudure TIG {i}", availability="oui"
        )
        volunteer = MemberFactory(company=world.beta)
        can_teach(volunteer, tree.welding, tree.orbital)
        consent(volunteer, availability="lundi")


def test_suggestion_queries_do_not_grow_with_data(world, tree, need, count_queries):
    _many(world, tree, 3)
    db.session.expire_all()
    with count_queries() as small:
        services.suggestions_for_need(db.session, world.member_alpha, need)
    _many(world, tree, 30)
    db.session.expire_all()
    with count_queries() as large:
        found = services.suggestions_for_need(db.session, world.member_alpha, need, limit=50)
    assert len(found) == 50
    assert len(large) == len(small) <= 10


def test_best_trainer_wins_over_many_newer_weaker_volunteers(world, tree, need):
    """Candidates are ranked in SQL before being cut: a shared skill beats 45 neighbours."""
    expert = MemberFactory(company=world.beta, display_name="Eve Experte")
    can_teach(expert, tree.welding)
    consent(expert)
    for _ in range(45):  # more than the candidates kept per kind
        volunteer = MemberFactory(company=world.beta)
        can_teach(volunteer, tree.orbital)
        consent(volunteer, availability="lundi")
    db.session.flush()
    found = services.suggestions_for_need(db.session, world.member_alpha, need, limit=3)
    assert found[0].member.id == expert.id
    assert found[0].reasons[1] == "Compétences communes : Soudure TIG"


def test_closed_trainer_offer_is_never_suggested(world, tree, need):
    trainer = MemberFactory(company=world.beta)
    make_offer(trainer, [tree.welding], title="Soudure TIG fermée")
    trainer.closed_at = utcnow()
    db.session.flush()
    found = services.suggestions_for_need(db.session, world.member_alpha, need)
    assert all(s.member.id != trainer.id for s in found)
