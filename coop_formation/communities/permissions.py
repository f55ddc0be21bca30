"""Who may do what in communities, decided here and nowhere else.

Reading is open to every member of the community's cluster (the "université du
territoire" is a shared library); writing (posts, resources) is for the community's
members; moderation for its moderators and the coop admins. Another cluster's
community does not exist for the actor (404).
"""

from __future__ import annotations

from coop_formation.communities.models import (
    Community,
    CommunityMembership,
    CommunityPost,
    CommunityResource,
    CommunityRole,
)
from coop_formation.errors import Forbidden, NotFound
from coop_formation.people.models import Member

COMMUNITY_READ = "community:read"
COMMUNITY_JOIN = "community:join"
COMMUNITY_MEMBERS_READ = "community:members-read"
COMMUNITY_POST = "community:post"
COMMUNITY_SHARE = "community:share"
COMMUNITY_MODERATE = "community:moderate"
COMMUNITY_LINK_SESSION = "community:link-session"
POST_EDIT = "post:edit"
RESOURCE_DOWNLOAD = "resource:download"
RESOURCE_DELETE = "resource:delete"


def _active(actor: Member | None) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and not getattr(actor, "is_closed", False)
    )


def can(
    actor: Member,
    permission: str,
    community: Community,
    membership: CommunityMembership | None = None,
    obj: CommunityPost | CommunityResource | None = None,
) -> bool:
    """True when ``actor`` holds ``permission`` in ``community``.

    ``membership`` is the actor's own membership row (None when not a member); ``obj`` is
    the post or resource concerned, for permissions that need one.
    """
    if not _active(actor) or community.cluster_id != actor.cluster_id:
        return False
    is_member = membership is not None and membership.member_id == actor.id
    moderator = bool(actor.is_admin) or (
        is_member and membership is not None and membership.role == CommunityRole.MODERATOR
    )
    if permission in (COMMUNITY_READ, RESOURCE_DOWNLOAD, COMMUNITY_JOIN):
        return True
    if permission in (COMMUNITY_MEMBERS_READ, COMMUNITY_POST, COMMUNITY_SHARE):
        return is_member
    if permission == COMMUNITY_LINK_SESSION:
        return is_member
    if permission == COMMUNITY_MODERATE:
        return moderator
    if permission == POST_EDIT:
        return obj is not None and obj.author_id == actor.id and not obj.deleted  # type: ignore[union-attr]
    if permission == RESOURCE_DELETE:
        return obj is not None and (obj.author_id == actor.id or moderator)
    raise ValueError(f"unknown permission {permission}")


def require(
    actor: Member,
    permission: str,
    community: Community,
    membership: CommunityMembership | None = None,
    obj: CommunityPost | CommunityResource | None = None,
) -> None:
    """NotFound when the community is outside the actor's cluster, Forbidden otherwise."""
    if can(actor, permission, community, membership, obj):
        return
    if not can(actor, COMMUNITY_READ, community):
        raise NotFound()
    raise Forbidden()
