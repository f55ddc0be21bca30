"""People: clusters, companies, members and their roles, the charter, one-time tokens."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import TimestampMixin, str_enum, utcnow
from coop_formation.extensions import Model


class Visibility(enum.StrEnum):
    """Who may read a profile field: the member only, their company, or the whole cluster."""

    PRIVATE = "private"
    COMPANY = "company"
    CLUSTER = "cluster"


class Cluster(TimestampMixin, Model):
    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)

    companies: Mapped[list[Company]] = relationship(
        back_populates="cluster", order_by="Company.name"
    )


class Company(TimestampMixin, Model):
    __tablename__ = "companies"
    __table_args__ = (sa.UniqueConstraint("cluster_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(80))
    headcount: Mapped[int | None] = mapped_column(default=None)

    cluster: Mapped[Cluster] = relationship(back_populates="companies")


class Member(UserMixin, TimestampMixin, Model):
    """An employee of a cluster company (or, with no company, an HR club or coop staff account)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    locale: Mapped[str | None] = mapped_column(sa.String(8), default=None)

    is_correspondent: Mapped[bool] = mapped_column(default=False)
    is_hr_club: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)

    job_title: Mapped[str | None] = mapped_column(sa.String(160), default=None)
    job_title_visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "job_title_visibility"), default=Visibility.COMPANY
    )
    bio: Mapped[str | None] = mapped_column(sa.Text, default=None)
    bio_visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "bio_visibility"), default=Visibility.PRIVATE
    )
    phone: Mapped[str | None] = mapped_column(sa.String(40), default=None)
    phone_visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "phone_visibility"), default=Visibility.PRIVATE
    )
    skills_visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "skills_visibility"), default=Visibility.CLUSTER
    )
    learning_visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "learning_visibility"), default=Visibility.PRIVATE
    )

    activated_at: Mapped[datetime | None] = mapped_column(default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    session_version: Mapped[int] = mapped_column(default=1)

    cluster: Mapped[Cluster] = relationship()
    company: Mapped[Company | None] = relationship()

    # Flask-Login ---------------------------------------------------------------
    def get_id(self) -> str:
        # The version makes a password change or account closure end every open session.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.closed_at is None and self.password_hash is not None

    @property
    def is_activated(self) -> bool:
        """The member has chosen a password (through an invitation or otherwise)."""
        return self.closed_at is None and (
            self.activated_at is not None or self.password_hash is not None
        )

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def public_name(self) -> str:
        return self.display_name

    def __repr__(self) -> str:
        return f"<Member {self.id}>"


class Charter(Model):
    """A published version of the cooperative's charter; the latest must be accepted."""

    __tablename__ = "charters"
    __table_args__ = (sa.UniqueConstraint("cluster_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))

    cluster: Mapped[Cluster] = relationship()


class CharterAcceptance(Model):
    __tablename__ = "charter_acceptances"
    __table_args__ = (sa.UniqueConstraint("member_id", "charter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    charter_id: Mapped[int] = mapped_column(sa.ForeignKey("charters.id"))
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)

    charter: Mapped[Charter] = relationship()
    member: Mapped[Member] = relationship()


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose name, not a secret)


class OneTimeToken(Model):
    """An e-mailed link (invitation, password reset). Only a hash of the secret is stored."""

    __tablename__ = "one_time_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)

    member: Mapped[Member] = relationship()


class MobilityHorizon(enum.StrEnum):
    """When the member imagines the move: a rough horizon, never a commitment."""

    SOON = "soon"  # within a year
    MEDIUM = "medium"  # one to three years
    LATER = "later"  # someday
    UNSURE = "unsure"


class MobilityWish(TimestampMixin, Model):
    """A private mobility or reconversion wish; only its author and its chosen readers see it."""

    __tablename__ = "mobility_wishes"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    horizon: Mapped[MobilityHorizon] = mapped_column(
        str_enum(MobilityHorizon, "mobility_horizon"), default=MobilityHorizon.UNSURE
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member: Mapped[Member] = relationship()
    readers: Mapped[list[MobilityWishReader]] = relationship(
        back_populates="wish", cascade="all, delete-orphan"
    )


class MobilityWishReader(Model):
    """One reader the author chose for one wish (a correspondent of their company or HR club)."""

    __tablename__ = "mobility_wish_readers"
    __table_args__ = (sa.UniqueConstraint("wish_id", "reader_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mobility_wishes.id", ondelete="CASCADE"), index=True
    )
    reader_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    shared_at: Mapped[datetime] = mapped_column(default=utcnow)

    wish: Mapped[MobilityWish] = relationship(back_populates="readers")
    reader: Mapped[Member] = relationship()
