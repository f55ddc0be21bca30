"""Peer endorsements: signed EndorsementCredentials, limited against spam."""

from __future__ import annotations

import json

import pytest

from coop_formation.errors import Conflict, Forbidden, LimitExceeded
from coop_formation.extensions import db
from coop_formation.recognition import services
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory, SkillFactory


def test_endorsement_is_a_signed_credential_without_names(world):
    skill = SkillFactory(label="Soudure")
    endorsement = services.endorse(
        db.session,
        world.member_beta,
        endorsed_id=world.member_alpha.id,
        skill_id=skill.id,
        comment="Alice m'a appris à régler le poste.",
    )
    document = json.loads(endorsement.document)
    assert "EndorsementCredential" in document["type"]
    assert "Bruno" not in endorsement.document and "Alice Martin" not in endorsement.document
    assert services.verify_input(db.session, endorsement.document).valid


def test_one_endorsement_per_colleague_and_skill(world):
    skill = SkillFactory()
    kwargs = {"endorsed_id": world.member_alpha.id, "skill_id": skill.id, "comment": "Bravo"}
    services.endorse(db.session, world.member_beta, **kwargs)
    with pytest.raises(Conflict):
        services.endorse(db.session, world.member_beta, **kwargs)


def test_endorsement_spam_limit_is_five_a_day(world):
    skills = [SkillFactory() for _ in range(6)]
    colleagues = [MemberFactory(company=world.alpha) for _ in range(2)]
    for index, skill in enumerate(skills[:5]):
        services.endorse(
            db.session,
            world.member_beta,
            endorsed_id=colleagues[index % 2].id,
            skill_id=skill.id,
            comment="Merci",
        )
    with pytest.raises(LimitExceeded):
        services.endorse(
            db.session,
            world.member_beta,
            endorsed_id=world.member_alpha.id,
            skill_id=skills[5].id,
            comment="Merci",
        )


def test_no_self_endorsement(world):
    skill = SkillFactory()
    with pytest.raises(Forbidden):
        services.endorse(
            db.session,
            world.member_alpha,
            endorsed_id=world.member_alpha.id,
            skill_id=skill.id,
            comment="Moi",
        )


def test_endorsement_form_shows_the_limit_as_a_message(world, client_for, nothing_written):
    skills = [SkillFactory() for _ in range(6)]
    db.session.commit()
    browser = client_for(world.member_beta)
    for skill in skills[:5]:
        response = browser.post(
            f"/members/{world.member_alpha.id}/recommander",
            data={"skill_id": skill.id, "comment": "Merci"},
        )
        assert response.status_code == 302
    with nothing_written():
        refused = browser.post(
            f"/members/{world.member_alpha.id}/recommander",
            data={"skill_id": skills[5].id, "comment": "Merci"},
        )
    assert refused.status_code == 409
    assert "24 heures" in refused.get_data(as_text=True)
    received = client_for(world.member_alpha).get("/me/badges").get_data(as_text=True)
    assert "Merci" in received


def test_endorsement_of_another_cluster_member_is_404(world, client_for, nothing_written):
    stranger = MemberFactory(company=CompanyFactory(cluster=ClusterFactory()))
    skill = SkillFactory()
    db.session.commit()
    browser = client_for(world.member_alpha)
    with nothing_written():
        response = browser.post(
            f"/members/{stranger.id}/recommander", data={"skill_id": skill.id, "comment": "x"}
        )
    assert response.status_code == 404
