"""Every recognition page renders for those allowed, sends anonymous visitors to the login
page, and the JSON API stays usable without a CSRF token while forms require one."""

from __future__ import annotations

import pytest

from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.models import AchievementKind
from tests.factories import SkillFactory
from tests.recognition.conftest import award, make_achievement


def test_management_pages_render_for_a_correspondent(world, client_for):
    simple = make_achievement(world.correspondent_alpha)
    team = make_achievement(world.correspondent_alpha, AchievementKind.COLLECTIVE_ACHIEVEMENT)
    collab = make_achievement(world.correspondent_alpha, AchievementKind.COLLABORATIVE_SKILL)
    credential = award(world.member_alpha, by=world.correspondent_alpha, achievement=simple)
    validation = services.open_validation(
        db.session,
        world.correspondent_alpha,
        achievement_id=collab.id,
        candidate_id=world.member_alpha.id,
        juror_ids=[world.other_alpha.id, world.member_beta.id],
        evidence="Atelier",
    )
    db.session.commit()
    browser = client_for(world.correspondent_alpha)
    for path in (
        "/badges/catalogue",
        "/badges/catalogue?tous=1",
        "/badges/catalogue/nouveau",
        f"/badges/catalogue/{simple.id}",
        f"/badges/catalogue/{simple.id}/modifier",
        f"/badges/catalogue/{simple.id}/decerner",
        f"/badges/catalogue/{team.id}/collectif",
        f"/badges/catalogue/{collab.id}/jury",
        f"/badges/jury/{validation.id}",
        f"/badges/credentials/{credential.public_id}/revoquer",
        "/me/badges",
        "/me/badges/importer",
        f"/members/{world.member_alpha.id}/badges",
        f"/members/{world.member_alpha.id}/recommander",
        f"/credentials/{credential.public_id}",
        f"/achievements/{simple.public_id}",
        f"/issuers/{credential.issuer.public_id}",
        "/verify",
    ):
        response = browser.get(path)
        assert response.status_code == 200, path
    page = browser.get(f"/badges/catalogue/{simple.id}").get_data(as_text=True)
    assert "Révoquer" in page


def test_juror_sees_the_vote_form_and_others_do_not_see_the_jury(world, client_for):
    collab = make_achievement(world.admin, AchievementKind.COLLABORATIVE_SKILL)
    validation = services.open_validation(
        db.session,
        world.admin,
        achievement_id=collab.id,
        candidate_id=world.member_alpha.id,
        juror_ids=[world.other_alpha.id, world.member_beta.id],
        evidence="Atelier",
    )
    db.session.commit()
    page = client_for(world.member_beta).get(f"/badges/jury/{validation.id}").get_data(as_text=True)
    assert "Donner mon avis" in page
    assert "Jurys qui attendent votre avis" in client_for(world.member_beta).get(
        "/me/badges"
    ).get_data(as_text=True)
    assert (
        client_for(world.correspondent_beta).get(f"/badges/jury/{validation.id}").status_code == 404
    )


@pytest.mark.parametrize(
    "path",
    [
        "/badges/catalogue/nouveau",
        "/badges/catalogue/1/modifier",
        "/badges/catalogue/1/archiver",
        "/badges/catalogue/1/decerner",
        "/badges/catalogue/1/collectif",
        "/badges/catalogue/1/jury",
        "/badges/jury/1",
        "/badges/credentials/00000000-0000-0000-0000-000000000000/revoquer",
        "/me/badges/00000000-0000-0000-0000-000000000000/choix",
        "/me/badges/importer",
        "/me/badges/importes/1/supprimer",
        "/members/1/recommander",
    ],
)
def test_mutating_routes_require_login(client, db_session, path):
    response = client.post(path, data={})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_api_is_csrf_exempt_while_forms_are_not(app, client, credential):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        api = client.post("/api/v1/verify", data=credential.jwt, content_type="text/plain")
        assert api.status_code == 200 and api.get_json()["valid"]
        page = client.post("/verify", data={"text": credential.jwt})
        assert page.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_endorse_page_lists_skills(world, client_for):
    skill = SkillFactory(label="Conduite de chariot")
    db.session.commit()
    page = client_for(world.member_beta).get(f"/members/{world.member_alpha.id}/recommander")
    assert skill.label in page.get_data(as_text=True)
