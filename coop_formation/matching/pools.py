"""Pools ("besoins mutualisés"): similar open needs of several companies served by one session.

Candidates are computed from the needs the correspondent may read (their company's and the
cluster-visible ones), in a fixed number of queries. Authors of pooled needs are told;
anonymous authors too, and nobody ever sees who they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import Conflict, InvalidInput, NotFound
from coop_formation.exchange import services as exchange
from coop_formation.exchange.models import Need, NeedStatus, NeedVisibility, Skill, need_skills
from coop_formation.matching.models import Pool, PoolStatus, pool_needs
from coop_formation.matching.text import common_words, likeness, significant_words
from coop_formation.notifications.services import notify
from coop_formation.people.models import Member
from coop_formation.training import services as training
from coop_formation.training.models import TrainingSession

MAX_CANDIDATE_NEEDS = 500
MAX_GROUPS = 20
TEXT_THRESHOLD = 0.5


@dataclass
class PoolItem:
    """A need as a pool page may show it: author name already decided (None = hidden)."""

    need: Need | None
    company_name: str
    author_name: str | None
    readable: bool


@dataclass
class CandidateGroup:
    title: str
    reason: str
    items: list[PoolItem] = field(default_factory=list)

    @property
    def need_ids(self) -> list[int]:
        return [item.need.id for item in self.items if item.need is not None]

    @property
    def companies(self) -> int:
        return len({item.company_name for item in self.items})


@dataclass
class PoolPage:
    pool: Pool
    items: list[PoolItem]
    hidden: int
    can_schedule: bool


def _item(need: Need, viewer: Member) -> PoolItem:
    if not authz.can(viewer, Permission.NEED_READ, need):
        return PoolItem(None, "", None, False)
    name = None if need.anonymous else need.author.display_name
    return PoolItem(need, need.company.name, name, True)


def poolable_needs(actor: Member) -> sa.ColumnElement[bool]:
    """SQL: open needs the correspondent may pool (own company or cluster-visible), unpooled."""
    own = Need.company_id == actor.company_id if actor.company_id else sa.false()
    return sa.and_(
        Need.cluster_id == actor.cluster_id,
        Need.status == NeedStatus.OPEN,
        sa.or_(Need.visibility == NeedVisibility.CLUSTER, own),
        ~sa.exists().where(pool_needs.c.need_id == Need.id),
    )


@dataclass
class _Group:
    """A candidate group before its needs are loaded: only ids, title and reason."""

    title: str
    reason: str
    need_ids: list[int]
    companies: int


def pool_candidates(session: Session, actor: Member) -> list[CandidateGroup]:
    """Groups of ≥2 similar poolable needs from ≥2 companies: by shared skill, then by text.

    Grouping runs on light rows (id, company, title) of the newest poolable needs; only the
    needs of the groups kept are then loaded as objects, so the cost stays bounded.
    """
    authz.require(actor, Permission.POOL_CREATE)
    rows = session.execute(
        sa.select(Need.id, Need.company_id, Need.title)
        .where(poolable_needs(actor))
        .order_by(Need.created_at.desc(), Need.id.desc())
        .limit(MAX_CANDIDATE_NEEDS)
    ).all()
    if not rows:
        return []
    company_of = {row.id: row.company_id for row in rows}
    title_of = {row.id: row.title for row in rows}
    skill_rows = session.execute(
        sa.select(need_skills.c.need_id, Skill.id, Skill.label)
        .join(Skill, Skill.id == need_skills.c.skill_id)
        .where(need_skills.c.need_id.in_(company_of))
    ).all()
    by_skill: dict[int, list[int]] = defaultdict(list)
    labels: dict[int, str] = {}
    for need_id, skill_id, label in skill_rows:
        by_skill[skill_id].append(need_id)
        labels[skill_id] = label
    used: set[int] = set()
    groups: list[_Group] = []

    def companies(ids: list[int]) -> int:
        return len({company_of[i] for i in ids})

    for skill_id in sorted(by_skill, key=lambda s: (-companies(by_skill[s]), -len(by_skill[s]), s)):
        ids = [i for i in by_skill[skill_id] if i not in used]
        if len(ids) < 2 or companies(ids) < 2:
            continue
        used.update(ids)
        reason = _("Compétence commune : %(s)s", s=labels[skill_id])
        groups.append(_Group(labels[skill_id], reason, sorted(ids), companies(ids)))
    words = {i: significant_words(title_of[i]) for i in company_of if i not in used}
    for need_id, mine in words.items():
        if need_id in used or not mine:
            continue
        close = [
            other
            for other, theirs in words.items()
            if other != need_id and other not in used and likeness(mine, theirs) >= TEXT_THRESHOLD
        ]
        ids = [need_id, *close]
        if len(ids) < 2 or companies(ids) < 2:
            continue
        used.update(ids)
        shared = common_words(mine, words[close[0]])
        reason = _("Intitulés proches : %(w)s", w=", ".join(shared[:5]))
        groups.append(_Group(title_of[need_id], reason, sorted(ids), companies(ids)))
    groups.sort(key=lambda g: (-g.companies, -len(g.need_ids)))
    kept = groups[:MAX_GROUPS]
    wanted = [i for group in kept for i in group.need_ids]
    loaded = {
        need.id: need
        for need in session.scalars(
            sa.select(Need)
            .where(Need.id.in_(wanted))
            .options(joinedload(Need.company), joinedload(Need.author))
        )
    }
    return [
        CandidateGroup(
            g.title, g.reason, [_item(loaded[i], actor) for i in g.need_ids if i in loaded]
        )
        for g in kept
    ]


def create_pool(session: Session, actor: Member, title: str, need_ids: list[int]) -> Pool:
    """Gather ≥2 poolable needs into a pool and tell each author (anonymous ones too)."""
    authz.require(actor, Permission.POOL_CREATE)
    title = " ".join((title or "").split())
    if not title or len(title) > 200:
        raise InvalidInput(_("Donnez un titre (200 caractères au plus)."), field="title")
    wanted = set(need_ids)
    if len(wanted) < 2:
        raise InvalidInput(_("Choisissez au moins deux besoins."), field="need_ids")
    found = list(
        session.scalars(
            sa.select(Need)
            .where(Need.id.in_(wanted), poolable_needs(actor))
            .options(selectinload(Need.author))
            .with_for_update(of=Need)
        )
    )
    if len(found) != len(wanted):
        # Unknown, hidden, closed or already pooled: never say which (existence is private).
        raise InvalidInput(
            _("Certains besoins ne peuvent pas être mutualisés (déjà mutualisés ou plus ouverts)."),
            field="need_ids",
        )
    pool = Pool(cluster_id=actor.cluster_id, created_by_id=actor.id, title=title, needs=found)
    session.add(pool)
    session.flush()
    for need in found:
        notify(
            session,
            recipient=need.author,
            kind="need_pooled",
            subject=_("Votre besoin « %(t)s » est mutualisé", t=need.title),
            body=_(
                "Un correspondant formation a rapproché votre besoin de besoins semblables "
                "d'autres entreprises de la grappe, pour organiser une session commune. "
                "Votre anonymat est conservé."
            ),
            link=f"/mutualisation/{pool.id}",
        )
    return pool


def get_pool(
    session: Session, actor: Member, pool_id: int, permission: Permission = Permission.POOL_READ
) -> Pool:
    """The pool if the actor holds ``permission`` on it (404 when they may not know it)."""
    pool = session.get(Pool, pool_id)
    if pool is None:
        raise NotFound()
    authz.require(actor, permission, pool)
    return pool


def pool_page(session: Session, actor: Member, pool_id: int) -> PoolPage:
    pool = get_pool(session, actor, pool_id)
    needs = list(
        session.scalars(
            sa.select(Need)
            .join(pool_needs, pool_needs.c.need_id == Need.id)
            .where(pool_needs.c.pool_id == pool.id)
            .options(joinedload(Need.company), joinedload(Need.author), selectinload(Need.skills))
            .order_by(Need.id)
        ).unique()
    )
    items = [_item(need, actor) for need in needs]
    visible = [item for item in items if item.readable]
    return PoolPage(
        pool,
        visible,
        len(items) - len(visible),
        pool.status == PoolStatus.OPEN and authz.can(actor, Permission.POOL_SCHEDULE, pool),
    )


def list_pools(session: Session, actor: Member) -> list[Pool]:
    authz.require(actor, Permission.POOL_CREATE)
    return list(
        session.scalars(
            sa.select(Pool)
            .where(authz.scope(actor, Permission.POOL_READ))
            .order_by(Pool.created_at.desc(), Pool.id.desc())
            .limit(100)
        )
    )


def pool_for_session(session: Session, actor: Member, pool_id: int) -> Pool:
    """The open pool a correspondent turns into a session (404/403/409 otherwise)."""
    pool = get_pool(session, actor, pool_id, Permission.POOL_SCHEDULE)
    if pool.status != PoolStatus.OPEN:
        raise Conflict(_("Cette mutualisation a déjà donné lieu à une session."))
    return pool


def mark_pool_scheduled(session: Session, actor: Member, pool: Pool) -> None:
    """After the session is created: the pool is done and its open needs are matched."""
    authz.require(actor, Permission.POOL_SCHEDULE, pool)
    pool.status = PoolStatus.SCHEDULED
    need_ids = session.scalars(
        sa.select(pool_needs.c.need_id).where(pool_needs.c.pool_id == pool.id)
    )
    exchange.mark_needs_matched(session, list(need_ids))
    session.flush()


def plan_pool_session(
    session: Session, actor: Member, pool: Pool, data: training.SessionInput
) -> TrainingSession:
    """Plan the one session serving ``pool`` (loaded by :func:`pool_for_session`); the pool
    is then scheduled and its open needs matched, in the same transaction."""
    created = training.create_session(session, actor=actor, data=data, pool_id=pool.id)
    mark_pool_scheduled(session, actor, pool)
    return created
