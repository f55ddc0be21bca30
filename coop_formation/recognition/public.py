"""What the public and the recipient see of a credential: its page data, its forms
(JSON-LD, JWT, baked PNG/SVG), a QR code, an "add to LinkedIn" link (not for a revoked
badge, whose page says why it was revoked), listings.

Privacy rules: a credential the recipient *hid* is answered 404 to everyone but the
recipient and those who manage it; the recipient's name appears only when they made the
credential public. Public documents carry a salted hash of the e-mail, never the e-mail.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import segno
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

import badges
from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import NotFound
from coop_formation.people.models import Member
from coop_formation.recognition.awarding import get_credential
from coop_formation.recognition.images import PNG, SVG
from coop_formation.recognition.issuers import issuer_profile_url
from coop_formation.recognition.issuing import credential_url
from coop_formation.recognition.models import (
    Achievement,
    Credential,
    CredentialStatus,
    RecipientChoice,
)

NOT_PUBLIC = "(non public)"


def shows_recipient(credential: Credential) -> bool:
    """The recipient chose to show their name with this credential."""
    return credential.is_public and credential.recipient_choice == RecipientChoice.ACCEPTED


def visible_credential(session: Session, public_id: str, viewer: Member | None) -> Credential:
    """The credential for its public URL; hidden ones are 404 except to those entitled."""
    credential = get_credential(session, public_id)
    if not authz.can(viewer, Permission.CREDENTIAL_READ, credential):
        raise NotFound(_("Badge non public."))
    return credential


@dataclass
class CredentialPage:
    credential: Credential
    document: dict[str, Any]
    url: str
    achievement: Achievement
    issuer_name: str
    issuer_url: str
    recipient_name: str | None
    revoked: bool
    expired: bool
    is_recipient: bool
    linkedin_url: str | None  # None for a revoked badge: nothing to add to a profile
    qr_data_uri: str

    @property
    def revocation_reason(self) -> str | None:
        return self.credential.revocation_reason if self.revoked else None


def linkedin_url(credential: Credential, issuer_name: str) -> str:
    """LinkedIn's "add a certification" link, filled in for this credential."""
    issued = credential.issued_at
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.achievement.name,
        "organizationName": issuer_name,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": credential_url(credential.public_id),
        "certId": credential.public_id,
    }
    if credential.valid_until:
        params["expirationYear"] = credential.valid_until.year
        params["expirationMonth"] = credential.valid_until.month
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def qr_code_svg(url: str) -> bytes:
    """A QR code of ``url`` as a standalone SVG document."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, title=url)
    return out.getvalue()


def credential_page(
    credential: Credential, viewer: Member | None, now: datetime | None = None
) -> CredentialPage:
    url = credential_url(credential.public_id)
    issuer = credential.issuer
    revoked = credential.status == CredentialStatus.REVOKED
    return CredentialPage(
        credential=credential,
        document=json.loads(credential.document),
        url=url,
        achievement=credential.achievement,
        issuer_name=issuer.name,
        issuer_url=issuer_profile_url(issuer),
        recipient_name=credential.recipient.display_name if shows_recipient(credential) else None,
        revoked=revoked,
        expired=credential.is_expired(now),
        is_recipient=viewer is not None and viewer.id == credential.recipient_id,
        linkedin_url=None if revoked else linkedin_url(credential, issuer.name),
        qr_data_uri=segno.make(url, error="m").svg_data_uri(scale=4),
    )


def achievement_picture(achievement: Achievement, kind: str) -> bytes:
    """The achievement's own picture in ``kind`` (PNG/SVG) or the default one."""
    if achievement.image is not None and achievement.image_type == kind:
        return achievement.image
    if kind == PNG:
        return badges.default_badge_png(achievement.name)
    return badges.default_badge_svg(achievement.name).encode("utf-8")


def baked_png(credential: Credential) -> bytes:
    return badges.bake_png(achievement_picture(credential.achievement, PNG), credential.document)


def baked_svg(credential: Credential) -> bytes:
    return badges.bake_svg(achievement_picture(credential.achievement, SVG), credential.document)


# --- listings ------------------------------------------------------------------------


def my_credentials(session: Session, actor: Member) -> list[Credential]:
    return list(
        session.execute(
            sa.select(Credential)
            .where(Credential.recipient_id == actor.id)
            .options(selectinload(Credential.achievement), selectinload(Credential.issuer))
            .order_by(Credential.issued_at.desc())
        ).scalars()
    )


def public_credentials_of(session: Session, member: Member) -> list[Credential]:
    """What a member's profile shows: credentials they accepted and made public."""
    return list(
        session.execute(
            sa.select(Credential)
            .where(
                Credential.recipient_id == member.id,
                Credential.recipient_choice == RecipientChoice.ACCEPTED,
                Credential.is_public.is_(True),
                Credential.status == CredentialStatus.ISSUED,
            )
            .options(selectinload(Credential.achievement))
            .order_by(Credential.issued_at.desc())
        ).scalars()
    )


def credentials_listing(session: Session) -> list[dict[str, Any]]:
    """Every credential for the CLI: the recipient's name only where they made it public."""
    rows = session.execute(
        sa.select(Credential)
        .options(selectinload(Credential.achievement), selectinload(Credential.recipient))
        .order_by(Credential.issued_at, Credential.id)
    ).scalars()
    now = utcnow()
    listing = []
    for credential in rows:
        status = credential.status.value
        if status == CredentialStatus.ISSUED and credential.is_expired(now):
            status = "expired"
        listing.append(
            {
                "id": credential.public_id,
                "url": credential_url(credential.public_id),
                "achievement": credential.achievement.name,
                "recipient": (
                    credential.recipient.display_name if shows_recipient(credential) else NOT_PUBLIC
                ),
                "status": status,
                "issued_at": badges.format_datetime(credential.issued_at),
            }
        )
    return listing


def profile_badges(
    session: Session, actor: Member, member_id: int
) -> tuple[Member, list[Credential]]:
    """A cluster member's badges as their profile shows them (what they made public)."""
    member = session.get(Member, member_id)
    if member is None or member.cluster_id != actor.cluster_id or member.is_closed:
        raise NotFound(_("Membre introuvable."))
    return member, public_credentials_of(session, member)
