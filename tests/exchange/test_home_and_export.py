"""The signed-in home page and the member's exchange data export."""

from __future__ import annotations

import json

from coop_formation.exchange import services
from coop_formation.exchange.models import MemberSkill, NeedSupporter, NeedVisibility, SkillRelation
from coop_formation.extensions import db
from tests.exchange.factories import make_need, make_offer, make_skill


def test_home_is_a_dashboard_of_my_needs_and_recent_activity(client_for, world):
    make_need(world.member_alpha, title="Mon besoin à moi")
    make_need(world.member_beta, title="Besoin Beta visible", visibility=NeedVisibility.CLUSTER)
    make_need(world.member_beta, title="Besoin Beta interne")
    make_offer(world.member_beta, title="Offre de Bruno")
    body = client_for(world.member_alpha).get("/").get_data(as_text=True)
    for text in (
        "Déclarer un besoin",
        "Proposer une formation",
        "Mon besoin à moi",
        "Besoin Beta visible",
        "Offre de Bruno",
    ):
        assert text in body, text
    assert "Besoin Beta interne" not in body


def test_home_overview_keeps_the_site_call_working(db_session, world):
    overview = services.home_overview(world.member_alpha)
    assert overview["counts"]["open_needs"] == 0
    assert overview["can_declare_need"] is True
    assert services.home_overview(world.hr)["can_declare_need"] is False


def test_export_contains_anonymous_needs_supports_offers_and_skills(db_session, world):
    skill = make_skill("Lire des plans")
    make_need(world.member_alpha, title="Secret", anonymous=True, skills=[skill])
    other = make_need(world.member_beta, title="Besoin Beta", visibility=NeedVisibility.CLUSTER)
    db.session.add(NeedSupporter(need_id=other.id, member_id=world.member_alpha.id, anonymous=True))
    db.session.add(
        MemberSkill(
            member_id=world.member_alpha.id, skill_id=skill.id, relation=SkillRelation.CAN_TEACH
        )
    )
    make_offer(world.member_alpha, title="Mon offre")
    db.session.flush()
    data = services.export_for_member(db.session, world.member_alpha)
    json.dumps(data)
    assert data["needs"][0]["title"] == "Secret" and data["needs"][0]["anonymous"] is True
    assert data["supported_needs"][0]["need_id"] == other.id
    assert data["offers"][0]["title"] == "Mon offre"
    assert data["member_skills"][0]["relation"] == "can_teach"
    assert services.export_for_member(db.session, world.member_beta)["supported_needs"] == []
