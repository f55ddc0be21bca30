"""Matching test helpers: a small skills tree, needs/offers with real search text, consent."""

from __future__ import annotations

from dataclasses import dataclass

from coop_formation.exchange.models import MemberSkill, Skill, SkillRelation
from coop_formation.extensions import db
from coop_formation.matching.models import MatchingPreference
from coop_formation.people.models import Member
from tests.exchange.factories import make_domain, make_need, make_offer, make_skill

__all__ = ["Tree", "can_teach", "consent", "make_need", "make_offer", "make_tree"]


@dataclass
class Tree:
    domain: Skill
    welding: Skill
    orbital: Skill
    spreadsheet: Skill


def make_tree() -> Tree:
    domain = make_domain("Métallerie")
    office = make_domain("Bureautique")
    return Tree(
        domain=domain,
        welding=make_skill("Soudure TIG", parent=domain),
        orbital=make_skill("Soudure orbitale", parent=domain),
        spreadsheet=make_skill("Tableur", parent=office),
    )


def can_teach(member: Member, *skills: Skill) -> None:
    for skill in skills:
        db.session.add(
            MemberSkill(member_id=member.id, skill_id=skill.id, relation=SkillRelation.CAN_TEACH)
        )
    db.session.flush()


def consent(
    member: Member, *, suggest: bool = True, calls: bool = False, availability: str = ""
) -> None:
    db.session.add(
        MatchingPreference(
            member_id=member.id, suggest_me=suggest, accept_calls=calls, availability=availability
        )
    )
    db.session.flush()
