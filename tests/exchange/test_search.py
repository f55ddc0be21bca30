"""Finding needs and offers: accent-insensitive words, skill labels, filters, pages, queries."""

from __future__ import annotations

import pytest

from coop_formation.exchange.models import Format, NeedStatus, NeedVisibility
from tests.exchange.factories import make_need, make_offer, make_skill
from tests.factories import MemberFactory


def test_search_ignores_accents_and_case(client_for, world):
    make_need(
        world.member_alpha,
        title="Sécurité électrique des armoires",
        visibility=NeedVisibility.CLUSTER,
    )
    make_need(world.member_alpha, title="Anglais technique", visibility=NeedVisibility.CLUSTER)
    client = client_for(world.member_beta)
    for query in ("securite electrique", "SÉCURITÉ", "électrique sécurité"):
        body = client.get("/needs", query_string={"q": query}).get_data(as_text=True)
        assert "Sécurité électrique des armoires" in body, query
        assert "Anglais technique" not in body, query


def test_search_finds_needs_and_offers_by_skill_label(client_for, world):
    skill = make_skill("Conduire un chariot élévateur")
    make_need(
        world.member_alpha,
        skills=[skill],
        title="Passer le permis",
        visibility=NeedVisibility.CLUSTER,
    )
    make_offer(world.member_alpha, skills=[skill], title="Formation cariste")
    client = client_for(world.member_beta)
    assert "Passer le permis" in client.get("/needs?q=chariot élévateur").get_data(as_text=True)
    assert "Formation cariste" in client.get("/offers?q=elevateur").get_data(as_text=True)


def test_filters_by_skill_format_company_and_status(client_for, world):
    skill = make_skill("Utiliser un tableur")
    make_need(
        world.member_alpha, skills=[skill], title="Tableur Alpha", visibility=NeedVisibility.CLUSTER
    )
    make_need(world.member_beta, title="Groupe Beta", format=Format.WORK_GROUP)
    make_need(world.member_beta, title="Clos Beta", status=NeedStatus.CLOSED)
    client = client_for(world.member_beta)
    body = client.get(f"/needs?skill={skill.id}").get_data(as_text=True)
    assert "Tableur Alpha" in body and "Groupe Beta" not in body
    body = client.get("/needs?format=work_group").get_data(as_text=True)
    assert "Groupe Beta" in body and "Tableur Alpha" not in body
    body = client.get(f"/needs?company={world.alpha.id}").get_data(as_text=True)
    assert "Tableur Alpha" in body and "Groupe Beta" not in body
    body = client.get("/needs?status=closed").get_data(as_text=True)
    assert "Clos Beta" in body and "Groupe Beta" not in body
    assert client.get("/needs?skill=abc&format=nope&company=-1&page=zz").status_code == 200


def test_lists_are_paginated_newest_first(app, client_for, world):
    for number in range(app.config["PAGE_SIZE"] + 3):
        make_need(world.member_alpha, title=f"Besoin numéro {number:02d}")
    client = client_for(world.other_alpha)
    first = client.get("/needs").get_data(as_text=True)
    last = app.config["PAGE_SIZE"] + 2
    assert f"Besoin numéro {last:02d}" in first and "Besoin numéro 00" not in first
    assert "Page 1 sur 2" in first
    second = client.get("/needs?page=2").get_data(as_text=True)
    assert "Besoin numéro 00" in second and f"Besoin numéro {last:02d}" not in second


@pytest.mark.parametrize("path", ["/needs", "/offers", "/"])
def test_list_pages_issue_a_bounded_number_of_queries(path, client_for, world, count_queries):
    skill = make_skill("Lire des plans")

    def populate(count: int) -> None:
        for _ in range(count):
            author = MemberFactory(company=world.alpha)
            make_need(author, skills=[skill], visibility=NeedVisibility.CLUSTER)
            make_offer(author, skills=[skill])

    client = client_for(world.member_beta)
    populate(3)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    populate(27)
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert len(few) == len(many), (len(few), len(many))
    assert len(many) <= 15
