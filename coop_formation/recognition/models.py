"""Recognition: issuer keys and issuers, achievements, credentials, status lists,
endorsements, jury validations and badges imported from elsewhere.

Lifecycles are explicit: a credential goes issued → revoked (never back), a jury
validation goes pending → approved/rejected; both are backed by CHECK constraints. The
signed document of a credential is written once and never updated.
"""

from __future__ import annotations

import enum
import json
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from coop_formation.db import str_enum, utcnow
from coop_formation.exchange.models import Skill
from coop_formation.extensions import Model
from coop_formation.people.models import Cluster, Company, Member


def new_public_id() -> str:
    return str(uuid.uuid4())


class IssuerKey(Model):
    """An Ed25519 signing key of the app's did:web issuer; the private key is stored
    encrypted (PKCS#8, passphrase derived from configuration), never in clear.

    The active key is the newest one not retired; retired keys stay published so that
    what they signed keeps verifying; compromised keys are withdrawn from publication.
    """

    __tablename__ = "recognition_issuer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    controller: Mapped[str] = mapped_column(sa.String(255), index=True)
    key_id: Mapped[str] = mapped_column(sa.String(320), unique=True)
    public_key_multibase: Mapped[str] = mapped_column(sa.String(120))
    public_jwk: Mapped[str] = mapped_column(sa.Text)
    private_key_pem: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
    compromised_at: Mapped[datetime | None] = mapped_column(default=None)


class Issuer(Model):
    """An issuer the cluster knows: its cooperative (signing with the app's keys) or a
    company with its own DID. Every issuer of a cluster is "known" to its verifiers."""

    __tablename__ = "recognition_issuers"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_public_id)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id"), default=None)
    name: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str] = mapped_column(sa.String(500))
    did: Mapped[str] = mapped_column(sa.String(255), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(254), default=None)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cluster: Mapped[Cluster] = relationship()
    company: Mapped[Company | None] = relationship()


class AchievementKind(enum.StrEnum):
    TRAINING_FOLLOWED = "training_followed"
    PEER_TRAINER = "peer_trainer"
    COLLABORATIVE_SKILL = "collaborative_skill"
    COLLECTIVE_ACHIEVEMENT = "collective_achievement"


