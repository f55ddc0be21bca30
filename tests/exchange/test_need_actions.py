"""Declaring, editing, closing and joining needs; bad input re-renders in French."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation.exchange.models import Need, NeedStatus, NeedSupporter, NeedVisibility
from coop_formation.extensions import db
from tests.exchange.factories import make_need, make_skill


def _need_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Apprendre à lire un schéma électrique",
        "description": "Pour dépanner seul la ligne 3.",
        "urgency": "soon",
        "format": "training",
        "visibility": "cluster",
        "wanted_from": "",
        "wanted_until": "",
    }
    data.update(overrides)
    return data


def test_member_declares_a_need_with_skills(client_for, world):
    skill = make_skill("Interpréter des schémas électriques")
    client = client_for(world.member_alpha)
    response = client.post("/needs/new", data=_need_form(skill_ids=[str(skill.id)], anonymous="y"))
    assert response.status_code == 302
    need = db.session.scalar(sa.select(Need).where(Need.title.like("Apprendre%")))
    assert need.author_id == world.member_alpha.id
    assert need.company_id == world.alpha.id
    assert need.anonymous is True
    assert [s.id for s in need.skills] == [skill.id]
    assert "interpreter des schemas electriques" in need.search_text


def test_bad_need_input_re_renders_in_french(nothing_written, client_for, world):
    client = client_for(world.member_alpha)
    cases = [
        (_need_form(title=""), "Indiquez un titre."),
        (_need_form(wanted_from="2030-05-10", wanted_until="2030-05-01"), "après la date de début"),
        (_need_form(wanted_from="pas-une-date"), "Date invalide"),
        (_need_form(skill_ids=["999999"]), "Choisissez des compétences parmi la liste"),
        (_need_form(skill_ids=["abc"]), "Choisissez des compétences parmi la liste"),
    ]
    with nothing_written():
        for data, message in cases:
            response = client.post("/needs/new", data=data)
            assert response.status_code == 422, data
            assert message in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Need)) == 0


def test_account_without_company_cannot_declare_a_need(nothing_written, client_for, world):
    client = client_for(world.hr)
    assert "Seuls les salariés" in client.get("/needs/new").get_data(as_text=True)
    with nothing_written():
        response = client.post("/needs/new", data=_need_form())
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Need)) == 0


def test_only_the_author_edits_their_need(nothing_written, client_for, world):
    need = make_need(world.member_alpha, visibility=NeedVisibility.CLUSTER, title="Titre initial")
    with nothing_written():
        for member in (
            world.other_alpha,
            world.correspondent_alpha,
            world.member_beta,
            world.hr,
            world.admin,
        ):
            client = client_for(member)
            assert client.get(f"/needs/{need.id}/edit").status_code == 403
            assert (
                client.post(f"/needs/{need.id}/edit", data=_need_form(title="Piraté")).status_code
                == 403
            )
    author = client_for(world.member_alpha)
    assert author.get(f"/needs/{need.id}/edit").status_code == 200
    response = author.post(f"/needs/{need.id}/edit", data=_need_form(title="Titre corrigé"))
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.title == "Titre corrigé"
    assert "titre corrige" in need.search_text


def test_status_changes_by_author_or_company_correspondent_only(nothing_written, client_for, world):
    need = make_need(world.member_alpha, visibility=NeedVisibility.CLUSTER)
    with nothing_written():
        for member in (world.other_alpha, world.member_beta, world.correspondent_beta, world.hr):
            response = client_for(member).post(
                f"/needs/{need.id}/status", data={"status": "closed"}
            )
            assert response.status_code == 403
    client_for(world.correspondent_alpha).post(
        f"/needs/{need.id}/status", data={"status": "matched"}
    )
    db.session.refresh(need)
    assert need.status == NeedStatus.MATCHED
    client_for(world.member_alpha).post(f"/needs/{need.id}/status", data={"status": "closed"})
    db.session.refresh(need)
    assert need.status == NeedStatus.CLOSED


def test_moi_aussi_counts_supporters_and_respects_their_anonymity(client_for, world):
    need = make_need(world.member_alpha, visibility=NeedVisibility.CLUSTER)
    client_for(world.member_beta).post(f"/needs/{need.id}/join", data={"anonymous": "y"})
    client_for(world.other_alpha).post(f"/needs/{need.id}/join", data={})
    db.session.refresh(need)
    assert need.supporters_count == 2
    for viewer in (world.correspondent_beta, world.member_alpha, world.admin):
        body = client_for(viewer).get(f"/needs/{need.id}").get_data(as_text=True)
        assert world.other_alpha.display_name in body
        assert world.member_beta.display_name not in body
        assert "2 personnes partagent ce besoin" in body
    mine = client_for(world.member_beta).get(f"/needs/{need.id}").get_data(as_text=True)
    assert "Vous soutenez ce besoin de façon anonyme" in mine


def test_joining_twice_keeps_one_support_and_leaving_updates_count(client_for, world):
    need = make_need(world.member_alpha, visibility=NeedVisibility.CLUSTER)
    client = client_for(world.member_beta)
    client.post(f"/needs/{need.id}/join", data={})
    client.post(f"/needs/{need.id}/join", data={"anonymous": "y"})
    supports = db.session.scalars(
        sa.select(NeedSupporter).where(NeedSupporter.need_id == need.id)
    ).all()
    assert len(supports) == 1 and supports[0].anonymous is True
    client.post(f"/needs/{need.id}/leave")
    db.session.refresh(need)
    assert need.supporters_count == 0


def test_author_cannot_join_own_need_nor_anyone_a_closed_one(client_for, world):
    need = make_need(world.member_alpha, visibility=NeedVisibility.CLUSTER)
    client_for(world.member_alpha).post(f"/needs/{need.id}/join", data={})
    closed = make_need(
        world.member_alpha, visibility=NeedVisibility.CLUSTER, status=NeedStatus.CLOSED
    )
    client_for(world.member_beta).post(f"/needs/{closed.id}/join", data={})
    count = db.session.scalar(sa.select(sa.func.count()).select_from(NeedSupporter))
    assert count == 0


def test_mutating_need_routes_require_login(client, world):
    need = make_need(world.member_alpha, visibility=NeedVisibility.CLUSTER)
    for path in (
        f"/needs/{need.id}/edit",
        f"/needs/{need.id}/join",
        f"/needs/{need.id}/leave",
        f"/needs/{need.id}/status",
        "/needs/new",
    ):
        response = client.post(path, data={})
        assert response.status_code == 302 and "/login" in response.headers["Location"]
