"""Community services: create, join and leave, members, posts with replies, linked sessions.

Every function takes the SQLAlchemy session and the acting member, checks permissions
through :mod:`coop_formation.authz` (rules in :mod:`coop_formation.communities.rules`),
raises domain errors and flushes; the caller commits once. Resources live in
:mod:`coop_formation.communities.resources`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.communities.models import (
    Community,
    CommunityMembership,
    CommunityPost,
    CommunityRole,
    CommunitySession,
    Standing,
    community_skills,
)
from coop_formation.db import utcnow
from coop_formation.errors import Conflict, Forbidden, InvalidInput, NotFound
from coop_formation.exchange.models import Skill, SkillStatus
from coop_formation.exchange.search import item_search_text, search_words
from coop_formation.paging import Page, page_of
from coop_formation.people.models import Member
from coop_formation.training.models import SessionStatus, TrainingSession

NAME_MAX = 120
DESCRIPTION_MAX = 5000
POST_MAX = 5000
POSTS_PER_PAGE = 20


@dataclass
class CommunityData:
    name: str
    description: str = ""
    skill_ids: list[int] = field(default_factory=list)


@dataclass
class CommunityView:
    """What the community page shows, loaded in a fixed number of queries."""

    community: Community
    membership: CommunityMembership | None
    posts: Page[CommunityPost]
    replies: dict[int, list[CommunityPost]]
    sessions: list[TrainingSession]
    links: dict[int, CommunitySession]
    can_post: bool
    can_moderate: bool

    @property
    def standing(self) -> Standing:
        """The reader's standing, the target templates ask ``can()`` about."""
        return Standing(self.community, self.membership)


# communities -------------------------------------------------------------------------------


def membership_of(session: Session, actor: Member, community_id: int) -> CommunityMembership | None:
    return session.execute(
        sa.select(CommunityMembership).where(
            CommunityMembership.community_id == community_id,
            CommunityMembership.member_id == actor.id,
        )
    ).scalar_one_or_none()


def get_community(
    session: Session,
    actor: Member,
    community_id: int,
    permission: Permission = Permission.COMMUNITY_READ,
) -> tuple[Community, CommunityMembership | None]:
    """Load a community and the actor's membership, or raise NotFound / Forbidden."""
    community = session.get(Community, community_id)
    if community is None or not authz.can(actor, Permission.COMMUNITY_READ, community):
        raise NotFound()
    membership = membership_of(session, actor, community.id)
    authz.require(actor, permission, Standing(community, membership))
    return community, membership


def _skills(session: Session, skill_ids: list[int]) -> list[Skill]:
    if not skill_ids:
        return []
    skills = list(
        session.execute(
            sa.select(Skill).where(Skill.id.in_(skill_ids), Skill.status == SkillStatus.APPROVED)
        ).scalars()
    )
    if len(skills) != len(set(skill_ids)):
        raise InvalidInput(_("Une des compétences choisies n'existe pas."), field="skill_ids")
    return skills


def _check(data: CommunityData) -> tuple[str, str]:
    name = " ".join(data.name.split())
    if not name:
        raise InvalidInput(_("Indiquez un nom."), field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_("Le nom est trop long (120 caractères au plus)."), field="name")
    description = data.description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(_("La description est trop longue."), field="description")
    return name, description


def create_community(session: Session, actor: Member, data: CommunityData) -> Community:
    """Create a community in the actor's cluster; its creator joins it as moderator."""
    if actor.is_closed:
        raise Forbidden()
    name, description = _check(data)
    taken = session.execute(
        sa.select(Community.id).where(
            Community.cluster_id == actor.cluster_id, sa.func.lower(Community.name) == name.lower()
        )
    ).first()
    if taken:
        raise InvalidInput(_("Une communauté porte déjà ce nom."), field="name")
    community = Community(
        cluster_id=actor.cluster_id,
        creator_id=actor.id,
        name=name,
        description=description,
        skills=_skills(session, data.skill_ids),
        members_count=1,
    )
    community.search_text = item_search_text(name, description, community.skills)
    session.add(community)
    session.flush()
    session.add(
        CommunityMembership(
            community_id=community.id, member_id=actor.id, role=CommunityRole.MODERATOR
        )
    )
    session.flush()
    return community


