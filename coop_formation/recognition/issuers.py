"""Issuers: the cluster's cooperative (signing with the app's did:web keys) and company
issuers registered by the coop admin; together they are the issuers a verifier of the
cluster "knows"."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

import badges
from badges.contexts import OB_V3, VC_V2
from coop_formation.errors import Forbidden, InvalidInput, NotFound
from coop_formation.people.models import Cluster, Company, Member
from coop_formation.recognition.keys import base_url, issuer_did
from coop_formation.recognition.models import Issuer


def cooperative_issuer(session: Session, cluster_id: int) -> Issuer:
    """The cluster's cooperative issuer, created on first use with the app's DID."""
    did = issuer_did()
    issuer = session.execute(
        sa.select(Issuer).where(
            Issuer.cluster_id == cluster_id, Issuer.company_id.is_(None), Issuer.did == did
        )
    ).scalar_one_or_none()
    if issuer is None:
        cluster = session.get(Cluster, cluster_id)
        if cluster is None:
            raise NotFound(_("Grappe introuvable."))
        issuer = Issuer(
            cluster_id=cluster_id,
            name=f"Coopérative de formation — {cluster.name}",
            url=base_url(),
            did=did,
            description="Coopérative de formation de la grappe d'entreprises.",
        )
        session.add(issuer)
        session.flush()
    return issuer


def register_company_issuer(
    session: Session, actor: Member, company_id: int, *, name: str, url: str, did: str
) -> Issuer:
    """A company with its own DID becomes a known issuer of the cluster (coop admin only)."""
    company = session.get(Company, company_id)
    if company is None or company.cluster_id != actor.cluster_id:
        raise NotFound(_("Entreprise introuvable."))
    if not actor.is_admin:
        raise Forbidden(_("Seule l'administration de la coopérative enregistre les émetteurs."))
    if not did.startswith("did:") or not url.startswith("https://"):
        raise InvalidInput(_("Indiquez un DID et une adresse https."), field="did")
    issuer = Issuer(
        cluster_id=company.cluster_id, company_id=company.id, name=name, url=url, did=did
    )
    session.add(issuer)
    session.flush()
    return issuer


def issuer_profile_url(issuer: Issuer) -> str:
    return f"{base_url()}/issuers/{issuer.public_id}"


def issuer_profile(issuer: Issuer) -> badges.IssuerProfile:
    """The OB 3.0 ``Profile`` written into credentials (id = the signing DID)."""
    return badges.IssuerProfile(
        id=issuer.did,
        name=issuer.name,
        url=issuer_profile_url(issuer),
        email=issuer.email,
        description=issuer.description or None,
    )


def issuer_json(issuer: Issuer) -> dict[str, Any]:
    """The public JSON of ``/issuers/<id>`` (an OB 3.0 Profile with its context)."""
    data = issuer_profile(issuer).to_json()
    data["url"] = issuer.url
    return {"@context": [VC_V2, OB_V3], **data}


def get_issuer(session: Session, public_id: str) -> Issuer:
    issuer = session.execute(
        sa.select(Issuer).where(Issuer.public_id == public_id)
    ).scalar_one_or_none()
    if issuer is None:
        raise NotFound(_("Émetteur introuvable."))
    return issuer


def trusted_issuers(session: Session, cluster_id: int | None = None) -> dict[str, str]:
    """DID → name of the issuers known to the cluster (every cluster when None)."""
    query = sa.select(Issuer.did, Issuer.name).order_by(Issuer.id)
    if cluster_id is not None:
        query = query.where(Issuer.cluster_id == cluster_id)
    known: dict[str, str] = {}
    for did, name in session.execute(query):
        known.setdefault(did, name)
    if cluster_id is None or not known:
        known.setdefault(issuer_did(), "Coopérative de formation")
    return known
