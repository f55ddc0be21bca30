"""Tenancy and anonymity of needs: who may see a need, and who may see its author."""

from __future__ import annotations

import pytest

from coop_formation.exchange.models import NeedVisibility
from tests.exchange.factories import make_need
from tests.factories import MemberFactory

SECRET_NAME = "Zoé Discrète"


@pytest.fixture()
def secret_author(world):  # type: ignore[no-untyped-def]
    """An Alpha member whose only needs are anonymous."""
    return MemberFactory(company=world.alpha, email="zoe@alpha.test", display_name=SECRET_NAME)


@pytest.fixture()
def alpha_needs(world, secret_author):  # type: ignore[no-untyped-def]
    company_only = make_need(
        world.member_alpha, title="Réglage presse plieuse", visibility=NeedVisibility.COMPANY
    )
    cluster_wide = make_need(
        world.member_alpha, title="Bases du tableur", visibility=NeedVisibility.CLUSTER
    )
    anonymous = make_need(
        secret_author,
        title="Préparer une reconversion",
        visibility=NeedVisibility.CLUSTER,
        anonymous=True,
    )
    anonymous_company = make_need(
        secret_author,
        title="Gérer mon stress",
        visibility=NeedVisibility.COMPANY,
        anonymous=True,
    )
    return company_only, cluster_wide, anonymous, anonymous_company


def test_anonymous_visitor_is_sent_to_login(client, world, alpha_needs):
    for path in ("/needs", f"/needs/{alpha_needs[1].id}", "/needs/new"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_member_cannot_see_other_company_needs(client_for, world, alpha_needs):
    company_only, cluster_wide, *_ = alpha_needs
    beta = client_for(world.member_beta)
    listing = beta.get("/needs").get_data(as_text=True)
    assert "Réglage presse plieuse" not in listing
    assert "Bases du tableur" in listing
    assert beta.get(f"/needs/{company_only.id}").status_code == 404
    assert beta.get(f"/needs/{cluster_wide.id}").status_code == 200
    search = beta.get("/needs?q=presse").get_data(as_text=True)
    assert "Réglage presse plieuse" not in search
    filtered = beta.get(f"/needs?company={world.alpha.id}").get_data(as_text=True)
    assert "Réglage presse plieuse" not in filtered and "Bases du tableur" in filtered


def test_guessing_ids_of_other_company_needs_answers_404_everywhere(
    nothing_written, client_for, world, alpha_needs
):
    company_only = alpha_needs[0]
    with nothing_written():
        for member in (world.member_beta, world.correspondent_beta, world.hr, world.admin):
            client = client_for(member)
            assert client.get(f"/needs/{company_only.id}").status_code == 404
            assert client.get(f"/needs/{company_only.id}/edit").status_code == 404
            assert client.post(f"/needs/{company_only.id}/join").status_code == 404
            assert (
                client.post(
                    f"/needs/{company_only.id}/status", data={"status": "closed"}
                ).status_code
                == 404
            )
    assert client_for(world.member_beta).get("/needs/999999").status_code == 404


def test_company_colleagues_and_correspondent_see_company_need(client_for, world, alpha_needs):
    company_only = alpha_needs[0]
    for member in (world.other_alpha, world.correspondent_alpha):
        assert client_for(member).get(f"/needs/{company_only.id}").status_code == 200


def test_admin_sees_cluster_needs_only_and_hr_club_none(client_for, world, alpha_needs):
    company_only, cluster_wide, *_ = alpha_needs
    client = client_for(world.admin)
    body = client.get("/needs").get_data(as_text=True)
    assert "Bases du tableur" in body
    assert "Réglage presse plieuse" not in body
    assert client.get(f"/needs/{cluster_wide.id}").status_code == 200
    # The HR club reads aggregates only: no need, not even a cluster-wide one.
    hr = client_for(world.hr)
    listing = hr.get("/needs")
    assert listing.status_code in (200, 403, 404)
    body = listing.get_data(as_text=True)
    assert "Bases du tableur" not in body
    assert "Réglage presse plieuse" not in body
    assert hr.get(f"/needs/{cluster_wide.id}").status_code == 403
    assert hr.get(f"/needs/{company_only.id}").status_code == 404


def test_anonymous_need_shows_no_author_name_anywhere(client_for, world, alpha_needs):
    anonymous, anonymous_company = alpha_needs[2], alpha_needs[3]
    author = SECRET_NAME
    viewers = (
        world.other_alpha,
        world.correspondent_alpha,
        world.member_beta,
        world.correspondent_beta,
        world.admin,
    )  # the HR club reads no need at all (tests/test_hr_role.py)
    for viewer in viewers:
        client = client_for(viewer)
        pages = ["/needs", "/needs?q=reconversion", f"/needs/{anonymous.id}", "/"]
        if viewer.company_id == world.alpha.id:
            pages.append(f"/needs/{anonymous_company.id}")
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (viewer.email, path)
            body = response.get_data(as_text=True)
            assert author not in body, (viewer.email, path)
        detail = client.get(f"/needs/{anonymous.id}").get_data(as_text=True)
        assert "Auteur anonyme" in detail
        edit = client.get(f"/needs/{anonymous.id}/edit")
        assert edit.status_code == 403
        assert author not in edit.get_data(as_text=True)


def test_correspondent_status_form_keeps_author_hidden(client_for, world, alpha_needs):
    anonymous_company = alpha_needs[3]
    client = client_for(world.correspondent_alpha)
    body = client.get(f"/needs/{anonymous_company.id}").get_data(as_text=True)
    assert "Changer le statut" in body
    assert SECRET_NAME not in body
    response = client.post(f"/needs/{anonymous_company.id}/status", data={"status": "matched"})
    assert response.status_code == 302
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert SECRET_NAME not in after


def test_author_sees_they_wrote_the_anonymous_need(client_for, secret_author, alpha_needs):
    anonymous = alpha_needs[2]
    client = client_for(secret_author)
    body = client.get(f"/needs/{anonymous.id}").get_data(as_text=True)
    assert "Vous êtes l&#39;auteur (anonyme pour les autres)" in body or (
        "Vous êtes l'auteur (anonyme pour les autres)" in body
    )
    assert client.get(f"/needs/{anonymous.id}/edit").status_code == 200
    listing = client.get("/needs").get_data(as_text=True)
    assert "Vous (anonyme pour les autres)" in listing


def test_non_anonymous_need_shows_author_name(client_for, world, alpha_needs):
    cluster_wide = alpha_needs[1]
    body = client_for(world.member_beta).get(f"/needs/{cluster_wide.id}").get_data(as_text=True)
    assert world.member_alpha.display_name in body