def update_community(
    session: Session, actor: Member, community_id: int, data: CommunityData
) -> Community:
    """Moderators edit the name, description and skills."""
    community, _membership = get_community(
        session, actor, community_id, Permission.COMMUNITY_MODERATE
    )
    name, description = _check(data)
    community.name = name
    community.description = description
    community.skills = _skills(session, data.skill_ids)
    community.search_text = item_search_text(name, description, community.skills)
    session.flush()
    return community


def list_communities(
    session: Session, actor: Member, q: str = "", skill_id: int | None = None
) -> tuple[list[Community], set[int]]:
    """The cluster's communities (name order) and the ids of those the actor belongs to."""
    stmt = (
        sa.select(Community)
        .where(authz.scope(actor, Permission.COMMUNITY_READ))
        .options(selectinload(Community.skills))
        .order_by(Community.name)
        .limit(500)
    )
    for word in search_words(q):
        stmt = stmt.where(Community.search_text.contains(word, autoescape=True))
    if skill_id:
        stmt = stmt.where(
            Community.id.in_(
                sa.select(community_skills.c.community_id).where(
                    community_skills.c.skill_id == skill_id
                )
            )
        )
    communities = list(session.execute(stmt).scalars())
    mine = set(
        session.execute(
            sa.select(CommunityMembership.community_id).where(
                CommunityMembership.member_id == actor.id
            )
        ).scalars()
    )
    return communities, mine


def join_community(session: Session, actor: Member, community_id: int) -> CommunityMembership:
    community, membership = get_community(session, actor, community_id, Permission.COMMUNITY_JOIN)
    if membership is not None:
        return membership
    membership = CommunityMembership(community_id=community.id, member_id=actor.id)
    session.add(membership)
    community.members_count = Community.members_count + 1
    session.flush()
    return membership


def leave_community(session: Session, actor: Member, community_id: int) -> None:
    community, membership = get_community(session, actor, community_id)
    if membership is None:
        return
    session.delete(membership)
    community.members_count = Community.members_count - 1
    session.flush()


def list_members(session: Session, actor: Member, community_id: int) -> list[tuple[str, bool]]:
    """Names only (and whether each is a moderator), for the community's own members."""
    community, _membership = get_community(
        session, actor, community_id, Permission.COMMUNITY_MEMBERS_READ
    )
    rows = session.execute(
        sa.select(Member.display_name, CommunityMembership.role)
        .join(CommunityMembership, CommunityMembership.member_id == Member.id)
        .where(CommunityMembership.community_id == community.id, Member.closed_at.is_(None))
        .order_by(Member.display_name)
    ).all()
    return [(row.display_name, row.role == CommunityRole.MODERATOR) for row in rows]


# posts ---------------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(_("Écrivez un message."), field="body")
    if len(text) > POST_MAX:
        raise InvalidInput(_("Le message est trop long (5 000 caractères au plus)."), field="body")
    return text


def add_post(
    session: Session, actor: Member, community_id: int, body: str, parent_id: int | None = None
) -> CommunityPost:
    """A new message or a reply (a reply to a reply joins the same thread)."""
    community, _membership = get_community(session, actor, community_id, Permission.COMMUNITY_POST)
    text = _clean_body(body)
    if parent_id is not None:
        parent = session.get(CommunityPost, parent_id)
        if parent is None or parent.community_id != community.id or parent.deleted:
            raise NotFound()
        parent_id = parent.parent_id or parent.id
    post = CommunityPost(
        community_id=community.id, parent_id=parent_id, author_id=actor.id, body=text
    )
    session.add(post)
    session.flush()
    return post


def _post_in(
    session: Session, actor: Member, community_id: int, post_id: int, permission: Permission
) -> tuple[Community, CommunityPost]:
    community, membership = get_community(session, actor, community_id)
    standing = Standing(community, membership)
    post = session.get(CommunityPost, post_id)
    if post is None or post.community_id != community.id or post.deleted:
        raise NotFound()
    if post.hidden and not (
        post.author_id == actor.id or authz.can(actor, Permission.COMMUNITY_MODERATE, standing)
    ):
        raise NotFound()
    authz.require(actor, permission, standing.of(post))
    return community, post


