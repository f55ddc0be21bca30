"""The skills framework ("arbre des compétences"): tree, skill pages, choices, proposals.

The framework is co-built: any member proposes a missing skill here; moderation (approve,
rename, reject, merge with re-pointing) lives in moderation.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.exchange.models import (
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    Skill,
    SkillKind,
    SkillStatus,
    need_skills,
    offer_skills,
)
from coop_formation.exchange.search import (
    normalise,
    search_words,
    skill_search_text,
)
from coop_formation.people.models import Member

LABEL_MAX = 255
DESCRIPTION_MAX = 4000


@dataclass
class TreeNode:
    skill: Skill
    children: list[TreeNode] = field(default_factory=list)
    matched: bool = True


def approved_skills(session: Session, ids: list[int] | set[int] | None = None) -> list[Skill]:
    """Approved skills (not domains) by label, optionally only those among ``ids``."""
    stmt = sa.select(Skill).where(
        Skill.status == SkillStatus.APPROVED, Skill.kind == SkillKind.SKILL
    )
    if ids is not None:
        if not ids:
            return []
        stmt = stmt.where(Skill.id.in_(list(ids)))
    return list(session.scalars(stmt.order_by(Skill.label)))


def skill_choices(session: Session) -> list[tuple[str, list[tuple[int, str]]]]:
    """(domain label, [(skill id, label)]) groups for selects; one query."""
    rows = session.execute(
        sa.select(Skill.id, Skill.label, Skill.kind, Skill.parent_id).where(
            Skill.status == SkillStatus.APPROVED
        )
    ).all()
    domains = {row.id: row.label for row in rows if row.kind == SkillKind.DOMAIN}
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    other = _("Autres compétences")
    for row in rows:
        if row.kind == SkillKind.SKILL:
            groups[domains.get(row.parent_id, other)].append((row.id, row.label))
    ordered = sorted(groups.items(), key=lambda item: (item[0] == other, normalise(item[0])))
    return [(name, sorted(items, key=lambda it: normalise(it[1]))) for name, items in ordered]


def domain_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        sa.select(Skill.id, Skill.label).where(
            Skill.status == SkillStatus.APPROVED, Skill.kind == SkillKind.DOMAIN
        )
    ).all()
    return sorted(((row.id, row.label) for row in rows), key=lambda it: normalise(it[1]))


def skills_tree(session: Session, query: str = "") -> list[TreeNode]:
    """Approved domains and skills as a tree; with ``query``, only matches and their parents."""
    skills = list(session.scalars(sa.select(Skill).where(Skill.status == SkillStatus.APPROVED)))
    words = search_words(query)
    by_id = {skill.id: skill for skill in skills}
    nodes = {skill.id: TreeNode(skill, matched=not words) for skill in skills}
    roots: list[TreeNode] = []
    orphans = TreeNode(
        Skill(id=0, label=_("Autres compétences"), kind=SkillKind.DOMAIN), matched=not words
    )
    for skill in skills:
        node = nodes[skill.id]
        if words:
            text = skill.search_text or skill_search_text(skill)
            node.matched = all(word in text for word in words)
        if skill.parent_id in by_id:
            nodes[skill.parent_id].children.append(node)
        elif skill.kind == SkillKind.DOMAIN:
            roots.append(node)
        else:
            orphans.children.append(node)
    if orphans.children:
        roots.append(orphans)

    def prune(node: TreeNode) -> TreeNode | None:
        kept = [child for child in (prune(c) for c in node.children) if child is not None]
        kept.sort(key=lambda n: (n.skill.kind == SkillKind.SKILL, normalise(n.skill.label)))
        node.children = kept
        if words and not node.matched and not kept:
            return None
        return node

    pruned = [node for node in (prune(root) for root in roots) if node is not None]
    pruned.sort(key=lambda n: (n.skill.id == 0, normalise(n.skill.label)))
    return pruned


def get_skill(session: Session, actor: Member, skill_id: int) -> Skill:
    skill = session.get(Skill, skill_id)
    if skill is None:
        raise NotFound()
    authz.require(actor, Permission.SKILL_READ, skill)
    return skill


def skill_counts(session: Session, actor: Member, skill: Skill) -> dict[str, int]:
    """Aggregates only: open needs and active offers of the actor's cluster for this skill."""
    needs = session.scalar(
        sa.select(sa.func.count())
        .select_from(need_skills.join(Need, Need.id == need_skills.c.need_id))
        .where(
            need_skills.c.skill_id == skill.id,
            Need.cluster_id == actor.cluster_id,
            Need.status == NeedStatus.OPEN,
        )
    )
    offers = session.scalar(
        sa.select(sa.func.count())
        .select_from(offer_skills.join(Offer, Offer.id == offer_skills.c.offer_id))
        .where(
            offer_skills.c.skill_id == skill.id,
            Offer.cluster_id == actor.cluster_id,
            Offer.status == OfferStatus.ACTIVE,
        )
    )
    return {"open_needs": int(needs or 0), "active_offers": int(offers or 0)}


