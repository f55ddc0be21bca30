"""A member signs in, declares a need, and finds it in the list — in a real browser."""

from __future__ import annotations

import pytest

from coop_formation.exchange.models import Skill, SkillKind, SkillStatus
from coop_formation.extensions import db
from coop_formation.people.auth import hash_password
from coop_formation.people.models import Charter, CharterAcceptance, Cluster, Company, Member

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-e2e"


@pytest.fixture(scope="module")
def member_email(live_app) -> str:  # type: ignore[no-untyped-def]
    with live_app.app_context():
        cluster = Cluster(name="Grappe e2e", slug="grappe-e2e")
        company = Company(cluster=cluster, name="Alpha e2e", slug="alpha-e2e")
        charter = Charter(cluster=cluster, version=1, title="Charte", body="Solidarité.")
        member = Member(
            cluster=cluster,
            company=company,
            email="lea@alpha-e2e.test",
            display_name="Léa Fontaine",
            password_hash=hash_password(PASSWORD),
        )
        skill = Skill(
            label="Soudure à l'arc",
            uri="http://data.europa.eu/esco/skill/e2e-soudure",
            kind=SkillKind.SKILL,
            status=SkillStatus.APPROVED,
            search_text="soudure a l'arc",
        )
        db.session.add_all([cluster, company, charter, member, skill])
        db.session.flush()
        db.session.add(CharterAcceptance(member_id=member.id, charter_id=charter.id))
        db.session.commit()
        return member.email


def test_member_signs_in_declares_a_need_and_finds_it(live_server, page, member_email):
    page.goto(f"{live_server}/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Adresse e-mail").fill(member_email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server}/")
    assert "Léa Fontaine" in page.content()

    page.goto(f"{live_server}/needs/new")
    page.get_by_label("Titre").fill("Maîtriser la soudure TIG sur inox")
    page.get_by_label("Description").fill("Nous changeons de poste à souder en janvier.")
    page.get_by_role("button", name="Publier le besoin").click()
    page.wait_for_url(f"{live_server}/needs/*")
    assert page.get_by_role("heading", name="Maîtriser la soudure TIG sur inox").is_visible()

    page.goto(f"{live_server}/needs")
    page.locator("#f-q").fill("soudure inox")
    page.get_by_role("button", name="Filtrer").click()
    results = page.locator("main")
    assert results.get_by_text("Maîtriser la soudure TIG sur inox").first.is_visible()

    # The search is accent-insensitive: "maitriser" finds "Maîtriser".
    page.goto(f"{live_server}/needs?q=maitriser")
    assert page.get_by_text("Maîtriser la soudure TIG sur inox").first.is_visible()


def test_pages_work_without_javascript(browser, live_server, member_email):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse e-mail").fill(member_email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/needs")
    assert page.get_by_role("heading", level=1).first.is_visible()
    context.close()