def get_post_for_edit(
    session: Session, actor: Member, community_id: int, post_id: int
) -> CommunityPost:
    return _post_in(session, actor, community_id, post_id, Permission.POST_EDIT)[1]


def edit_post(
    session: Session, actor: Member, community_id: int, post_id: int, body: str
) -> CommunityPost:
    _community, post = _post_in(session, actor, community_id, post_id, Permission.POST_EDIT)
    post.body = _clean_body(body)
    post.edited_at = utcnow()
    session.flush()
    return post


def delete_post(session: Session, actor: Member, community_id: int, post_id: int) -> None:
    """The author withdraws a message: its text is erased; replies of others stay."""
    _community, post = _post_in(session, actor, community_id, post_id, Permission.POST_EDIT)
    post.deleted = True
    post.body = ""
    session.flush()


def set_post_hidden(
    session: Session, actor: Member, community_id: int, post_id: int, hidden: bool
) -> CommunityPost:
    """Moderators hide (or show again) a message; its author still sees it, marked hidden."""
    _community, post = _post_in(
        session, actor, community_id, post_id, Permission.COMMUNITY_MODERATE
    )
    post.hidden = hidden
    post.hidden_by_id = actor.id if hidden else None
    session.flush()
    return post


def _visible_posts(actor: Member, moderator: bool) -> sa.ColumnElement[bool]:
    if moderator:
        return sa.true()
    return sa.or_(CommunityPost.hidden.is_(False), CommunityPost.author_id == actor.id)


def community_page(
    session: Session, actor: Member, community_id: int, page: int = 1, now: datetime | None = None
) -> CommunityView:
    """The community, its threads (newest first, paginated) with replies, upcoming sessions."""
    community, membership = get_community(session, actor, community_id)
    standing = Standing(community, membership)
    moderator = authz.can(actor, Permission.COMMUNITY_MODERATE, standing)
    where = (
        CommunityPost.community_id == community.id,
        CommunityPost.parent_id.is_(None),
        _visible_posts(actor, moderator),
    )
    total = session.execute(sa.select(sa.func.count(CommunityPost.id)).where(*where)).scalar_one()
    page = max(1, page)
    upcoming = community_sessions(session, actor, community.id, now=now)
    threads = list(
        session.execute(
            sa.select(CommunityPost)
            .where(*where)
            .options(selectinload(CommunityPost.author))
            .order_by(CommunityPost.created_at.desc(), CommunityPost.id.desc())
            .limit(POSTS_PER_PAGE)
            .offset((page - 1) * POSTS_PER_PAGE)
        ).scalars()
    )
    replies: dict[int, list[CommunityPost]] = {post.id: [] for post in threads}
    if threads:
        for reply in session.execute(
            sa.select(CommunityPost)
            .where(
                CommunityPost.parent_id.in_(list(replies)),
                _visible_posts(actor, moderator),
            )
            .options(selectinload(CommunityPost.author))
            .order_by(CommunityPost.created_at, CommunityPost.id)
        ).scalars():
            replies[reply.parent_id].append(reply)  # type: ignore[index]
    links = _links(session, community.id, [training.id for training in upcoming])
    return CommunityView(
        community=community,
        membership=membership,
        posts=page_of(threads, page, POSTS_PER_PAGE, int(total)),
        replies=replies,
        sessions=upcoming,
        links=links,
        can_post=authz.can(actor, Permission.COMMUNITY_POST, standing),
        can_moderate=moderator,
    )


# sessions ------------------------------------------------------------------------------------


def _links(
    session: Session, community_id: int, session_ids: list[int]
) -> dict[int, CommunitySession]:
    """The community's links to these sessions, by session id (what unlinking targets)."""
    if not session_ids:
        return {}
    rows = session.execute(
        sa.select(CommunitySession).where(
            CommunitySession.community_id == community_id,
            CommunitySession.session_id.in_(session_ids),
        )
    ).scalars()
    return {link.session_id: link for link in rows}


