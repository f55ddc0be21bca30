"""Charter services: the current version of a cluster's charter, acceptance, publication.

Every member must have accepted the latest version of their cluster's charter; publishing
a new version therefore asks everyone again.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.people.models import Charter, CharterAcceptance, Cluster, Member

TITLE_MAX = 200
BODY_MAX = 50_000


def current_charter(session: Session, cluster_id: int | None = None) -> Charter | None:
    """The latest version for a cluster (for a visitor: the first cluster's, if any)."""
    if cluster_id is None:
        cluster_id = session.scalar(sa.select(Cluster.id).order_by(Cluster.id).limit(1))
        if cluster_id is None:
            return None
    return session.scalar(
        sa.select(Charter)
        .where(Charter.cluster_id == cluster_id)
        .order_by(Charter.version.desc())
        .limit(1)
    )


def pending_charter(session: Session, member: Member) -> Charter | None:
    """The charter version this member still has to accept, or None (one query)."""
    latest = (
        sa.select(Charter.id, Charter.version)
        .where(Charter.cluster_id == member.cluster_id)
        .order_by(Charter.version.desc())
        .limit(1)
        .subquery()
    )
    row = session.execute(
        sa.select(latest.c.id, CharterAcceptance.id)
        .select_from(latest)
        .outerjoin(
            CharterAcceptance,
            sa.and_(
                CharterAcceptance.charter_id == latest.c.id,
                CharterAcceptance.member_id == member.id,
            ),
        )
    ).first()
    if row is None or row[1] is not None:
        return None
    return session.get(Charter, row[0])


def accept_charter(session: Session, actor: Member, charter_id: int) -> CharterAcceptance:
    """Record that ``actor`` accepts this version (idempotent); only the latest can be accepted."""
    latest = current_charter(session, actor.cluster_id)
    if latest is None or latest.id != charter_id:
        raise InvalidInput(_("Cette version de la charte n'est plus la version en vigueur."))
    existing = session.scalar(
        sa.select(CharterAcceptance).where(
            CharterAcceptance.member_id == actor.id, CharterAcceptance.charter_id == latest.id
        )
    )
    if existing is not None:
        return existing
    acceptance = CharterAcceptance(member_id=actor.id, charter_id=latest.id, accepted_at=utcnow())
    session.add(acceptance)
    session.flush()
    return acceptance


def publish_charter(session: Session, actor: Member, title: str, body: str) -> Charter:
    """Publish a new version for the actor's cluster (coop admin only); everyone accepts again."""
    authz.require(actor, Permission.CHARTER_PUBLISH)
    title, body = title.strip(), body.strip()
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput(
            _("Donnez un titre de moins de %(n)s caractères.", n=TITLE_MAX), field="title"
        )
    if not body or len(body) > BODY_MAX:
        raise InvalidInput(_("Le texte de la charte ne peut pas être vide."), field="body")
    last = session.scalar(
        sa.select(sa.func.max(Charter.version)).where(Charter.cluster_id == actor.cluster_id)
    )
    charter = Charter(
        cluster_id=actor.cluster_id,
        version=(last or 0) + 1,
        title=title,
        body=body,
        published_at=utcnow(),
        published_by_id=actor.id,
    )
    session.add(charter)
    session.flush()
    return charter


def get_charter_for(
    session: Session, viewer: Member | None, cluster_id: int | None = None
) -> Charter:
    charter = current_charter(session, viewer.cluster_id if viewer is not None else cluster_id)
    if charter is None:
        raise NotFound(_("Aucune charte n'a encore été publiée."))
    return charter
