"""Communities of practice: members, posts with replies, shared resources, linked sessions.

A community belongs to one cluster; everything in it is readable by the cluster's members
and writable by the community's members (see :mod:`coop_formation.communities.rules`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import TimestampMixin, str_enum, utcnow
from coop_formation.exchange.models import Skill
from coop_formation.extensions import Model
from coop_formation.people.models import Member
from coop_formation.training.models import TrainingSession

community_skills = sa.Table(
    "community_skills",
    Model.metadata,
    sa.Column(
        "community_id", sa.ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("skill_id", sa.ForeignKey("skills.id"), primary_key=True, index=True),
)


class Community(TimestampMixin, Model):
    """A community of practice (a trade or a skill) inside one cluster."""

    __tablename__ = "communities"
    __table_args__ = (sa.UniqueConstraint("cluster_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    creator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    members_count: Mapped[int] = mapped_column(default=0)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    creator: Mapped[Member | None] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=community_skills, order_by=Skill.label)


class CommunityRole(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"


class CommunityMembership(Model):
    """A member's place in a community; moderators may hide posts (the creator is one)."""

    __tablename__ = "community_memberships"
    __table_args__ = (sa.UniqueConstraint("community_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    role: Mapped[CommunityRole] = mapped_column(
        str_enum(CommunityRole, "community_role"), default=CommunityRole.MEMBER
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship()


class CommunityPost(Model):
    """A message (``parent_id`` set: a reply, one level deep). Text only, escaped on display."""

    __tablename__ = "community_posts"
    __table_args__ = (sa.Index("ix_community_posts_thread", "community_id", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("community_posts.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)

    author: Mapped[Member] = relationship(foreign_keys=[author_id])
    community: Mapped[Community] = relationship()


class ResourceKind(enum.StrEnum):
    LINK = "link"
    DOCUMENT = "document"


class CommunityResource(Model):
    """A shared link or document. Documents live on disk under a random ``storage_key``."""

    __tablename__ = "community_resources"
    __table_args__ = (
        sa.CheckConstraint("(kind = 'link') = (url IS NOT NULL)", name="url_iff_link"),
        sa.CheckConstraint(
            "(kind = 'document') = (storage_key IS NOT NULL)", name="file_iff_document"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str | None] = mapped_column(sa.String(1000), default=None)
    storage_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True, default=None)
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    content_type: Mapped[str] = mapped_column(sa.String(120), default="")
    size_bytes: Mapped[int] = mapped_column(default=0)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Member] = relationship()
    community: Mapped[Community] = relationship()


class CommunitySession(Model):
    """A training session shown in a community's agenda (linked by whoever runs it)."""

    __tablename__ = "community_sessions"

    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    linked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
    training: Mapped[TrainingSession] = relationship()


@dataclass(frozen=True)
class Standing:
    """Where an actor stands in a community (their membership, None when not a member) and,
    for rules about one thing in it, that post, resource, session or linked session.

    The community rules accept it as target when the membership is already loaded (a page
    asking about many posts or resources then needs no query per question).
    """

    community: Community
    membership: CommunityMembership | None
    obj: CommunityPost | CommunityResource | CommunitySession | TrainingSession | None = None

    def of(
        self, obj: CommunityPost | CommunityResource | CommunitySession | TrainingSession
    ) -> Standing:
        return replace(self, obj=obj)
