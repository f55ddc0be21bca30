"""Exchange: the skills framework, needs, offers and venues."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import TimestampMixin, str_enum, utcnow
from coop_formation.extensions import Model
from coop_formation.people.models import Company, Member


def _fulltext_index(name: str) -> sa.Index:
    """PostgreSQL only: GIN index on the French text-search vector of ``search_text``."""
    return sa.Index(
        name, sa.text("to_tsvector('french'::regconfig, search_text)"), postgresql_using="gin"
    ).ddl_if(dialect="postgresql")


class SkillKind(enum.StrEnum):
    DOMAIN = "domain"
    SKILL = "skill"


class SkillStatus(enum.StrEnum):
    """Framework entries are co-built: members propose, correspondents approve or merge."""

    APPROVED = "approved"
    PROPOSED = "proposed"
    MERGED = "merged"
    REJECTED = "rejected"


class Skill(TimestampMixin, Model):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    label: Mapped[str] = mapped_column(sa.String(255), index=True)
    alt_labels: Mapped[str] = mapped_column(sa.Text, default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[SkillKind] = mapped_column(
        str_enum(SkillKind, "skill_kind"), default=SkillKind.SKILL
    )
    status: Mapped[SkillStatus] = mapped_column(
        str_enum(SkillStatus, "skill_status"), default=SkillStatus.APPROVED, index=True
    )
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("skills.id"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("skills.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    parent: Mapped[Skill | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    merged_into: Mapped[Skill | None] = relationship(
        remote_side=[id], foreign_keys=[merged_into_id]
    )


class SkillRelation(enum.StrEnum):
    """How a member relates to a skill, as they declare it themselves (never rated by others)."""

    PRACTISES = "practises"
    CAN_TEACH = "can_teach"
    WANTS_TO_LEARN = "wants_to_learn"


class MemberSkill(Model):
    __tablename__ = "member_skills"
    __table_args__ = (
        sa.UniqueConstraint("member_id", "skill_id", "relation"),
        # Matching counts who can teach a need's skills straight from this index.
        sa.Index("ix_member_skills_skill_relation_member", "skill_id", "relation", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id"), index=True)
    relation: Mapped[SkillRelation] = mapped_column(str_enum(SkillRelation, "skill_relation"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    skill: Mapped[Skill] = relationship()


class Format(enum.StrEnum):
    TRAINING = "training"
    PROBLEM_SOLVING = "problem_solving"
    WORK_GROUP = "work_group"
    TALK_GROUP = "talk_group"
    ONE_TO_ONE = "one_to_one"


class Urgency(enum.StrEnum):
    URGENT = "urgent"
    SOON = "soon"
    THIS_YEAR = "this_year"
    WHENEVER = "whenever"


class NeedVisibility(enum.StrEnum):
    COMPANY = "company"
    CLUSTER = "cluster"


class NeedStatus(enum.StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    CLOSED = "closed"


need_skills = sa.Table(
    "need_skills",
    Model.metadata,
    sa.Column("need_id", sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("skill_id", sa.ForeignKey("skills.id"), primary_key=True, index=True),
)

offer_skills = sa.Table(
    "offer_skills",
    Model.metadata,
    sa.Column("offer_id", sa.ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("skill_id", sa.ForeignKey("skills.id"), primary_key=True, index=True),
)


class Need(TimestampMixin, Model):
    """A training need. When ``anonymous``, no one but its author ever sees who wrote it."""

    __tablename__ = "needs"
    __table_args__ = (
        sa.Index("ix_needs_cluster_status", "cluster_id", "status"),
        # Newest open needs of a cluster in index order (pool candidates, lists).
        sa.Index("ix_needs_cluster_status_created", "cluster_id", "status", "created_at", "id"),
        _fulltext_index("ix_needs_search_fts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"))
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    urgency: Mapped[Urgency] = mapped_column(
        str_enum(Urgency, "urgency"), default=Urgency.THIS_YEAR
    )
    wanted_from: Mapped[date | None] = mapped_column(default=None)
    wanted_until: Mapped[date | None] = mapped_column(default=None)
    format: Mapped[Format] = mapped_column(str_enum(Format, "format"), default=Format.TRAINING)
    visibility: Mapped[NeedVisibility] = mapped_column(
        str_enum(NeedVisibility, "need_visibility"), default=NeedVisibility.COMPANY
    )
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[NeedStatus] = mapped_column(
        str_enum(NeedStatus, "need_status"), default=NeedStatus.OPEN
    )
    supporters_count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    company: Mapped[Company] = relationship()
    author: Mapped[Member] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=need_skills, order_by=Skill.label)


class NeedSupporter(Model):
    """A member who joined a need ("moi aussi"); ``anonymous`` hides them as it hides authors."""

    __tablename__ = "need_supporters"
    __table_args__ = (sa.UniqueConstraint("need_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship()


class Venue(TimestampMixin, Model):
    """A place of the territory (tiers-lieu) where sessions can be held."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    capacity: Mapped[int] = mapped_column(default=20)
    accessibility: Mapped[str] = mapped_column(sa.Text, default="")
    opening_hours: Mapped[str] = mapped_column(sa.String(300), default="")


class OfferStatus(enum.StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class Offer(TimestampMixin, Model):
    """An offer to teach; always visible to the whole cluster."""

    __tablename__ = "offers"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
        sa.Index("ix_offers_cluster_status", "cluster_id", "status"),
        _fulltext_index("ix_offers_search_fts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"))
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    format: Mapped[Format] = mapped_column(str_enum(Format, "format"), default=Format.TRAINING)
    duration_minutes: Mapped[int] = mapped_column(default=120)
    capacity: Mapped[int] = mapped_column(default=8)
    remote: Mapped[bool] = mapped_column(default=False)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"))
    place_details: Mapped[str] = mapped_column(sa.String(300), default="")
    availability: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[OfferStatus] = mapped_column(
        str_enum(OfferStatus, "offer_status"), default=OfferStatus.ACTIVE
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    company: Mapped[Company | None] = relationship()
    trainer: Mapped[Member] = relationship()
    venue: Mapped[Venue | None] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=offer_skills, order_by=Skill.label)
