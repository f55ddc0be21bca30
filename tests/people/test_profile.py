"""A member's profile: editing it, and what each viewer may read of it."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from coop_formation.db import utcnow
from coop_formation.exchange.models import MemberSkill, SkillRelation, SkillStatus
from coop_formation.extensions import db
from coop_formation.people.models import Member, Visibility
from coop_formation.people.rules import can_read_field
from tests.factories import CompanyFactory, MemberFactory, SkillFactory, World

MARKED_FIELDS = ("job_title", "bio", "phone")
SKILL_MARKS = {
    SkillRelation.PRACTISES: "skills",
    SkillRelation.CAN_TEACH: "skills",
    SkillRelation.WANTS_TO_LEARN: "learning",
}
# viewer -> the audiences whose fields they may read on member_alpha's page
VIEWERS = {
    "member_alpha": {Visibility.PRIVATE, Visibility.COMPANY, Visibility.CLUSTER},  # self
    "other_alpha": {Visibility.COMPANY, Visibility.CLUSTER},  # same company
    "correspondent_alpha": {Visibility.COMPANY, Visibility.CLUSTER},  # no privilege
    "member_beta": {Visibility.CLUSTER},  # other company
    "correspondent_beta": {Visibility.CLUSTER},
    "hr": {Visibility.CLUSTER},  # HR club: no privilege on private fields
    "admin": {Visibility.CLUSTER},  # coop admin: no privilege either
}


def _mark_profile(world: World, visibility: Visibility) -> dict[str, str]:
    """Give member_alpha a marked value in every field and skill list, shown to ``visibility``."""
    member = world.member_alpha
    markers: dict[str, str] = {}
    for name in MARKED_FIELDS:
        markers[name] = f"MARK-{name}-value"
        setattr(member, name, markers[name])
        setattr(member, f"{name}_visibility", visibility)
    member.skills_visibility = visibility
    member.learning_visibility = visibility
    for relation in SKILL_MARKS:
        skill = SkillFactory(label=f"MARK-{relation.value}-skill")
        db.session.add(MemberSkill(member_id=member.id, skill_id=skill.id, relation=relation))
        markers[relation.value] = skill.label
    db.session.commit()
    return markers


@pytest.mark.parametrize(
    ("viewer", "visibility"), list(itertools.product(VIEWERS, list(Visibility)))
)
def test_member_page_shows_each_field_only_to_its_audience(
    client_for, world: World, viewer: str, visibility: Visibility
) -> None:
    markers = _mark_profile(world, visibility)
    client = client_for(getattr(world, viewer))
    response = client.get(f"/members/{world.member_alpha.id}")
    body = response.get_data(as_text=True)
    if viewer == "hr":  # the HR club reads aggregates only: no profile at all
        assert response.status_code in (403, 404)
        assert "Alice Martin" not in body
        assert not any(marker in body for marker in markers.values())
        return
    assert response.status_code == 200
    assert "Alice Martin" in body  # the name is known to the whole cluster
    expected_visible = visibility in VIEWERS[viewer]
    for field_name, marker in markers.items():
        assert (marker in body) is expected_visible, (viewer, visibility, field_name)


def test_each_field_follows_its_own_visibility(client_for, world: World) -> None:
    member = world.member_alpha
    member.job_title, member.job_title_visibility = "Chaudronnière", Visibility.CLUSTER
    member.bio, member.bio_visibility = "Passionnée de vélo", Visibility.COMPANY
    member.phone, member.phone_visibility = "06 12 34 56 78", Visibility.PRIVATE
    db.session.commit()
    client = client_for(world.other_alpha)
    same_company = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert "Chaudronnière" in same_company and "Passionnée de vélo" in same_company
    assert "06 12 34 56 78" not in same_company
    client.post("/logout")
    client = client_for(world.member_beta)
    other_company = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert "Chaudronnière" in other_company and "Passionnée de vélo" not in other_company


def test_anonymous_visitor_cannot_read_a_member_page(client: FlaskClient, world: World) -> None:
    _mark_profile(world, Visibility.CLUSTER)
    response = client.get(f"/members/{world.member_alpha.id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_member_of_another_cluster_is_not_found(client_for, world: World) -> None:
    stranger = MemberFactory(company=CompanyFactory(), job_title="Ailleurs")
    client = client_for(world.member_alpha)
    assert client.get(f"/members/{stranger.id}").status_code == 404
    assert client.get("/members/999999").status_code == 404


def test_closed_account_page_is_not_found(client_for, world: World) -> None:
    world.other_alpha.closed_at = utcnow()
    db.session.commit()
    client = client_for(world.member_alpha)
    assert client.get(f"/members/{world.other_alpha.id}").status_code == 404


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_visibility_rule_matches_the_table(
    world: World, viewer: str, visibility: Visibility
) -> None:
    allowed = can_read_field(getattr(world, viewer), world.member_alpha, visibility)
    assert allowed is (visibility in VIEWERS[viewer])
    assert can_read_field(None, world.member_alpha, Visibility.CLUSTER) is False


def _profile_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "display_name": "Alice M.",
        "job_title": "Technicienne qualité",
        "job_title_visibility": "cluster",
        "bio": "J'aime transmettre.",
        "bio_visibility": "company",
        "phone": "01 02 03 04 05",
        "phone_visibility": "private",
        "skills_visibility": "company",
        "learning_visibility": "private",
        "locale": "",
    }
    data.update(overrides)
    return data


def test_member_edits_their_profile_and_skills(client_for, world: World) -> None:
    welding, teaching, python = (
        SkillFactory(label=label) for label in ("Soudage", "Pédagogie", "Python")
    )
    SkillFactory(label="Proposée", status=SkillStatus.PROPOSED)
    db.session.commit()
    client = client_for(world.member_alpha)
    page = client.get("/me").get_data(as_text=True)
    assert "Soudage" in page and "Proposée" not in page  # only approved skills are offered
    assert "multiple" in page
    data = _profile_data(
        practises=[welding.id, teaching.id], can_teach=[welding.id], wants_to_learn=[python.id]
    )
    response = client.post("/me", data=data)
    assert response.status_code == 302
    member = db.session.get(Member, world.member_alpha.id)
    assert member is not None
    assert (member.display_name, member.job_title, member.phone) == (
        "Alice M.",
        "Technicienne qualité",
        "01 02 03 04 05",
    )
    assert (
        member.bio_visibility is Visibility.COMPANY
        and member.phone_visibility is Visibility.PRIVATE
    )
    rows = db.session.scalars(
        sa.select(MemberSkill).where(MemberSkill.member_id == member.id)
    ).all()
    assert sorted((row.relation.value, row.skill_id) for row in rows) == sorted(
        [
            ("practises", welding.id),
            ("practises", teaching.id),
            ("can_teach", welding.id),
            ("wants_to_learn", python.id),
        ]
    )
    # the form shows the saved choices again; removing a skill deletes its row
    client.post("/me", data=_profile_data(practises=[teaching.id]))
    rows = db.session.scalars(
        sa.select(MemberSkill).where(MemberSkill.member_id == member.id)
    ).all()
    assert [(row.relation.value, row.skill_id) for row in rows] == [("practises", teaching.id)]


def test_proposed_skill_cannot_be_declared(nothing_written, client_for, world: World) -> None:
    proposed = SkillFactory(label="Pas encore validée", status=SkillStatus.PROPOSED)
    db.session.commit()
    client = client_for(world.member_alpha)
    with nothing_written():
        response = client.post("/me", data=_profile_data(practises=[proposed.id]))
    assert response.status_code == 422
    assert not db.session.scalars(sa.select(MemberSkill)).all()


@pytest.mark.parametrize(
    "overrides",
    [
        {"display_name": ""},
        {"phone_visibility": "everyone"},
        {"job_title": "x" * 161},
        {"locale": "de"},
    ],
)
def test_bad_profile_input_is_rerendered(
    nothing_written, client_for, world: World, overrides: dict
) -> None:
    client = client_for(world.member_alpha)
    with nothing_written():
        response = client.post("/me", data=_profile_data(**overrides))
    assert response.status_code == 422
    assert "Le formulaire contient des erreurs" in response.get_data(as_text=True)
    assert world.member_alpha.display_name == "Alice Martin"


def test_chosen_language_is_remembered(client_for, world: World) -> None:
    client = client_for(world.member_alpha)
    client.post("/me", data=_profile_data(locale="en"))
    assert db.session.get(Member, world.member_alpha.id).locale == "en"
    assert '<html lang="en">' in client.get("/me").get_data(as_text=True)


def test_language_switch_uses_set_locale(client_for, world: World) -> None:
    client = client_for(world.member_alpha)
    client.post("/langue", data={"lang": "en", "next": "/me"})
    assert db.session.get(Member, world.member_alpha.id).locale == "en"
