"""What communities release when an account closes, and hold on a member (export).

Run by :mod:`.receivers` inside the closure's transaction (flush, never commit). Posts and
shared resources stay in their communities, signed "Ancien membre"; memberships end.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.communities.models import (
    Community,
    CommunityMembership,
    CommunityPost,
    CommunityResource,
)
from coop_formation.db import iso_or_none
from coop_formation.people.models import Member


def end_memberships(session: Session, member: Member) -> int:
    """The member leaves every community (member counts follow); returns how many."""
    memberships = session.scalars(
        sa.select(CommunityMembership).where(CommunityMembership.member_id == member.id)
    ).all()
    for membership in memberships:
        session.execute(
            sa.update(Community)
            .where(Community.id == membership.community_id, Community.members_count > 0)
            .values(members_count=Community.members_count - 1)
        )
        session.delete(membership)
    session.flush()
    return len(memberships)


def export_for_member(session: Session, member: Member) -> dict[str, Any]:
    """The member's memberships, posts (with replies they wrote) and shared resources;
    others' posts and names are left out."""
    memberships = session.execute(
        sa.select(CommunityMembership, Community.name)
        .join(Community, Community.id == CommunityMembership.community_id)
        .where(CommunityMembership.member_id == member.id)
        .order_by(CommunityMembership.id)
    ).all()
    posts = session.execute(
        sa.select(CommunityPost, Community.name)
        .join(Community, Community.id == CommunityPost.community_id)
        .where(CommunityPost.author_id == member.id)
        .order_by(CommunityPost.id)
    ).all()
    resources = session.execute(
        sa.select(CommunityResource, Community.name)
        .join(Community, Community.id == CommunityResource.community_id)
        .where(CommunityResource.author_id == member.id)
        .order_by(CommunityResource.id)
    ).all()
    created = session.scalars(
        sa.select(Community).where(Community.creator_id == member.id).order_by(Community.id)
    ).all()
    return {
        "memberships": [
            {
                "community_id": row.community_id,
                "community": name,
                "role": row.role.value,
                "joined_at": iso_or_none(row.joined_at),
            }
            for row, name in memberships
        ],
        "posts": [
            {
                "id": post.id,
                "community_id": post.community_id,
                "community": name,
                "reply_to": post.parent_id,
                "body": post.body,
                "hidden": post.hidden,
                "deleted": post.deleted,
                "created_at": iso_or_none(post.created_at),
                "edited_at": iso_or_none(post.edited_at),
            }
            for post, name in posts
        ],
        "resources": [
            {
                "id": resource.id,
                "community_id": resource.community_id,
                "community": name,
                "kind": resource.kind.value,
                "title": resource.title,
                "description": resource.description,
                "url": resource.url,
                "filename": resource.filename,
                "size_bytes": resource.size_bytes,
                "created_at": iso_or_none(resource.created_at),
            }
            for resource, name in resources
        ],
        "communities_created": [
            {"id": community.id, "name": community.name, "description": community.description}
            for community in created
        ],
    }
