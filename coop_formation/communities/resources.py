"""Shared resources of communities: links (http/https only) and checked documents.

Writing needs membership of the community; reading and downloading are open to every
member of the cluster (the shared library of the "université du territoire").
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.communities import uploads
from coop_formation.communities.models import Community, CommunityResource, ResourceKind, Standing
from coop_formation.communities.services import get_community, membership_of
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.exchange.search import normalise, search_words
from coop_formation.people.models import Member

TITLE_MAX = 200
DESCRIPTION_MAX = 2000


@dataclass
class ResourceData:
    title: str
    description: str = ""


def _check(data: ResourceData) -> tuple[str, str]:
    title = " ".join(data.title.split())
    if not title:
        raise InvalidInput(_("Indiquez un titre."), field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(_("Le titre est trop long (200 caractères au plus)."), field="title")
    description = data.description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(_("La description est trop longue."), field="description")
    return title, description


def check_url(url: str) -> str:
    """Only absolute http(s) addresses with a host: no ``javascript:``, ``data:`` or files."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(ch.isspace() for ch in url)
        or len(url) > 1000
    ):
        raise InvalidInput(
            _("Indiquez une adresse web complète commençant par http:// ou https://."), field="url"
        )
    return url


def add_link(
    session: Session, actor: Member, community_id: int, data: ResourceData, url: str
) -> CommunityResource:
    community, _membership = get_community(session, actor, community_id, Permission.COMMUNITY_SHARE)
    title, description = _check(data)
    clean_url = check_url(url)
    resource = CommunityResource(
        community_id=community.id,
        author_id=actor.id,
        kind=ResourceKind.LINK,
        title=title,
        description=description,
        url=clean_url,
        search_text=normalise(f"{title} {description}"),
    )
    session.add(resource)
    session.flush()
    return resource


def add_document(
    session: Session,
    actor: Member,
    community_id: int,
    data: ResourceData,
    *,
    filename: str,
    content: bytes,
    instance_path: str,
) -> CommunityResource:
    """Check the file (size, type, magic bytes), store it under a random name, record it."""
    community, _membership = get_community(session, actor, community_id, Permission.COMMUNITY_SHARE)
    title, description = _check(data)
    checked = uploads.check_upload(filename, content)
    key = uploads.store(instance_path, checked.data)
    resource = CommunityResource(
        community_id=community.id,
        author_id=actor.id,
        kind=ResourceKind.DOCUMENT,
        title=title,
        description=description,
        storage_key=key,
        filename=checked.filename,
        content_type=checked.content_type,
        size_bytes=len(checked.data),
        search_text=normalise(f"{title} {description} {checked.filename}"),
    )
    session.add(resource)
    session.flush()
    return resource


def _resource(session: Session, actor: Member, resource_id: int) -> CommunityResource:
    resource = session.get(CommunityResource, resource_id)
    if resource is None or resource.community.cluster_id != actor.cluster_id:
        raise NotFound()
    return resource


def document_for_download(session: Session, actor: Member, resource_id: int) -> CommunityResource:
    """A document the actor may download (cluster members only; others get 404)."""
    resource = _resource(session, actor, resource_id)
    if resource.kind != ResourceKind.DOCUMENT:
        raise NotFound()
    authz.require(actor, Permission.RESOURCE_DOWNLOAD, resource)
    return resource


def delete_resource(
    session: Session, actor: Member, community_id: int, resource_id: int
) -> str | None:
    """Its author or a moderator removes a resource; returns the storage key to erase."""
    resource = _resource(session, actor, resource_id)
    if resource.community_id != community_id:
        raise NotFound()
    membership = membership_of(session, actor, community_id)
    authz.require(
        actor, Permission.RESOURCE_DELETE, Standing(resource.community, membership).of(resource)
    )
    key = resource.storage_key
    session.delete(resource)
    session.flush()
    return key


def community_resources(
    session: Session, actor: Member, community_id: int
) -> list[CommunityResource]:
    community, _membership = get_community(session, actor, community_id)
    return list(
        session.execute(
            sa.select(CommunityResource)
            .where(CommunityResource.community_id == community.id)
            .options(selectinload(CommunityResource.author))
            .order_by(CommunityResource.created_at.desc(), CommunityResource.id.desc())
            .limit(200)
        ).scalars()
    )


def search_resources(
    session: Session, actor: Member, q: str = "", kind: ResourceKind | None = None
) -> list[CommunityResource]:
    """Resources across the cluster's communities, newest first, matching every word of ``q``."""
    stmt = (
        sa.select(CommunityResource)
        .join(Community, Community.id == CommunityResource.community_id)
        .where(authz.scope(actor, Permission.COMMUNITY_READ))
        .options(selectinload(CommunityResource.community), selectinload(CommunityResource.author))
        .order_by(CommunityResource.created_at.desc(), CommunityResource.id.desc())
        .limit(200)
    )
    for word in search_words(q):
        stmt = stmt.where(
            sa.or_(
                CommunityResource.search_text.contains(word, autoescape=True),
                Community.search_text.contains(word, autoescape=True),
            )
        )
    if kind is not None:
        stmt = stmt.where(CommunityResource.kind == kind)
    return list(session.execute(stmt).scalars())
