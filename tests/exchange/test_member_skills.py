"""Skills a member declares: saved with the profile, shown to the chosen audience, exported
with the member's data and forgotten when the account closes (through people's events)."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation import authz, events
from coop_formation.authz import Permission
from coop_formation.exchange import member_skills
from coop_formation.exchange.models import MemberSkill, SkillRelation
from coop_formation.extensions import db
from coop_formation.people.models import Visibility
from tests.exchange.factories import make_skill


def _declare(member, skill, relation=SkillRelation.CAN_TEACH):  # type: ignore[no-untyped-def]
    db.session.add(MemberSkill(member_id=member.id, skill_id=skill.id, relation=relation))
    db.session.commit()


def test_closing_an_account_forgets_only_that_members_skills(world):
    skill = make_skill("Soudage TIG")
    _declare(world.member_alpha, skill)
    _declare(world.other_alpha, skill)
    events.member_closed.send(db.session, member=world.member_alpha, actor=world.member_alpha)
    owners = db.session.scalars(sa.select(MemberSkill.member_id)).all()
    assert owners == [world.other_alpha.id]


def test_personal_data_request_answers_the_skills_and_exchange_sections(world):
    _declare(world.member_alpha, make_skill("Lecture de plans"))
    answers = dict(
        answer
        for _receiver, answer in events.personal_data_requested.send(
            db.session, member=world.member_alpha
        )
    )
    assert [row["label"] for row in answers["skills"]] == ["Lecture de plans"]
    assert answers["skills"][0]["relation"] == "can_teach"
    assert [row["skill"]["label"] for row in answers["exchange"]["member_skills"]] == [
        "Lecture de plans"
    ]


def test_member_page_shows_declared_skills_only_to_the_chosen_audience(client_for, world):
    _declare(world.member_alpha, make_skill("Graissage"))
    _declare(world.member_alpha, make_skill("Anglais technique"), SkillRelation.WANTS_TO_LEARN)
    world.member_alpha.skills_visibility = Visibility.COMPANY
    world.member_alpha.learning_visibility = Visibility.PRIVATE
    db.session.commit()
    colleague = client_for(world.other_alpha).get(f"/members/{world.member_alpha.id}")
    outsider = client_for(world.member_beta).get(f"/members/{world.member_alpha.id}")
    assert "Graissage" in colleague.get_data(as_text=True)
    assert "Anglais technique" not in colleague.get_data(as_text=True)
    assert "Graissage" not in outsider.get_data(as_text=True)
    view = member_skills.member_profile(db.session, world.member_alpha, world.member_alpha.id)
    assert [s.label for s in view.skills["wants_to_learn"]] == ["Anglais technique"]


def test_only_members_of_a_company_may_declare_needs(world):
    assert authz.can(world.member_alpha, Permission.NEED_CREATE)
    assert not authz.can(world.hr, Permission.NEED_CREATE)
