"""Access rules of the exchange (needs, offers, skills), registered in :mod:`coop_formation.authz`.

A need or an offer the actor may not read is *hidden* (404); one they may read but not
act on is *forbidden* (403). List pages use the SQL twins registered with ``scope_rule``
so lists never show more than detail pages.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from coop_formation.authz import Decision, Permission, rule, scope_rule
from coop_formation.exchange.models import (
    Need,
    NeedStatus,
    NeedVisibility,
    Offer,
    Skill,
    SkillStatus,
)
from coop_formation.exchange.search import needs_visible_to, offers_visible_to
from coop_formation.people.models import Member
from coop_formation.people.rules import hr_club_only


def _visible_as_employee(actor: Member, need: Need) -> bool:
    """Company needs stay inside the company; cluster needs reach the whole cluster."""
    if need.author_id == actor.id:
        return True
    if need.cluster_id != actor.cluster_id:
        return False
    if need.visibility == NeedVisibility.CLUSTER:
        return True
    return actor.company_id is not None and actor.company_id == need.company_id


def can_read_need(actor: Member, need: Need) -> bool:
    """Whether the actor reads the need (its text, its author, its supporters).

    Coop admin accounts see cluster-visible needs only, like everyone else outside the
    company. An HR-club-only account (no company) reads no need at all: the HR role gives
    aggregates only (a need it would otherwise see is forbidden to it, 403).
    """
    if need.author_id == actor.id:
        return True
    return _visible_as_employee(actor, need) and not hr_club_only(actor)


def _need_gate(actor: Member, need: Need) -> Decision | None:
    """HIDDEN outside the need's audience, FORBIDDEN for an HR-club-only account; else None."""
    if not _visible_as_employee(actor, need):
        return Decision.HIDDEN
    if not can_read_need(actor, need):
        return Decision.FORBIDDEN
    return None


def can_moderate_skills(actor: Member) -> bool:
    return bool(actor.is_correspondent or actor.is_admin)


def _allowed(yes: bool) -> Decision:
    return Decision.ALLOWED if yes else Decision.FORBIDDEN


@rule(Permission.NEED_CREATE)
def create_need(actor: Member, target: Any = None) -> bool:
    """Needs are declared for a company: an account without company declares none."""
    return actor.company_id is not None


@rule(Permission.NEED_READ)
def read_need(actor: Member, need: Need) -> Decision:
    refused = _need_gate(actor, need)
    return Decision.ALLOWED if refused is None else refused


@rule(Permission.NEED_EDIT)
def edit_need(actor: Member, need: Need) -> Decision:
    if (refused := _need_gate(actor, need)) is not None:
        return refused
    return _allowed(need.author_id == actor.id)


@rule(Permission.NEED_SET_STATUS)
def set_need_status(actor: Member, need: Need) -> Decision:
    """The author, or a correspondent of the need's company."""
    if (refused := _need_gate(actor, need)) is not None:
        return refused
    if need.author_id == actor.id:
        return Decision.ALLOWED
    return _allowed(
        bool(
            actor.is_correspondent
            and actor.company_id is not None
            and actor.company_id == need.company_id
        )
    )


@rule(Permission.NEED_JOIN)
def join_need(actor: Member, need: Need) -> Decision:
    """ "Moi aussi": anyone who reads an unclosed need, except its author."""
    if (refused := _need_gate(actor, need)) is not None:
        return refused
    return _allowed(need.author_id != actor.id and need.status != NeedStatus.CLOSED)


@rule(Permission.OFFER_READ)
def read_offer(actor: Member, offer: Offer) -> Decision:
    """Offers of the cluster (they name their trainer: not for an HR-club-only account)."""
    if offer.cluster_id != actor.cluster_id or hr_club_only(actor):
        return Decision.HIDDEN
    return Decision.ALLOWED


@rule(Permission.OFFER_EDIT)
def edit_offer(actor: Member, offer: Offer) -> Decision:
    if offer.trainer_id == actor.id:
        return Decision.ALLOWED
    if offer.cluster_id != actor.cluster_id:
        return Decision.HIDDEN
    return Decision.FORBIDDEN


@rule(Permission.SKILL_READ)
def read_skill(actor: Member, skill: Skill) -> Decision:
    """Approved and merged skills for all; a proposal for its author and the moderators."""
    if skill.status in (SkillStatus.APPROVED, SkillStatus.MERGED):
        return Decision.ALLOWED
    if skill.proposed_by_id == actor.id or can_moderate_skills(actor):
        return Decision.ALLOWED
    return Decision.HIDDEN


@rule(Permission.SKILL_PROPOSE)
def propose_skill(actor: Member, target: Any = None) -> bool:
    return True


@rule(Permission.SKILL_MODERATE)
def moderate_skills(actor: Member, target: Any = None) -> bool:
    return can_moderate_skills(actor)


@scope_rule(Permission.NEED_READ)
def needs_scope(actor: Member) -> sa.ColumnElement[bool]:
    if hr_club_only(actor):
        return sa.false()
    return needs_visible_to(actor)


@scope_rule(Permission.OFFER_READ)
def offers_scope(actor: Member) -> sa.ColumnElement[bool]:
    if hr_club_only(actor):
        return sa.false()
    return offers_visible_to(actor)
