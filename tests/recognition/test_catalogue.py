"""The achievements catalogue: correspondents and the coop admin manage it, members read
it; uploaded pictures are checked (SVG with active content refused, PNG validated)."""

from __future__ import annotations

import io

import pytest

import badges
from coop_formation.errors import Forbidden, InvalidInput
from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.images import check_image
from coop_formation.recognition.models import Achievement, AchievementKind
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory, SkillFactory
from tests.recognition.conftest import award, make_achievement

SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg">'
GOOD_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<title>Badge</title><circle cx="5" cy="5" r="4" fill="#1f6f8b"/></svg>'
)


def _form(**extra):  # type: ignore[no-untyped-def]
    data = {
        "name": "Soudure TIG",
        "description": "Souder à l'arc sous gaz inerte.",
        "criteria": "Trois soudures contrôlées.",
        "kind": "training_followed",
    }
    data.update(extra)
    return data


def test_members_cannot_manage_the_catalogue(world, client_for, nothing_written):
    with pytest.raises(Forbidden):
        make_achievement(world.member_alpha)
    browser = client_for(world.member_alpha)
    assert browser.get("/badges/catalogue").status_code == 200
    assert browser.get("/badges/catalogue/nouveau").status_code == 403
    with nothing_written():
        assert browser.post("/badges/catalogue/nouveau", data=_form()).status_code == 403
    achievement = make_achievement(world.correspondent_alpha)
    db.session.commit()
    with nothing_written():
        edit = browser.post(f"/badges/catalogue/{achievement.id}/modifier", data=_form())
        archive = browser.post(f"/badges/catalogue/{achievement.id}/archiver")
    assert edit.status_code == 403 and archive.status_code == 403
    db.session.refresh(achievement)
    assert achievement.archived is False and achievement.name != "Soudure TIG"
    for hr_or_beta in (world.hr, world.member_beta):
        assert client_for(hr_or_beta).get("/badges/catalogue/nouveau").status_code == 403


def test_correspondent_creates_a_badge_aligned_to_skills_with_a_picture(world, client_for):
    skill = SkillFactory(label="Souder")
    db.session.commit()
    browser = client_for(world.correspondent_alpha)
    response = browser.post(
        "/badges/catalogue/nouveau",
        data=_form(skill_ids=[str(skill.id)], image=(io.BytesIO(GOOD_SVG), "badge.svg")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    achievement = db.session.execute(db.select(Achievement)).scalar_one()
    assert achievement.skills == [skill]
    assert achievement.image_type == "image/svg+xml"
    assert browser.get(f"/achievements/{achievement.public_id}/image").data == GOOD_SVG


def test_other_cluster_cannot_see_the_badge(world, client_for):
    achievement = make_achievement(world.correspondent_alpha)
    stranger = MemberFactory(
        company=CompanyFactory(cluster=ClusterFactory()), is_correspondent=True
    )
    db.session.commit()
    browser = client_for(stranger)
    assert browser.get(f"/badges/catalogue/{achievement.id}").status_code == 404
    assert (
        browser.post(f"/badges/catalogue/{achievement.id}/modifier", data=_form()).status_code
        == 404
    )


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="1"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<use xlink:href="https://evil.example/x.svg#a"/></svg>',
        SVG_OPEN + b'<a href="javascript:alert(1)"><circle r="1"/></a></svg>',
        SVG_OPEN + b"<style>@import url(https://e.example/x.css);</style></svg>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://e.example/p)"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://e.example/p.png"/></svg>',
        b"<svg",
    ],
)
def test_svg_with_active_or_external_content_is_refused(svg):
    with pytest.raises(InvalidInput):
        check_image(svg)


def test_svg_with_a_script_is_refused_by_the_form(world, client_for, nothing_written):
    browser = client_for(world.correspondent_alpha)
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with nothing_written():
        response = browser.post(
            "/badges/catalogue/nouveau",
            data=_form(image=(io.BytesIO(evil), "badge.svg")),
            content_type="multipart/form-data",
        )
    assert response.status_code == 422
    assert "Image refusée" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Achievement)).first() is None


def test_png_is_checked_by_signature_and_structure():
    png = badges.default_badge_png("Soudure")
    assert check_image(png) == "image/png"
    with pytest.raises(InvalidInput):
        check_image(png[:-20])
    with pytest.raises(InvalidInput):
        check_image(b"GIF89a" + b"\0" * 20)
    with pytest.raises(InvalidInput):
        check_image(png + b"\0" * (300 * 1024))


def test_kind_is_frozen_once_awarded(world):
    achievement = make_achievement(world.admin)
    award(world.member_alpha, by=world.admin, achievement=achievement)
    data = services.AchievementData(
        name="x", description="d", criteria="c", kind=AchievementKind.PEER_TRAINER
    )
    with pytest.raises(InvalidInput):
        services.update_achievement(db.session, world.admin, achievement.id, data)


def test_archived_badge_is_no_longer_awarded(world):
    achievement = make_achievement(world.admin)
    services.archive_achievement(db.session, world.admin, achievement.id)
    with pytest.raises(InvalidInput):
        award(world.member_alpha, by=world.admin, achievement=achievement)
