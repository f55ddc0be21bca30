"""Turning an award decision into a signed Open Badges 3.0 credential row.

Every credential is signed twice with the active key: an embedded ``eddsa-rdfc-2022``
proof (stored JSON-LD) and a VC-JWT. Its id is its public URL, its issuer the cluster's
cooperative (did:web), its recipient a salted hash of the e-mail (never the e-mail).
Every award, whatever its path (settlement, by hand, team, jury), sends
``events.credential_awarded`` from here.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

import badges
from coop_formation import events
from coop_formation.people.models import Member
from coop_formation.recognition.issuers import cooperative_issuer, issuer_profile
from coop_formation.recognition.keys import active_key, base_url
from coop_formation.recognition.models import (
    Achievement,
    AchievementKind,
    Credential,
    new_public_id,
)
from coop_formation.recognition.statuslists import allocate_index, status_list_url

ACHIEVEMENT_TYPES = {
    AchievementKind.TRAINING_FOLLOWED: "Course",
    AchievementKind.PEER_TRAINER: "Badge",
    AchievementKind.COLLABORATIVE_SKILL: "Competency",
    AchievementKind.COLLECTIVE_ACHIEVEMENT: "Award",
}


def credential_url(public_id: str) -> str:
    return f"{base_url()}/credentials/{public_id}"


def achievement_url(achievement: Achievement) -> str:
    return f"{base_url()}/achievements/{achievement.public_id}"


def achievement_definition(achievement: Achievement) -> badges.AchievementDefinition:
    """The OB 3.0 ``Achievement`` of a catalogue entry, aligned to its skills' URIs."""
    alignments = [
        badges.Alignment(target_name=skill.label, target_url=skill.uri)
        for skill in achievement.skills
        if skill.uri and skill.uri.startswith(("http://", "https://"))
    ]
    return badges.AchievementDefinition(
        id=achievement_url(achievement),
        name=achievement.name,
        description=achievement.description,
        criteria_narrative=achievement.criteria,
        image=f"{achievement_url(achievement)}/image",
        image_caption=achievement.name,
        achievement_type=ACHIEVEMENT_TYPES[achievement.kind],
        alignments=alignments,
        creator=issuer_profile(achievement.issuer),
    )


def issue_credential(
    session: Session,
    *,
    achievement: Achievement,
    recipient: Member,
    awarded_by: Member | None,
    evidence: str = "",
    team_name: str | None = None,
    source_key: str | None = None,
    now: datetime,
    valid_until: datetime | None = None,
) -> Credential:
    """Build, sign and store one credential; flushes, then sends ``credential_awarded``."""
    issuer = cooperative_issuer(session, achievement.cluster_id)
    if valid_until is None and achievement.valid_days:
        valid_until = now + timedelta(days=achievement.valid_days)
    status_row, index = allocate_index(session)
    public_id = new_public_id()
    evidence_items = []
    if evidence.strip():
        evidence_items.append(badges.Evidence(name="Preuve", narrative=evidence.strip()))
    options = badges.CredentialOptions(
        valid_until=valid_until,
        evidence=evidence_items,
        team=team_name,
        credential_status=badges.status_entry(status_list_url(status_row), index),
        awarded_date=now,
    )
    unsigned = badges.build_open_badge_credential(
        issuer=issuer_profile(issuer),
        achievement=achievement_definition(achievement),
        recipient=badges.Recipient(email=recipient.email, salt=secrets.token_hex(16)),
        valid_from=now,
        credential_id=credential_url(public_id),
        options=options,
    )
    key_row, key = active_key(session)
    signed = badges.sign_credential(unsigned, key, created=now)
    credential = Credential(
        public_id=public_id,
        cluster_id=achievement.cluster_id,
        achievement=achievement,
        issuer_id=issuer.id,
        recipient_id=recipient.id,
        awarded_by_id=awarded_by.id if awarded_by else None,
        issued_at=now,
        valid_until=valid_until,
        status_list_id=status_row.id,
        status_index=index,
        team_name=team_name,
        evidence=evidence.strip(),
        source_key=source_key,
        key_id=key_row.key_id,
        document=json.dumps(signed, ensure_ascii=False),
        jwt=badges.sign_jwt(unsigned, key),
    )
    session.add(credential)
    session.flush()
    events.credential_awarded.send(session, credential=credential, actor=awarded_by)
    return credential
