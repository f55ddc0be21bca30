"""Exchange services: the one entry point views, the CLI and other domains call.

Behaviour lives in topic modules (skills, needs, offers, search, ESCO import); this
module re-exports them and adds the cross-cutting reads (home page, member export).
Every function takes the session and the acting member explicitly and flushes, never
commits.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.exchange.esco_import import (
    ImportSummary,
    import_esco_skills,
    import_shipped_french_subset,
    parse_broader,
    parse_concepts,
    prepare_esco_import,
    read_csv,
)
from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    NeedStatus,
    NeedSupporter,
    Offer,
    OfferStatus,
    Skill,
)
from coop_formation.exchange.moderation import moderate, pending_proposals
from coop_formation.exchange.needs import (
    NeedData,
    NeedDetail,
    create_need,
    get_need,
    join_need,
    leave_need,
    mark_needs_matched,
    need_detail,
    set_need_status,
    update_need,
)
from coop_formation.exchange.offers import (
    OfferData,
    create_offer,
    get_offer,
    set_offer_status,
    update_offer,
    venues_of,
)
from coop_formation.exchange.search import (
    NeedFilters,
    OfferFilters,
    Page,
    list_needs,
    list_offers,
    need_card,
    needs_visible_to,
    normalise,
)
from coop_formation.exchange.skills import (
    approved_skills,
    domain_choices,
    get_skill,
    propose_skill,
    skill_choices,
    skill_counts,
    skill_lineage,
    skills_children,
    skills_tree,
)
from coop_formation.extensions import db
from coop_formation.people.models import Company, Member

HOME_LIST_SIZE = 5


def _session(session: Session | None) -> Session:
    return session if session is not None else db.session


def company_choices(session: Session, actor: Member) -> list[tuple[int, str]]:
    """Companies of the actor's cluster (filters show only what the actor may read anyway)."""
    rows = session.execute(
        sa.select(Company.id, Company.name)
        .where(Company.cluster_id == actor.cluster_id)
        .order_by(Company.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def home_overview(actor: Member, session: Session | None = None) -> dict[str, Any]:
    """The signed-in home page: my open needs and offers, recent needs and offers I may see."""
    session = _session(session)
    my_needs = list(
        session.scalars(
            sa.select(Need)
            .where(Need.author_id == actor.id, Need.status != NeedStatus.CLOSED)
            .options(joinedload(Need.author), selectinload(Need.skills))
            .order_by(Need.created_at.desc(), Need.id.desc())
        )
    )
    my_offers = list(
        session.scalars(
            sa.select(Offer)
            .where(Offer.trainer_id == actor.id, Offer.status == OfferStatus.ACTIVE)
            .options(selectinload(Offer.skills))
            .order_by(Offer.created_at.desc(), Offer.id.desc())
        )
    )
    recent_needs = list(
        session.scalars(
            sa.select(Need)
            .where(
                needs_visible_to(actor), Need.author_id != actor.id, Need.status == NeedStatus.OPEN
            )
            .options(joinedload(Need.author), joinedload(Need.company), selectinload(Need.skills))
            .order_by(Need.created_at.desc(), Need.id.desc())
            .limit(HOME_LIST_SIZE)
        )
    )
    recent_offers = list(
        session.scalars(
            sa.select(Offer)
            .where(
                Offer.cluster_id == actor.cluster_id,
                Offer.trainer_id != actor.id,
                Offer.status == OfferStatus.ACTIVE,
            )
            .options(
                joinedload(Offer.trainer), joinedload(Offer.company), selectinload(Offer.skills)
            )
            .order_by(Offer.created_at.desc(), Offer.id.desc())
            .limit(HOME_LIST_SIZE)
        )
    )
    open_needs = session.scalar(
        sa.select(sa.func.count())
        .select_from(Need)
        .where(needs_visible_to(actor), Need.status == NeedStatus.OPEN)
    )
    active_offers = session.scalar(
        sa.select(sa.func.count())
        .select_from(Offer)
        .where(Offer.cluster_id == actor.cluster_id, Offer.status == OfferStatus.ACTIVE)
    )
    supports = session.scalar(
        sa.select(sa.func.count())
        .select_from(NeedSupporter)
        .where(NeedSupporter.member_id == actor.id)
    )
    return {
        "my_needs": [need_card(need, actor) for need in my_needs],
        "my_offers": my_offers,
        "recent_needs": [need_card(need, actor) for need in recent_needs],
        "recent_offers": recent_offers,
        "counts": {
            "open_needs": int(open_needs or 0),
            "active_offers": int(active_offers or 0),
            "my_supports": int(supports or 0),
            "my_needs": len(my_needs),
            "my_offers": len(my_offers),
        },
        "can_declare_need": authz.can(actor, Permission.NEED_CREATE),
    }


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _skill_ref(skill: Skill) -> dict[str, Any]:
    return {"id": skill.id, "label": skill.label, "uri": skill.uri}


def export_for_member(session: Session, member: Member) -> dict[str, Any]:
    """Everything the exchange holds on this member (anonymous needs included), as JSON data."""
    needs = session.scalars(
        sa.select(Need)
        .where(Need.author_id == member.id)
        .options(selectinload(Need.skills))
        .order_by(Need.id)
    )
    supports = session.execute(
        sa.select(NeedSupporter, Need.title)
        .join(Need, Need.id == NeedSupporter.need_id)
        .where(NeedSupporter.member_id == member.id)
        .order_by(NeedSupporter.id)
    ).all()
    offers = session.scalars(
        sa.select(Offer)
        .where(Offer.trainer_id == member.id)
        .options(selectinload(Offer.skills))
        .order_by(Offer.id)
    )
    member_skills = session.scalars(
        sa.select(MemberSkill)
        .where(MemberSkill.member_id == member.id)
        .options(selectinload(MemberSkill.skill))
        .order_by(MemberSkill.id)
    )
    proposals = session.scalars(
        sa.select(Skill).where(Skill.proposed_by_id == member.id).order_by(Skill.id)
    )
    return {
        "needs": [
            {
                "id": need.id,
                "title": need.title,
                "description": need.description,
                "urgency": need.urgency.value,
                "wanted_from": _when(need.wanted_from),
                "wanted_until": _when(need.wanted_until),
                "format": need.format.value,
                "visibility": need.visibility.value,
                "anonymous": need.anonymous,
                "status": need.status.value,
                "supporters_count": need.supporters_count,
                "skills": [_skill_ref(skill) for skill in need.skills],
                "created_at": _when(need.created_at),
                "updated_at": _when(need.updated_at),
            }
            for need in needs
        ],
        "supported_needs": [
            {
                "need_id": support.need_id,
                "need_title": title,
                "anonymous": support.anonymous,
                "joined_at": _when(support.created_at),
            }
            for support, title in supports
        ],
        "offers": [
            {
                "id": offer.id,
                "title": offer.title,
                "description": offer.description,
                "format": offer.format.value,
                "duration_minutes": offer.duration_minutes,
                "capacity": offer.capacity,
                "remote": offer.remote,
                "venue_id": offer.venue_id,
                "place_details": offer.place_details,
                "availability": offer.availability,
                "status": offer.status.value,
                "skills": [_skill_ref(skill) for skill in offer.skills],
                "created_at": _when(offer.created_at),
            }
            for offer in offers
        ],
        "member_skills": [
            {
                "skill": _skill_ref(row.skill),
                "relation": row.relation.value,
                "since": _when(row.created_at),
            }
            for row in member_skills
        ],
        "skill_proposals": [
            {
                "id": skill.id,
                "label": skill.label,
                "status": skill.status.value,
                "proposed_at": _when(skill.created_at),
            }
            for skill in proposals
        ],
    }


__all__ = [
    "ImportSummary",
    "NeedData",
    "NeedDetail",
    "NeedFilters",
    "OfferData",
    "OfferFilters",
    "Page",
    "approved_skills",
    "company_choices",
    "create_need",
    "create_offer",
    "domain_choices",
    "export_for_member",
    "get_need",
    "get_offer",
    "get_skill",
    "home_overview",
    "import_esco_skills",
    "import_shipped_french_subset",
    "join_need",
    "leave_need",
    "list_needs",
    "list_offers",
    "mark_needs_matched",
    "moderate",
    "need_detail",
    "normalise",
    "parse_broader",
    "parse_concepts",
    "pending_proposals",
    "prepare_esco_import",
    "propose_skill",
    "read_csv",
    "set_need_status",
    "set_offer_status",
    "skill_choices",
    "skill_counts",
    "skill_lineage",
    "skills_children",
    "skills_tree",
    "update_need",
    "update_offer",
    "venues_of",
]
