"""The skills framework: tree with search, skill pages, proposals and moderation."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation.exchange.models import (
    MemberSkill,
    NeedVisibility,
    Skill,
    SkillRelation,
    SkillStatus,
    need_skills,
    offer_skills,
)
from coop_formation.extensions import db
from tests.exchange.factories import make_domain, make_need, make_offer, make_skill, proposed_skill


def test_tree_shows_domains_and_filters_by_label_and_alt_labels(client_for, world):
    domain = make_domain("Maintenance industrielle")
    make_skill(
        "Entretenir les systèmes hydrauliques",
        parent=domain,
        alt_labels="maintain hydraulic systems",
    )
    make_skill("Utiliser un tableur")
    client = client_for(world.member_alpha)
    body = client.get("/skills").get_data(as_text=True)
    assert (
        "<details" in body and "Maintenance industrielle" in body and "Utiliser un tableur" in body
    )
    found = client.get("/skills?q=hydraulic").get_data(as_text=True)
    assert "Entretenir les systèmes hydrauliques" in found and "Utiliser un tableur" not in found
    found = client.get("/skills?q=systemes HYDRAULIQUES").get_data(as_text=True)
    assert "Entretenir les systèmes hydrauliques" in found


def test_skill_page_shows_uri_and_aggregate_counts(client_for, world):
    skill = make_skill("Lire des plans", uri="http://data.europa.eu/esco/skill/abc")
    make_need(world.member_alpha, skills=[skill])  # company-only: counted, not shown
    make_offer(world.member_alpha, skills=[skill])
    body = client_for(world.member_beta).get(f"/skills/{skill.id}").get_data(as_text=True)
    assert 'href="http://data.europa.eu/esco/skill/abc"' in body
    assert "1 besoin ouvert" in body and "1 offre active" in body
    assert world.member_alpha.display_name not in body


def test_member_proposes_a_missing_skill(client_for, world):
    domain = make_domain("Production")
    client = client_for(world.member_alpha)
    response = client.post(
        "/skills/propose",
        data={
            "label": "Soudure orbitale",
            "description": "Tubes inox",
            "parent_id": str(domain.id),
        },
    )
    assert response.status_code == 302
    skill = db.session.scalar(sa.select(Skill).where(Skill.label == "Soudure orbitale"))
    assert skill.status == SkillStatus.PROPOSED and skill.proposed_by_id == world.member_alpha.id
    assert skill.parent_id == domain.id
    assert "Soudure orbitale" not in client.get("/skills").get_data(as_text=True)
    assert client_for(world.member_beta).get(f"/skills/{skill.id}").status_code == 404


def test_bad_or_duplicate_proposal_re_renders_in_french(nothing_written, client_for, world):
    make_skill("Utiliser un tableur")
    client = client_for(world.member_alpha)
    with nothing_written():
        response = client.post("/skills/propose", data={"label": ""})
        assert (
            response.status_code == 422
            and "Indiquez le nom de la compétence" in response.get_data(as_text=True)
        )
        response = client.post("/skills/propose", data={"label": "utiliser un TABLEUR"})
        assert response.status_code == 422 and "existe déjà" in response.get_data(as_text=True)
        response = client.post("/skills/propose", data={"label": "Nouvelle", "parent_id": "99999"})
    assert response.status_code == 422 and "Choisissez un domaine" in response.get_data(
        as_text=True
    )


def test_members_cannot_moderate_proposals(nothing_written, client_for, world):
    skill = proposed_skill(world.member_alpha)
    with nothing_written():
        for member in (world.member_alpha, world.member_beta, world.hr):
            client = client_for(member)
            assert client.get("/skills/proposals").status_code == 403
            assert (
                client.post(f"/skills/{skill.id}/moderate", data={"action": "approve"}).status_code
                == 403
            )
    db.session.refresh(skill)
    assert skill.status == SkillStatus.PROPOSED


def test_correspondent_approves_a_proposal_under_a_better_name(client_for, world):
    skill = proposed_skill(world.member_alpha, "soudure orbitale")
    client = client_for(world.correspondent_beta)
    page = client.get("/skills/proposals").get_data(as_text=True)
    assert "soudure orbitale" in page and world.member_alpha.display_name in page
    prefix = f"p{skill.id}-"
    response = client.post(
        f"/skills/{skill.id}/moderate",
        data={"action": "approve", prefix + "label": "Soudure orbitale TIG"},
    )
    assert response.status_code == 302
    db.session.refresh(skill)
    assert skill.status == SkillStatus.APPROVED and skill.label == "Soudure orbitale TIG"
    assert "Soudure orbitale TIG" in client_for(world.member_beta).get("/skills").get_data(
        as_text=True
    )


def test_admin_rejects_a_proposal(client_for, world):
    skill = proposed_skill(world.member_alpha)
    client_for(world.admin).post(f"/skills/{skill.id}/moderate", data={"action": "reject"})
    db.session.refresh(skill)
    assert skill.status == SkillStatus.REJECTED


def test_merge_repoints_needs_offers_and_member_skills_without_duplicates(client_for, world):
    target = make_skill("Lire des plans")
    source = proposed_skill(world.member_alpha, "Lecture de plans")
    both = make_need(world.member_alpha, skills=[source, target], visibility=NeedVisibility.CLUSTER)
    only_source = make_need(world.member_alpha, skills=[source], title="Plans d'atelier")
    offer = make_offer(world.member_beta, skills=[source])
    db.session.add_all(
        [
            MemberSkill(
                member_id=world.member_alpha.id,
                skill_id=source.id,
                relation=SkillRelation.PRACTISES,
            ),
            MemberSkill(
                member_id=world.member_alpha.id,
                skill_id=target.id,
                relation=SkillRelation.PRACTISES,
            ),
            MemberSkill(
                member_id=world.member_beta.id, skill_id=source.id, relation=SkillRelation.CAN_TEACH
            ),
        ]
    )
    db.session.flush()
    prefix = f"p{source.id}-"
    response = client_for(world.correspondent_alpha).post(
        f"/skills/{source.id}/moderate",
        data={"action": "merge", prefix + "target_id": str(target.id)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Skill, source.id).status == SkillStatus.MERGED
    assert db.session.get(Skill, source.id).merged_into_id == target.id
    rows = db.session.execute(sa.select(need_skills)).all()
    assert sorted((r.need_id, r.skill_id) for r in rows) == sorted(
        [(both.id, target.id), (only_source.id, target.id)]
    )
    assert db.session.execute(
        sa.select(offer_skills.c.skill_id).where(offer_skills.c.offer_id == offer.id)
    ).scalars().all() == [target.id]
    declared = db.session.execute(
        sa.select(MemberSkill.member_id, MemberSkill.skill_id, MemberSkill.relation)
    ).all()
    assert sorted(declared) == sorted(
        [
            (world.member_alpha.id, target.id, SkillRelation.PRACTISES),
            (world.member_beta.id, target.id, SkillRelation.CAN_TEACH),
        ]
    )
    assert "lire des plans" in db.session.get(type(only_source), only_source.id).search_text
    redirect = client_for(world.member_alpha).get(f"/skills/{source.id}")
    assert redirect.status_code == 302 and f"/skills/{target.id}" in redirect.headers["Location"]


def test_merge_needs_an_approved_target(client_for, world):
    source = proposed_skill(world.member_alpha)
    client = client_for(world.correspondent_alpha)
    client.post(
        f"/skills/{source.id}/moderate",
        data={"action": "merge", f"p{source.id}-target_id": str(source.id)},
    )
    db.session.refresh(source)
    assert source.status == SkillStatus.PROPOSED


def test_skill_pages_require_login(client, world):
    skill = make_skill("Lire des plans")
    for path in ("/skills", f"/skills/{skill.id}", "/skills/propose", "/skills/proposals"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