def skill_lineage(skill: Skill) -> list[Skill]:
    """The skill's ancestors, root first (for breadcrumbs)."""
    chain: list[Skill] = []
    seen: set[int] = set()
    parent = skill.parent
    while parent is not None and parent.id not in seen:
        seen.add(parent.id)
        chain.insert(0, parent)
        parent = parent.parent
    return chain


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise InvalidInput(_("Indiquez le nom de la compétence."), field="label")
    if len(label) > LABEL_MAX:
        raise InvalidInput(_("Le nom est trop long (255 caractères au plus)."), field="label")
    return label


def _domain(session: Session, domain_id: int | None) -> Skill | None:
    if domain_id is None:
        return None
    domain = session.get(Skill, domain_id)
    if domain is None or domain.kind != SkillKind.DOMAIN or domain.status != SkillStatus.APPROVED:
        raise InvalidInput(_("Choisissez un domaine de la liste."), field="parent_id")
    return domain


def _existing_with_label(session: Session, label: str, exclude: int | None = None) -> Skill | None:
    wanted = normalise(label)
    candidates = session.scalars(
        sa.select(Skill).where(
            Skill.status.in_([SkillStatus.APPROVED, SkillStatus.PROPOSED]),
            sa.func.lower(Skill.label) == label.lower(),
        )
    ).all()
    if not candidates:
        candidates = [
            s
            for s in session.scalars(
                sa.select(Skill).where(
                    Skill.status.in_([SkillStatus.APPROVED, SkillStatus.PROPOSED])
                )
            )
            if normalise(s.label) == wanted
        ]
    return next((s for s in candidates if s.id != exclude), None)


def propose_skill(
    session: Session, actor: Member, label: str, description: str, parent_id: int | None
) -> Skill:
    """A member proposes a missing skill; it waits for a correspondent (status PROPOSED)."""
    authz.require(actor, Permission.SKILL_PROPOSE)
    label = _clean_label(label)
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(_("La description est trop longue."), field="description")
    domain = _domain(session, parent_id)
    existing = _existing_with_label(session, label)
    if existing is not None:
        raise InvalidInput(
            _(
                "« %(label)s » existe déjà dans le référentiel ou attend d'être validée.",
                label=existing.label,
            ),
            field="label",
        )
    skill = Skill(
        label=label,
        description=description,
        kind=SkillKind.SKILL,
        status=SkillStatus.PROPOSED,
        parent_id=domain.id if domain else None,
        proposed_by_id=actor.id,
        alt_labels="",
    )
    skill.search_text = skill_search_text(skill)
    session.add(skill)
    session.flush()
    return skill


def skills_children(session: Session, skill: Skill) -> list[Skill]:
    """Direct children of a domain (for its page)."""
    return list(session.scalars(sa.select(Skill).where(Skill.parent_id == skill.id)))
