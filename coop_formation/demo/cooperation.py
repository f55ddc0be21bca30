"""The demo's cooperation between companies: matching, pools, relay, relations, communities.

Everything goes through the rooms' own services (consent to be suggested, pools, relay
messages, introductions, assisted use, mobility wishes, communities), so the notifications
and logs are those real use would produce. Deterministic: fixed seed, fixed texts.
"""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.communities import resources as community_resources
from coop_formation.communities import services as communities
from coop_formation.db import utcnow
from coop_formation.demo.cluster import DemoCluster
from coop_formation.demo.cooperation_content import (
    ASSISTED_NEED,
    AVAILABILITIES,
    COMMUNITIES,
    EXTRA_TEACHERS,
    MOBILITY_WISH,
    POOLABLE_NEEDS,
    RELAY_ANSWER,
    RELAY_QUESTION,
    SEEDED_POOL,
)
from coop_formation.exchange.models import (
    Format,
    MemberSkill,
    Need,
    NeedSupporter,
    NeedVisibility,
    Offer,
    SkillRelation,
    Urgency,
)
from coop_formation.exchange.needs import NeedData, create_need
from coop_formation.matching import services as matching
from coop_formation.people import mobility
from coop_formation.people.models import Member
from coop_formation.relations import assisted, introductions, relay

OPT_IN_SHARE = 0.7


def _active(demo: DemoCluster, slug: str) -> list[Member]:
    return [
        m
        for m in demo.members_by_company[slug]
        if m.password_hash is not None and m.email not in demo.accounts
    ]


def _need(session: Session, demo: DemoCluster, title_prefix: str) -> Need:
    return session.scalars(
        sa.select(Need)
        .where(Need.cluster_id == demo.cluster.id, Need.title.startswith(title_prefix))
        .order_by(Need.id)
    ).one()


def seed_teachers(session: Session, rng: random.Random, demo: DemoCluster) -> int:
    """People of other companies who can teach what Alpha asks for, and who opt in.

    Then most members who declared a CAN_TEACH skill, and every offer's trainer, accept
    to be suggested and to receive calls (each recorded as their own choice).
    """
    assert demo.skills is not None
    rows: list[dict[str, object]] = []
    chosen: dict[int, Member] = {}
    for slug, hint in EXTRA_TEACHERS:
        member = rng.choice(_active(demo, slug))
        for skill_id in demo.skills.resolve((hint,)):
            rows.append(
                {
                    "member_id": member.id,
                    "skill_id": skill_id,
                    "relation": SkillRelation.CAN_TEACH,
                    "created_at": utcnow() - timedelta(days=40),
                }
            )
            chosen[member.id] = member
    known = set(
        session.execute(
            sa.select(MemberSkill.member_id, MemberSkill.skill_id).where(
                MemberSkill.relation == SkillRelation.CAN_TEACH
            )
        ).tuples()
    )
    rows = [r for r in rows if (r["member_id"], r["skill_id"]) not in known]
    if rows:
        session.execute(sa.insert(MemberSkill), rows)
    teachers = set(
        session.scalars(
            sa.select(MemberSkill.member_id).where(MemberSkill.relation == SkillRelation.CAN_TEACH)
        )
    )
    trainers = set(
        session.scalars(sa.select(Offer.trainer_id).where(Offer.cluster_id == demo.cluster.id))
    )
    opted = 0
    for member in sorted(demo.members, key=lambda m: m.id):
        if member.password_hash is None or member.company_id is None:
            continue
        wanted = member.id in chosen or member.id in trainers
        if member.id in teachers and rng.random() < OPT_IN_SHARE:
            wanted = True
        if not wanted:
            continue
        matching.set_preference(
            session,
            member,
            suggest_me=True,
            accept_calls=rng.random() < 0.8 or member.id in chosen,
            availability=rng.choice(AVAILABILITIES),
        )
        opted += 1
    return opted


def seed_poolable_needs(session: Session, rng: random.Random, demo: DemoCluster) -> list[Need]:
    """Alpha and Beta ask for the same thing in their own words: a pool waiting to be made."""
    assert demo.skills is not None
    made: list[Need] = []
    for item in POOLABLE_NEEDS:
        author = rng.choice(_active(demo, item["company"]))
        need = create_need(
            session,
            author,
            NeedData(
                title=item["title"],
                description=item["description"],
                skill_ids=demo.skills.resolve(item["skills"]),
                urgency=Urgency(item["urgency"]),
                format=Format.TRAINING,
                visibility=NeedVisibility(item["visibility"]),
            ),
        )
        created = utcnow() - timedelta(days=item["days_ago"])
        need.created_at = need.updated_at = created
        colleagues = [m for m in _active(demo, item["company"]) if m.id != author.id]
        for member in rng.sample(colleagues, item["supporters"]):
            session.add(NeedSupporter(need_id=need.id, member_id=member.id, created_at=created))
        need.supporters_count = item["supporters"]
        made.append(need)
    session.flush()
    return made