achievement_skills = sa.Table(
    "recognition_achievement_skills",
    Model.metadata,
    sa.Column(
        "achievement_id",
        sa.ForeignKey("recognition_achievements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("skill_id", sa.ForeignKey("skills.id"), primary_key=True, index=True),
)


class Achievement(Model):
    """A badge definition of the cluster's catalogue.

    ``source_key`` marks the achievements created automatically for a training (one per
    offer or session and kind), so that settling again finds the same one.
    """

    __tablename__ = "recognition_achievements"
    __table_args__ = (
        sa.CheckConstraint("valid_days IS NULL OR valid_days > 0", name="valid_days_positive"),
        sa.CheckConstraint("(image IS NULL) = (image_type IS NULL)", name="image_with_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_public_id)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    issuer_id: Mapped[int] = mapped_column(sa.ForeignKey("recognition_issuers.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    criteria: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[AchievementKind] = mapped_column(str_enum(AchievementKind, "achievement_kind"))
    image: Mapped[bytes | None] = mapped_column(sa.LargeBinary, default=None)
    image_type: Mapped[str | None] = mapped_column(sa.String(40), default=None)
    valid_days: Mapped[int | None] = mapped_column(default=None)
    archived: Mapped[bool] = mapped_column(default=False)
    source_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True, default=None)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    issuer: Mapped[Issuer] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=achievement_skills, order_by=Skill.label)

    @property
    def is_automatic(self) -> bool:
        return self.source_key is not None


class CredentialStatus(enum.StrEnum):
    ISSUED = "issued"
    REVOKED = "revoked"


CREDENTIAL_TRANSITIONS: dict[CredentialStatus, frozenset[CredentialStatus]] = {
    CredentialStatus.ISSUED: frozenset({CredentialStatus.REVOKED}),
    CredentialStatus.REVOKED: frozenset(),
}


class RecipientChoice(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    HIDDEN = "hidden"


class StatusListRow(Model):
    """A Bitstring Status List (revocation) and its signed credential as last published."""

    __tablename__ = "recognition_status_lists"
    __table_args__ = (sa.CheckConstraint("used >= 0 AND used <= size", name="used_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(20), default="revocation")
    size: Mapped[int] = mapped_column(default=131_072)
    encoded: Mapped[str] = mapped_column(sa.Text)
    used: Mapped[int] = mapped_column(default=0)
    signed_document: Mapped[str | None] = mapped_column(sa.Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Credential(Model):
    """An awarded badge: the signed document (JSON-LD with embedded proof) and its JWT
    are written at issuance and never changed; revocation flips its status-list bit."""

    __tablename__ = "recognition_credentials"
    __table_args__ = (
        sa.UniqueConstraint("status_list_id", "status_index"),
        sa.CheckConstraint(
            "(status = 'revoked') = (revoked_at IS NOT NULL)", name="revoked_iff_revoked_at"
        ),
        sa.CheckConstraint(
            "NOT is_public OR recipient_choice = 'accepted'", name="public_only_if_accepted"
        ),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_until > issued_at", name="valid_until_after_issue"
        ),
        sa.Index("ix_recognition_credentials_recipient", "recipient_id", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_public_id)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    achievement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recognition_achievements.id"), index=True
    )
    issuer_id: Mapped[int] = mapped_column(sa.ForeignKey("recognition_issuers.id"))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    awarded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"), default=None)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[datetime | None] = mapped_column(default=None)
    status: Mapped[CredentialStatus] = mapped_column(
        str_enum(CredentialStatus, "credential_status"), default=CredentialStatus.ISSUED
    )
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revocation_reason: Mapped[str] = mapped_column(sa.Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"), default=None)
    status_list_id: Mapped[int] = mapped_column(sa.ForeignKey("recognition_status_lists.id"))
    status_index: Mapped[int]
    team_name: Mapped[str | None] = mapped_column(sa.String(200), default=None)
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    source_key: Mapped[str | None] = mapped_column(sa.String(160), unique=True, default=None)
    key_id: Mapped[str] = mapped_column(sa.String(320))
    document: Mapped[str] = mapped_column(sa.Text)
    jwt: Mapped[str] = mapped_column(sa.Text)
    recipient_choice: Mapped[RecipientChoice] = mapped_column(
        str_enum(RecipientChoice, "recipient_choice"), default=RecipientChoice.PENDING
    )
    is_public: Mapped[bool] = mapped_column(default=False)
    choice_at: Mapped[datetime | None] = mapped_column(default=None)

    achievement: Mapped[Achievement] = relationship()
    issuer: Mapped[Issuer] = relationship()
    recipient: Mapped[Member] = relationship(foreign_keys=[recipient_id])
    status_list: Mapped[StatusListRow] = relationship()

    def move_to(self, target: CredentialStatus) -> None:
        """Change status only along an allowed edge (issued → revoked)."""
        if target not in CREDENTIAL_TRANSITIONS[self.status]:
            raise ValueError(f"credential {self.id}: {self.status} -> {target}")
        self.status = target

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.valid_until is not None and (now or utcnow()) >= self.valid_until


class Endorsement(Model):
    """A member vouching for a colleague's skill, signed as an EndorsementCredential."""

    __tablename__ = "recognition_endorsements"
    __table_args__ = (
        sa.UniqueConstraint("endorser_id", "endorsed_id", "skill_id"),
        sa.CheckConstraint("endorser_id <> endorsed_id", name="not_self"),
        sa.Index("ix_recognition_endorsements_endorser_time", "endorser_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_public_id)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    endorser_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    endorsed_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id"))
    comment: Mapped[str] = mapped_column(sa.Text)
    document: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    endorser: Mapped[Member] = relationship(foreign_keys=[endorser_id])
    endorsed: Mapped[Member] = relationship(foreign_keys=[endorsed_id])
    skill: Mapped[Skill] = relationship()


class JuryStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


JURY_TRANSITIONS: dict[JuryStatus, frozenset[JuryStatus]] = {
    JuryStatus.PENDING: frozenset({JuryStatus.APPROVED, JuryStatus.REJECTED}),
    JuryStatus.APPROVED: frozenset(),
    JuryStatus.REJECTED: frozenset(),
}


class JuryValidation(Model):
    """Peer validation of a collaborative skill: every juror must approve (jury of at
    least two members from at least two companies) before the badge is awarded."""

    __tablename__ = "recognition_jury_validations"
    __table_args__ = (
        sa.CheckConstraint(
            "(status = 'approved') = (credential_id IS NOT NULL)", name="credential_iff_approved"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id"), index=True)
    achievement_id: Mapped[int] = mapped_column(sa.ForeignKey("recognition_achievements.id"))
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    evidence: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[JuryStatus] = mapped_column(
        str_enum(JuryStatus, "jury_status"), default=JuryStatus.PENDING
    )
    credential_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recognition_credentials.id"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)

    achievement: Mapped[Achievement] = relationship()
    candidate: Mapped[Member] = relationship(foreign_keys=[candidate_id])
    votes: Mapped[list[JuryVote]] = relationship(
        back_populates="validation", order_by="JuryVote.id", cascade="all, delete-orphan"
    )

    def move_to(self, target: JuryStatus) -> None:
        if target not in JURY_TRANSITIONS[self.status]:
            raise ValueError(f"jury {self.id}: {self.status} -> {target}")
        self.status = target


class JuryVote(Model):
    __tablename__ = "recognition_jury_votes"
    __table_args__ = (sa.UniqueConstraint("validation_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    validation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recognition_jury_validations.id", ondelete="CASCADE")
    )
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    approve: Mapped[bool | None] = mapped_column(default=None)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    voted_at: Mapped[datetime | None] = mapped_column(default=None)

    validation: Mapped[JuryValidation] = relationship(back_populates="votes")
    juror: Mapped[Member] = relationship()


class ImportedBadge(Model):
    """A badge earned elsewhere, uploaded by its holder (bytes kept as uploaded), with the
    report of its check; one row per credential and member (see :mod:`.importing`)."""

    __tablename__ = "recognition_imported_badges"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    original: Mapped[bytes] = mapped_column(sa.LargeBinary)
    media_type: Mapped[str] = mapped_column(sa.String(40))
    report_json: Mapped[str] = mapped_column(sa.Text)
    valid: Mapped[bool] = mapped_column(default=False)
    issuer_name: Mapped[str] = mapped_column(sa.String(300), default="")
    achievement_name: Mapped[str] = mapped_column(sa.String(300), default="")
    verified_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def report(self) -> dict[str, Any]:
        """The stored verification report (``valid``, ``checks``...)."""
        return json.loads(self.report_json)

    @property
    def credential_id(self) -> str | None:
        """The ``id`` of the credential (or OB 2.0 assertion) kept here, if it has one."""
        value = self.report.get("credential_id")
        return value if isinstance(value, str) else None


_FROZEN = {Credential: ("document", "jwt", "key_id"), Endorsement: ("document",)}


@sa.event.listens_for(Session, "before_flush")
def _refuse_changes_to_signed_documents(session: Session, _ctx: object, _inst: object) -> None:
    """A signed document is immutable: corrections are new credentials, not edits."""
    for obj in session.dirty:
        fields = _FROZEN.get(type(obj))
        if not fields:
            continue
        state = sa.inspect(obj)
        for name in fields:
            if state.attrs[name].history.deleted:
                raise ValueError(f"{type(obj).__name__}.{name} is immutable once signed")