def community_sessions(
    session: Session, actor: Member, community_id: int, now: datetime | None = None
) -> list[TrainingSession]:
    """Upcoming (not yet ended) sessions linked to a community, soonest first."""
    now = now or utcnow()
    return list(
        session.execute(
            sa.select(TrainingSession)
            .join(CommunitySession, CommunitySession.session_id == TrainingSession.id)
            .where(
                CommunitySession.community_id == community_id,
                TrainingSession.cluster_id == actor.cluster_id,
                TrainingSession.ends_at >= now,
            )
            .options(selectinload(TrainingSession.venue), selectinload(TrainingSession.trainer))
            .order_by(TrainingSession.starts_at, TrainingSession.id)
            .limit(200)
        ).scalars()
    )


def linkable_sessions(
    session: Session, actor: Member, community_id: int, now: datetime | None = None
) -> list[TrainingSession]:
    """Upcoming planned sessions the actor organises or teaches, not yet in this community."""
    now = now or utcnow()
    linked = sa.select(CommunitySession.session_id).where(
        CommunitySession.community_id == community_id
    )
    return list(
        session.execute(
            sa.select(TrainingSession)
            .where(
                TrainingSession.cluster_id == actor.cluster_id,
                sa.or_(
                    TrainingSession.organiser_id == actor.id,
                    TrainingSession.trainer_id == actor.id,
                ),
                TrainingSession.status == SessionStatus.PLANNED,
                TrainingSession.ends_at >= now,
                TrainingSession.id.not_in(linked),
            )
            .order_by(TrainingSession.starts_at)
            .limit(100)
        ).scalars()
    )


def link_session(
    session: Session, actor: Member, community_id: int, session_id: int
) -> CommunitySession:
    """The organiser or trainer of a session shows it in a community they belong to."""
    community, membership = get_community(
        session, actor, community_id, Permission.COMMUNITY_LINK_SESSION
    )
    training = session.get(TrainingSession, session_id)
    if training is None or training.cluster_id != actor.cluster_id:
        raise NotFound()
    authz.require(
        actor,
        Permission.COMMUNITY_LINK_SESSION,
        Standing(community, membership).of(training),
        message=_("Seuls l'organisateur ou le formateur d'une session peuvent la relier."),
    )
    if session.get(CommunitySession, (community.id, training.id)) is not None:
        raise Conflict(_("Cette session est déjà reliée à la communauté."))
    link = CommunitySession(
        community_id=community.id, session_id=training.id, linked_by_id=actor.id
    )
    session.add(link)
    session.flush()
    return link


def unlink_session(session: Session, actor: Member, community_id: int, session_id: int) -> None:
    """Whoever linked it, the session's organiser or trainer, or a moderator removes a link."""
    community, membership = get_community(session, actor, community_id)
    link = session.get(CommunitySession, (community.id, session_id))
    if link is None:
        raise NotFound()
    authz.require(
        actor, Permission.COMMUNITY_UNLINK_SESSION, Standing(community, membership).of(link)
    )
    session.delete(link)
    session.flush()


def cluster_agenda(
    session: Session, actor: Member, now: datetime | None = None
) -> list[tuple[TrainingSession, list[Community]]]:
    """Upcoming sessions of every community of the cluster, each with its communities."""
    now = now or utcnow()
    rows = session.execute(
        sa.select(TrainingSession, Community)
        .join(CommunitySession, CommunitySession.session_id == TrainingSession.id)
        .join(Community, Community.id == CommunitySession.community_id)
        .where(
            authz.scope(actor, Permission.COMMUNITY_READ),
            TrainingSession.cluster_id == actor.cluster_id,
            TrainingSession.ends_at >= now,
        )
        .options(selectinload(TrainingSession.venue), selectinload(TrainingSession.trainer))
        .order_by(TrainingSession.starts_at, TrainingSession.id, Community.name)
        .limit(1000)
    ).all()
    grouped: dict[int, tuple[TrainingSession, list[Community]]] = {}
    for training, community in rows:
        grouped.setdefault(training.id, (training, []))[1].append(community)
    return list(grouped.values())
