"""Build unsigned Open Badges 3.0 credentials (``OpenBadgeCredential``,
``EndorsementCredential``) from small typed descriptions.

Guarantees: the output uses only terms defined by the VC 2.0 and OB 3.0.3 contexts,
every collection the 1EdTech JSON schema wants as an array is an array, and every
date is ``YYYY-MM-DDThh:mm:ssZ``. Sign the result with :func:`badges.sign_credential`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .contexts import OB_V3, VC_V2
from .dates import format_datetime
from .errors import BadgeError

CREDENTIAL_CONTEXT: list[str] = [VC_V2, OB_V3]
OPEN_BADGE_TYPES: list[str] = ["VerifiableCredential", "OpenBadgeCredential"]
ENDORSEMENT_TYPES: list[str] = ["VerifiableCredential", "EndorsementCredential"]
#: ``genre`` of the evidence entry naming the team of a collective badge
TEAM_EVIDENCE_GENRE = "Équipe"

ESCO_FRAMEWORK = "ESCO"
_ESCO_PREFIX = "http://data.europa.eu/esco/"


def new_credential_id() -> str:
    """A fresh ``urn:uuid:`` credential id."""
    return f"urn:uuid:{uuid.uuid4()}"


@dataclass(frozen=True)
class IssuerProfile:
    """The issuer (``Profile``): its ``id`` is the DID or URL that controls the keys."""

    id: str
    name: str
    url: str
    email: str | None = None
    image: str | None = None
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        data["url"] = self.url
        if self.description:
            data["description"] = self.description
        if self.email:
            data["email"] = self.email
        if self.image:
            data["image"] = {"id": self.image, "type": "Image"}
        return data


@dataclass(frozen=True)
class Alignment:
    """A skill the achievement is aligned to (an ESCO URI when there is one)."""

    target_name: str
    target_url: str
    target_type: str | None = None
    target_framework: str | None = None
    target_code: str | None = None
    target_description: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": ["Alignment"],
            "targetName": self.target_name,
            "targetUrl": self.target_url,
        }
        target_type, framework = self.target_type, self.target_framework
        if self.target_url.startswith(_ESCO_PREFIX):
            kind = self.target_url[len(_ESCO_PREFIX) :].split("/", 1)[0]
            target_type = target_type or {"skill": "ext:ESCOSkill"}.get(
                kind, "ext:ESCO" + kind.capitalize()
            )
            framework = framework or ESCO_FRAMEWORK
        if target_type:
            data["targetType"] = target_type
        if framework:
            data["targetFramework"] = framework
        if self.target_code:
            data["targetCode"] = self.target_code
        if self.target_description:
            data["targetDescription"] = self.target_description
        return data


@dataclass(frozen=True)
class AchievementDefinition:
    """What is recognised (``Achievement``). ``achievement_type`` is an OB 3.0 value
    (``Badge``, ``Competency``, ``Course``, ``Award``...) or an ``ext:...`` extension."""

    id: str
    name: str
    description: str
    criteria_narrative: str | None = None
    criteria_url: str | None = None
    image: str | None = None
    image_caption: str | None = None
    achievement_type: str | None = "Badge"
    alignments: Sequence[Alignment] = ()
    tags: Sequence[str] = ()
    in_language: str | None = "fr"
    creator: IssuerProfile | None = None

    def to_json(self) -> dict[str, Any]:
        if not (self.criteria_narrative or self.criteria_url):
            raise BadgeError("Un badge doit avoir des critères (texte ou adresse).")
        criteria: dict[str, Any] = {}
        if self.criteria_url:
            criteria["id"] = self.criteria_url
        if self.criteria_narrative:
            criteria["narrative"] = self.criteria_narrative
        data: dict[str, Any] = {
            "id": self.id,
            "type": ["Achievement"],
            "name": self.name,
            "description": self.description,
            "criteria": criteria,
        }
        if self.achievement_type:
            data["achievementType"] = self.achievement_type
        if self.image:
            image = {"id": self.image, "type": "Image"}
            if self.image_caption:
                image["caption"] = self.image_caption
            data["image"] = image
        if self.alignments:
            data["alignment"] = [a.to_json() for a in self.alignments]
        if self.tags:
            data["tag"] = list(self.tags)
        if self.in_language:
            data["inLanguage"] = self.in_language
        if self.creator:
            data["creator"] = self.creator.to_json()
        return data


@dataclass(frozen=True)
class Recipient:
    """Who receives the badge: a hashed e-mail (``IdentityObject``) and/or a DID.

    With an e-mail and no salt, a random salt is drawn when the credential is built.
    """

    email: str | None = None
    did: str | None = None
    salt: str | None = None

    def identity_objects(self) -> list[dict[str, Any]]:
        if not self.email:
            return []
        salt = self.salt or secrets.token_hex(16)
        return [hashed_email_identity(self.email, salt)]


def hash_identity(value: str, salt: str) -> str:
    """OB ``IdentityHash``: ``sha256$`` + hex SHA-256 of the value followed by the salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def hashed_email_identity(email: str, salt: str) -> dict[str, Any]:
    """An ``IdentityObject`` for an e-mail address (normalised to lower case), salted."""
    return {
        "type": "IdentityObject",
        "identityHash": hash_identity(email.strip().lower(), salt),
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def identity_matches(identity: Mapping[str, Any], email: str) -> bool:
    """True if the (hashed or plain) ``IdentityObject`` designates ``email``."""
    email = email.strip().lower()
    if not identity.get("hashed"):
        return str(identity.get("identityHash", "")).strip().lower() == email
    expected = hash_identity(email, str(identity.get("salt") or ""))
    return secrets.compare_digest(str(identity.get("identityHash", "")).lower(), expected)


@dataclass(frozen=True)
class Evidence:
    """Evidence of the achievement (a page, a narrative...)."""

    name: str | None = None
    narrative: str | None = None
    description: str | None = None
    url: str | None = None
    genre: str | None = None
    audience: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": ["Evidence"]}
        if self.url:
            data["id"] = self.url
        for key in ("name", "description", "narrative", "genre", "audience"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


@dataclass(frozen=True)
class CredentialOptions:
    """Optional parts of a credential."""

    valid_until: datetime | None = None
    evidence: Sequence[Evidence] = ()
    team: str | None = None
    team_members: Sequence[str] = ()
    credential_status: Mapping[str, Any] | None = None
    awarded_date: datetime | None = None
    extra_context: Sequence[str] = field(default_factory=tuple)


def build_open_badge_credential(
    *,
    issuer: IssuerProfile,
    achievement: AchievementDefinition,
    recipient: Recipient,
    valid_from: datetime,
    credential_id: str | None = None,
    options: CredentialOptions | None = None,
) -> dict[str, Any]:
    """An unsigned ``OpenBadgeCredential``.

    A collective badge (``options.team``) names the team in an evidence entry of genre
    :data:`TEAM_EVIDENCE_GENRE` - a defined term, so it is signed like the rest.
    """
    options = options or CredentialOptions()
    if not (recipient.email or recipient.did):
        raise BadgeError("Le destinataire doit avoir une adresse électronique ou un DID.")
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if recipient.did:
        subject["id"] = recipient.did
    identities = recipient.identity_objects()
    if identities:
        subject["identifier"] = identities
    subject["achievement"] = achievement.to_json()
    credential: dict[str, Any] = {
        "@context": [*CREDENTIAL_CONTEXT, *options.extra_context],
        "id": credential_id or new_credential_id(),
        "type": list(OPEN_BADGE_TYPES),
        "name": achievement.name,
        "issuer": issuer.to_json(),
        "validFrom": format_datetime(valid_from),
    }
    if options.valid_until:
        if options.valid_until <= valid_from:
            raise BadgeError("La date de fin de validité doit suivre la date de début.")
        credential["validUntil"] = format_datetime(options.valid_until)
    credential["awardedDate"] = format_datetime(options.awarded_date or valid_from)
    credential["credentialSubject"] = subject
    evidence = [e.to_json() for e in options.evidence]
    if options.team:
        members = ", ".join(options.team_members)
        narrative = f"Badge collectif décerné à l'équipe « {options.team} »"
        narrative += f" ({members})." if members else "."
        evidence.append(
            Evidence(name=options.team, narrative=narrative, genre=TEAM_EVIDENCE_GENRE).to_json()
        )
    if evidence:
        credential["evidence"] = evidence
    if options.credential_status:
        credential["credentialStatus"] = dict(options.credential_status)
    return credential


def build_endorsement_credential(
    *,
    issuer: IssuerProfile,
    endorsed_id: str,
    comment: str,
    valid_from: datetime,
    name: str = "Recommandation",
    credential_id: str | None = None,
    valid_until: datetime | None = None,
    credential_status: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An unsigned ``EndorsementCredential`` endorsing ``endorsed_id`` (an achievement,
    a credential or a profile)."""
    credential: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": credential_id or new_credential_id(),
        "type": list(ENDORSEMENT_TYPES),
        "name": name,
        "issuer": issuer.to_json(),
        "validFrom": format_datetime(valid_from),
    }
    if valid_until:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = {
        "id": endorsed_id,
        "type": ["EndorsementSubject"],
        "endorsementComment": comment,
    }
    if credential_status:
        credential["credentialStatus"] = dict(credential_status)
    return credential


def team_of(credential: Mapping[str, Any]) -> str | None:
    """The team named by a collective badge, if any."""
    evidence = credential.get("evidence") or []
    for item in evidence if isinstance(evidence, list) else [evidence]:
        if isinstance(item, dict) and item.get("genre") == TEAM_EVIDENCE_GENRE:
            return item.get("name")
    return None
