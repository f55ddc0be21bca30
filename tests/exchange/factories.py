"""Exchange-specific test helpers: venues, domains, needs and offers with real search text."""

from __future__ import annotations

import factory

from coop_formation.exchange.models import Need, Offer, Skill, SkillKind, SkillStatus, Venue
from coop_formation.exchange.search import item_search_text, skill_search_text
from coop_formation.extensions import db
from tests.factories import NeedFactory, OfferFactory, SkillFactory, _Base


class VenueFactory(_Base):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Tiers-lieu {n}")
    address = "1 rue de la Gare"
    capacity = 20


def make_domain(label: str = "Maintenance industrielle") -> Skill:
    domain = SkillFactory(label=label, kind=SkillKind.DOMAIN, uri=None)
    domain.search_text = skill_search_text(domain)
    db.session.flush()
    return domain


def make_skill(label: str, parent: Skill | None = None, **kwargs: object) -> Skill:
    skill = SkillFactory(label=label, parent=parent, **kwargs)
    skill.search_text = skill_search_text(skill)
    db.session.flush()
    return skill


def make_need(author, skills: list[Skill] | None = None, **kwargs: object) -> Need:  # type: ignore[no-untyped-def]
    need = NeedFactory(author=author, **kwargs)
    need.skills = list(skills or [])
    need.search_text = item_search_text(need.title, need.description, need.skills)
    db.session.flush()
    return need


def make_offer(trainer, skills: list[Skill] | None = None, **kwargs: object) -> Offer:  # type: ignore[no-untyped-def]
    offer = OfferFactory(trainer=trainer, **kwargs)
    offer.skills = list(skills or [])
    offer.search_text = item_search_text(offer.title, offer.description, offer.skills)
    db.session.flush()
    return offer


def proposed_skill(proposer, label: str = "Soudure orbitale") -> Skill:  # type: ignore[no-untyped-def]
    skill = SkillFactory(
        label=label, uri=None, status=SkillStatus.PROPOSED, proposed_by_id=proposer.id
    )
    skill.search_text = skill_search_text(skill)
    db.session.flush()
    return skill
