"""Access rules of communities, registered in :mod:`coop_formation.authz`.

Reading is open to every member of the community's cluster (the "université du
territoire" is a shared library); writing (posts, resources, linked sessions) is for the
community's members; moderation for its moderators and the coop admins. Another
cluster's community does not exist for the actor (HIDDEN, 404).

A target is a :class:`Community`, a post, resource or linked session of one (the actor's
membership is then looked up), or a :class:`Standing` that already carries it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from coop_formation.authz import Decision, Permission, rule, scope_rule
from coop_formation.communities.models import (
    Community,
    CommunityMembership,
    CommunityPost,
    CommunityResource,
    CommunityRole,
    CommunitySession,
    Standing,
)
from coop_formation.people.models import Member
from coop_formation.training.models import TrainingSession


def membership_in(community: Community, actor: Member) -> CommunityMembership | None:
    """The actor's membership of ``community`` (None when not a member)."""
    session = object_session(community)
    if session is None or community.id is None:
        return None
    return session.execute(
        sa.select(CommunityMembership).where(
            CommunityMembership.community_id == community.id,
            CommunityMembership.member_id == actor.id,
        )
    ).scalar_one_or_none()


def _standing(actor: Member, target: Any) -> Standing | None:
    if isinstance(target, Standing):
        return target
    if isinstance(target, Community):
        return Standing(target, membership_in(target, actor))
    if isinstance(target, CommunityPost | CommunityResource | CommunitySession):
        return Standing(target.community, membership_in(target.community, actor), target)
    return None


def _is_member(actor: Member, standing: Standing) -> bool:
    membership = standing.membership
    return membership is not None and membership.member_id == actor.id


def _is_moderator(actor: Member, standing: Standing) -> bool:
    return bool(actor.is_admin) or (
        _is_member(actor, standing)
        and standing.membership is not None
        and standing.membership.role == CommunityRole.MODERATOR
    )


def _community_of(target: Any) -> Community | None:
    if isinstance(target, Standing):
        return target.community
    if isinstance(target, Community):
        return target
    if isinstance(target, CommunityPost | CommunityResource | CommunitySession):
        return target.community
    return None


def _outside(actor: Member, target: Any) -> bool:
    community = _community_of(target)
    return community is None or community.cluster_id != actor.cluster_id


@rule(Permission.COMMUNITY_READ, Permission.COMMUNITY_JOIN, Permission.RESOURCE_DOWNLOAD)
def read(actor: Member, target: Any) -> Decision:
    """Every member of the cluster reads, joins and downloads."""
    return Decision.HIDDEN if _outside(actor, target) else Decision.ALLOWED


def _members_only(actor: Member, target: Any) -> Decision:
    if _outside(actor, target):
        return Decision.HIDDEN
    standing = _standing(actor, target)
    return Decision.ALLOWED if standing and _is_member(actor, standing) else Decision.FORBIDDEN


@rule(Permission.COMMUNITY_MEMBERS_READ, Permission.COMMUNITY_POST, Permission.COMMUNITY_SHARE)
def members_only(actor: Member, target: Any) -> Decision:
    """The member list, writing and sharing: the community's members."""
    return _members_only(actor, target)


@rule(Permission.COMMUNITY_LINK_SESSION)
def link_session(actor: Member, target: Any) -> Decision:
    """A member shows in the community a session they organise or teach (``Standing.obj``,
    when the session is known; without it, only membership is asked)."""
    decision = _members_only(actor, target)
    if decision is not Decision.ALLOWED or not isinstance(target, Standing):
        return decision
    training = target.obj
    if isinstance(training, TrainingSession) and actor.id not in (
        training.organiser_id,
        training.trainer_id,
    ):
        return Decision.FORBIDDEN
    return Decision.ALLOWED


@rule(Permission.COMMUNITY_MODERATE)
def moderate(actor: Member, target: Any) -> Decision:
    """Hiding posts, editing the community: its moderators and the coop admins."""
    if _outside(actor, target):
        return Decision.HIDDEN
    standing = _standing(actor, target)
    return Decision.ALLOWED if standing and _is_moderator(actor, standing) else Decision.FORBIDDEN


@rule(Permission.POST_EDIT)
def edit_post(actor: Member, target: CommunityPost | Standing) -> Decision:
    """Only its author edits or withdraws a message (not once withdrawn)."""
    if _outside(actor, target):
        return Decision.HIDDEN
    post = target.obj if isinstance(target, Standing) else target
    if isinstance(post, CommunityPost) and post.author_id == actor.id and not post.deleted:
        return Decision.ALLOWED
    return Decision.FORBIDDEN


@rule(Permission.RESOURCE_DELETE)
def delete_resource(actor: Member, target: CommunityResource | Standing) -> Decision:
    """Its author or a moderator removes a shared resource."""
    if _outside(actor, target):
        return Decision.HIDDEN
    resource = target.obj if isinstance(target, Standing) else target
    if not isinstance(resource, CommunityResource):
        return Decision.FORBIDDEN
    if resource.author_id == actor.id:
        return Decision.ALLOWED
    standing = _standing(actor, target)
    return Decision.ALLOWED if standing and _is_moderator(actor, standing) else Decision.FORBIDDEN


@rule(Permission.COMMUNITY_UNLINK_SESSION)
def unlink_session(actor: Member, target: CommunitySession | Standing) -> Decision:
    """Whoever linked it, the session's organiser or trainer, or a moderator."""
    if _outside(actor, target):
        return Decision.HIDDEN
    link = target.obj if isinstance(target, Standing) else target
    if not isinstance(link, CommunitySession):
        return Decision.FORBIDDEN
    runners = {link.linked_by_id}
    if link.training is not None:
        runners |= {link.training.organiser_id, link.training.trainer_id}
    if actor.id in runners:
        return Decision.ALLOWED
    standing = _standing(actor, target)
    return Decision.ALLOWED if standing and _is_moderator(actor, standing) else Decision.FORBIDDEN


@scope_rule(Permission.COMMUNITY_READ)
def readable_communities(actor: Member) -> sa.ColumnElement[bool]:
    """The communities a member reads: those of their cluster."""
    return Community.cluster_id == actor.cluster_id