def seed_existing_pool(session: Session, demo: DemoCluster) -> None:
    """One pool Beta's correspondent already made, not yet turned into a session."""
    needs = [_need(session, demo, prefix).id for prefix in SEEDED_POOL["needs"]]
    matching.create_pool(
        session, demo.accounts["correspondant@beta.demo"], SEEDED_POOL["title"], needs
    )


def seed_relay(session: Session, demo: DemoCluster) -> None:
    """A Beta member writes about Alpha's anonymous need; the author answers, still hidden."""
    need = session.scalars(
        sa.select(Need).where(
            Need.company_id == demo.companies["alpha"].id, Need.anonymous.is_(True)
        )
    ).one()
    thread = relay.write_about_need(
        session, demo.accounts["membre@beta.demo"], need.id, RELAY_QUESTION
    )
    relay.reply(session, need.author, thread.id, RELAY_ANSWER)


def seed_relations(session: Session, demo: DemoCluster) -> None:
    """A pending introduction, a mobility wish shared with one correspondent, assisted use."""
    alpha_need = _need(session, demo, "Prendre en main le nouveau tour CN")
    offer = session.scalars(
        sa.select(Offer).where(Offer.title.startswith("Initiation à la commande numérique bois"))
    ).one()
    introductions.introduce(
        session,
        demo.accounts["correspondant@alpha.demo"],
        alpha_need.id,
        offer.id,
        "Le centre d'usinage bois de Vendôme utilise la même commande numérique que notre "
        "nouveau tour : une demi-journée ensemble vous ferait gagner des semaines.",
    )
    member = demo.accounts["membre@alpha.demo"]
    mobility.create_wish(
        session,
        member,
        title=MOBILITY_WISH["title"],
        text=MOBILITY_WISH["text"],
        horizon=MOBILITY_WISH["horizon"],
        reader_ids=[demo.accounts["correspondant@alpha.demo"].id],
    )
    correspondent = demo.accounts["correspondant@beta.demo"]
    helped = next(m for m in _active(demo, "beta") if not m.is_correspondent)
    assisted.give_consent(session, helped, correspondent.id)
    assert demo.skills is not None
    assisted.create_need_for(
        session,
        correspondent,
        helped.id,
        NeedData(
            title=ASSISTED_NEED["title"],
            description=ASSISTED_NEED["description"],
            skill_ids=demo.skills.resolve(ASSISTED_NEED["skills"]),
            urgency=Urgency.SOON,
            visibility=NeedVisibility.COMPANY,
        ),
    )


def seed_communities(session: Session, rng: random.Random, demo: DemoCluster) -> int:
    """Communities of practice with members, posts, replies and shared links."""
    assert demo.skills is not None
    everyone = [m for slug in demo.members_by_company for m in _active(demo, slug)]
    made = 0
    for item in COMMUNITIES:
        creator = demo.accounts.get(item["creator"]) or rng.choice(_active(demo, item["creator"]))
        community = communities.create_community(
            session,
            creator,
            communities.CommunityData(
                name=item["name"],
                description=item["description"],
                skill_ids=demo.skills.resolve(item["skills"]),
            ),
        )
        joined = [demo.accounts[e] for e in item["accounts"]]
        joined += rng.sample([m for m in everyone if m.id != creator.id], item["members"])
        for member in joined:
            communities.join_community(session, member, community.id)
        voices = [creator, *joined]
        for position, (body, replies) in enumerate(item["posts"]):
            post = communities.add_post(session, voices[position % len(voices)], community.id, body)
            for offset, answer in enumerate(replies, start=1):
                who = voices[(position + offset * 3) % len(voices)]
                communities.add_post(session, who, community.id, answer, parent_id=post.id)
        for title, url, description in item["links"]:
            community_resources.add_link(
                session,
                rng.choice(voices),
                community.id,
                community_resources.ResourceData(title=title, description=description),
                url,
            )
        made += 1
    return made


def seed_cooperation(session: Session, demo: DemoCluster) -> None:
    """Matching consent, poolable needs, a pool, relay, relations and communities."""
    rng = random.Random(6)
    seed_teachers(session, rng, demo)
    seed_poolable_needs(session, rng, demo)
    seed_existing_pool(session, demo)
    seed_relay(session, demo)
    seed_relations(session, demo)
    seed_communities(session, rng, demo)
    session.flush()
