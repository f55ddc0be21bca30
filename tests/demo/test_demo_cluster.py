"""The demo seed: the six accounts, the realistic cluster, its needs and offers."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation.demo.data import DEMO_ACCOUNTS
from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    NeedSupporter,
    NeedVisibility,
    Offer,
    Venue,
)
from coop_formation.people import charters
from coop_formation.people.models import Company, Member
from tests.conftest import login


def _count(session, model, *where) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_demo_creates_the_six_accounts_with_their_roles_and_companies(demo, db_session):
    by_email = {
        m.email: m
        for m in db_session.scalars(
            sa.select(Member).where(Member.email.in_([a.email for a in DEMO_ACCOUNTS]))
        )
    }
    assert set(by_email) == {a.email for a in DEMO_ACCOUNTS}
    alpha, beta = demo.companies["alpha"], demo.companies["beta"]
    expected = {
        "membre@alpha.demo": (alpha.id, False, False, False),
        "correspondant@alpha.demo": (alpha.id, True, False, False),
        "membre@beta.demo": (beta.id, False, False, False),
        "correspondant@beta.demo": (beta.id, True, False, False),
        "rh@club.demo": (None, False, True, False),
        "admin@coop.demo": (None, False, False, True),
    }
    for email, (company_id, correspondent, hr, admin) in expected.items():
        member = by_email[email]
        assert member.cluster_id == demo.cluster.id
        assert (member.company_id, member.is_correspondent, member.is_hr_club, member.is_admin) == (
            company_id,
            correspondent,
            hr,
            admin,
        ), email
        assert charters.pending_charter(db_session, member) is None, email
    assert "Alpha" in alpha.name and "Beta" in beta.name


def test_every_demo_account_signs_in_with_the_demo_password(demo, client):
    for account in DEMO_ACCOUNTS:
        login(client, account.email, "demo-coop")
        page = client.get("/a-propos")
        assert page.status_code == 200, account.email  # charter already accepted: no redirect
        client.post("/logout")


def test_wrong_password_does_not_sign_a_demo_account_in(demo, client):
    response = client.post("/login", data={"email": "membre@alpha.demo", "password": "demo"})
    assert response.status_code != 302


def test_demo_cluster_has_ten_companies_and_about_two_hundred_members(demo, db_session):
    cluster_id = demo.cluster.id
    assert _count(db_session, Company, Company.cluster_id == cluster_id) == 10
    members = _count(db_session, Member, Member.cluster_id == cluster_id)
    assert 190 <= members <= 210
    names = db_session.scalars(
        sa.select(Member.display_name).where(Member.cluster_id == cluster_id)
    )
    assert len(set(names)) == members  # varied names, no duplicates
    assert _count(db_session, MemberSkill) >= members * 2
    assert _count(db_session, Venue, Venue.cluster_id == cluster_id) >= 3
    pending = _count(
        db_session, Member, Member.cluster_id == cluster_id, Member.password_hash.is_(None)
    )
    assert 0 < pending < members / 2  # some invitations are still pending


def test_alpha_has_company_only_needs_and_exactly_one_anonymous_need(demo, db_session):
    alpha = demo.companies["alpha"]
    needs = list(db_session.scalars(sa.select(Need).where(Need.company_id == alpha.id)))
    assert sum(n.visibility == NeedVisibility.COMPANY for n in needs) >= 3
    assert sum(n.anonymous for n in needs) == 1
    anonymous = next(n for n in needs if n.anonymous)
    assert anonymous.author.email == "membre@alpha.demo"


def test_demo_has_needs_and_offers_with_skills_supporters_and_cluster_visibility(demo, db_session):
    cluster_id = demo.cluster.id
    needs = list(db_session.scalars(sa.select(Need).where(Need.cluster_id == cluster_id)))
    offers = list(db_session.scalars(sa.select(Offer).where(Offer.cluster_id == cluster_id)))
    assert len(needs) >= 40 and len(offers) >= 30
    assert all(n.skills for n in needs) and all(o.skills for o in offers)
    assert sum(n.visibility == NeedVisibility.CLUSTER for n in needs) >= 10
    assert len({n.company_id for n in needs}) == 10
    supporters = _count(db_session, NeedSupporter)
    assert supporters >= 20
    assert sum(n.supporters_count for n in needs) == supporters
    assert all(n.search_text for n in needs + offers)


def test_demo_needs_are_found_by_the_needs_search(demo, client):
    login(client, "membre@beta.demo", "demo-coop")
    body = client.get("/needs?q=tableaux croisés").get_data(as_text=True)
    assert "Excel : tableaux croisés dynamiques" in body
    body = client.get("/needs?q=tour").get_data(as_text=True)
    assert "Prendre en main le nouveau tour CN" not in body  # Alpha's company-only need
