"""Peer endorsement: a member vouches for a colleague's skill (OB 3.0
``EndorsementCredential`` signed by the cooperative on the endorser's behalf).

Limited against spam: one endorsement per (endorser, colleague, skill) and at most
:data:`DAILY_LIMIT` per endorser in any 24 hours. Public documents never carry names.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

import badges
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from coop_formation.exchange.models import Skill, SkillStatus
from coop_formation.people.models import Member
from coop_formation.recognition import rules
from coop_formation.recognition.issuers import cooperative_issuer, issuer_profile
from coop_formation.recognition.keys import active_key, base_url
from coop_formation.recognition.models import Endorsement, new_public_id

DAILY_LIMIT = 5
MAX_COMMENT = 1000


def endorse(
    session: Session,
    actor: Member,
    *,
    endorsed_id: int,
    skill_id: int,
    comment: str,
    now: datetime | None = None,
) -> Endorsement:
    """Record and sign an endorsement; raises :class:`LimitExceeded` past the daily limit."""
    now = now or utcnow()
    endorsed = session.get(Member, endorsed_id)
    if endorsed is None:
        raise NotFound(_("Membre introuvable."))
    rules.require(actor, Permission.ENDORSE, endorsed)
    skill = session.get(Skill, skill_id)
    if skill is None or skill.status != SkillStatus.APPROVED:
        raise InvalidInput(_("Choisissez une compétence du référentiel."), field="skill_id")
    comment = comment.strip()
    if not comment:
        raise InvalidInput(_("Dites en quelques mots ce que vous avez constaté."), field="comment")
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(_("Message trop long (1000 caractères au plus)."), field="comment")
    duplicate = session.execute(
        sa.select(Endorsement.id).where(
            Endorsement.endorser_id == actor.id,
            Endorsement.endorsed_id == endorsed.id,
            Endorsement.skill_id == skill.id,
        )
    ).first()
    if duplicate is not None:
        raise Conflict(_("Vous avez déjà recommandé cette personne pour cette compétence."))
    recent = session.execute(
        sa.select(sa.func.count(Endorsement.id)).where(
            Endorsement.endorser_id == actor.id,
            Endorsement.created_at > now - timedelta(days=1),
        )
    ).scalar_one()
    if recent >= DAILY_LIMIT:
        raise LimitExceeded(
            _("Vous avez fait %(n)s recommandations en 24 heures : revenez demain.", n=DAILY_LIMIT)
        )
    public_id = new_public_id()
    issuer = cooperative_issuer(session, actor.cluster_id)
    unsigned = badges.build_endorsement_credential(
        issuer=issuer_profile(issuer),
        endorsed_id=f"{base_url()}/members/{endorsed.id}",
        comment=comment,
        valid_from=now,
        name=f"Recommandation : {skill.label}"[:200],
        credential_id=f"{base_url()}/endorsements/{public_id}",
    )
    _row, key = active_key(session)
    endorsement = Endorsement(
        public_id=public_id,
        cluster_id=actor.cluster_id,
        endorser_id=actor.id,
        endorsed_id=endorsed.id,
        skill_id=skill.id,
        comment=comment,
        document=json.dumps(badges.sign_credential(unsigned, key, created=now), ensure_ascii=False),
        created_at=now,
    )
    session.add(endorsement)
    session.flush()
    return endorsement


def endorsements_received(session: Session, member: Member) -> list[Endorsement]:
    return list(
        session.execute(
            sa.select(Endorsement)
            .where(Endorsement.endorsed_id == member.id)
            .options(selectinload(Endorsement.endorser), selectinload(Endorsement.skill))
            .order_by(Endorsement.created_at.desc())
        ).scalars()
    )


def get_own_endorsement(session: Session, actor: Member, public_id: str) -> Endorsement:
    """An endorsement received by ``actor`` (to download it)."""
    endorsement = session.execute(
        sa.select(Endorsement).where(Endorsement.public_id == public_id)
    ).scalar_one_or_none()
    if endorsement is None or endorsement.endorsed_id != actor.id:
        raise NotFound(_("Recommandation introuvable."))
    return endorsement
