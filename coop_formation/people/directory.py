"""Management services: member lists, companies, correspondents, invitations to resend.

A correspondent works on their own company only; the coop admin on every company of their
cluster. The HR club has no member-level access here.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.paging import Page, page_of
from coop_formation.people.accounts import create_invitation
from coop_formation.people.mails import OutgoingMail
from coop_formation.people.models import Company, Member


def get_company(session: Session, actor: Member, company_id: int) -> Company:
    """A company of the actor's cluster, or ``NotFound``."""
    company = session.get(Company, company_id)
    if company is None or company.cluster_id != actor.cluster_id:
        raise NotFound()
    return company


def list_companies(session: Session, actor: Member) -> list[Company]:
    return list(
        session.scalars(
            sa.select(Company).where(Company.cluster_id == actor.cluster_id).order_by(Company.name)
        )
    )


def managed_companies(session: Session, actor: Member) -> list[Company]:
    """Companies whose members the actor may manage (all for the admin, their own otherwise)."""
    authz.require(actor, Permission.MANAGE_AREA)
    if authz.can(actor, Permission.MEMBER_LIST):  # every company: the coop admin
        return list_companies(session, actor)
    return [get_company(session, actor, actor.company_id)] if actor.company_id else []


def list_members(
    session: Session, actor: Member, company_id: int | None, page: int, per_page: int
) -> Page[Member]:
    """Open accounts of one company (or all companies for the admin), by name."""
    company = get_company(session, actor, company_id) if company_id is not None else None
    if company is None and not authz.can(actor, Permission.MEMBER_LIST):
        company = get_company(session, actor, actor.company_id) if actor.company_id else None
    authz.require(actor, Permission.MEMBER_LIST, company)
    where = [Member.cluster_id == actor.cluster_id, Member.closed_at.is_(None)]
    if company is not None:
        where.append(Member.company_id == company.id)
    total = session.scalar(sa.select(sa.func.count(Member.id)).where(*where)) or 0
    number = max(1, min(page, max(1, -(-total // per_page))))
    items = list(
        session.scalars(
            sa.select(Member)
            .where(*where)
            .options(selectinload(Member.company))
            .order_by(Member.display_name, Member.id)
            .limit(per_page)
            .offset((number - 1) * per_page)
        )
    )
    return page_of(items, number, per_page, total)


def get_managed_member(
    session: Session, actor: Member, member_id: int, permission: Permission
) -> Member:
    """A member the actor may act on with ``permission``; hidden ones answer ``NotFound``."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound()
    authz.require(actor, permission, member)
    return member


def resend_invitation(session: Session, actor: Member, member_id: int) -> OutgoingMail:
    member = get_managed_member(session, actor, member_id, Permission.MEMBER_INVITE)
    return create_invitation(session, member)


def set_correspondent(session: Session, actor: Member, member_id: int, appointed: bool) -> Member:
    """Appoint or remove a correspondent (coop admin, or a correspondent of the same company)."""
    member = get_managed_member(session, actor, member_id, Permission.MEMBER_APPOINT)
    if member.company_id is None:
        raise InvalidInput(_("Seul un membre d'une entreprise peut être correspondant formation."))
    member.is_correspondent = appointed
    session.flush()
    return member


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def _check_company_fields(
    session: Session, actor: Member, name: str, headcount: int | None, exclude_id: int | None
) -> tuple[str, str]:
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput(_("Donnez un nom (200 caractères au plus)."), field="name")
    if headcount is not None and headcount < 0:
        raise InvalidInput(_("L'effectif ne peut pas être négatif."), field="headcount")
    slug = slugify(name)
    if not slug:
        raise InvalidInput(
            _("Ce nom doit contenir au moins une lettre ou un chiffre."), field="name"
        )
    clash = session.scalar(
        sa.select(Company.id).where(
            Company.cluster_id == actor.cluster_id,
            sa.or_(Company.slug == slug, sa.func.lower(Company.name) == name.lower()),
            Company.id != (exclude_id or 0),
        )
    )
    if clash is not None:
        raise InvalidInput(_("Une entreprise porte déjà ce nom."), field="name")
    return name, slug


def create_company(session: Session, actor: Member, name: str, headcount: int | None) -> Company:
    authz.require(actor, Permission.COMPANY_MANAGE)
    name, slug = _check_company_fields(session, actor, name, headcount, None)
    company = Company(cluster_id=actor.cluster_id, name=name, slug=slug, headcount=headcount)
    session.add(company)
    session.flush()
    return company


def update_company(
    session: Session, actor: Member, company_id: int, name: str, headcount: int | None
) -> Company:
    """Rename a company or change its headcount; its slug (used by imports) follows the name."""
    company = get_company(session, actor, company_id)
    authz.require(actor, Permission.COMPANY_MANAGE, company)
    name, slug = _check_company_fields(session, actor, name, headcount, company.id)
    company.name, company.slug, company.headcount = name, slug, headcount
    session.flush()
    return company


def member_counts(session: Session, actor: Member) -> dict[int, int]:
    """Open accounts per company of the actor's cluster (for the companies page)."""
    authz.require(actor, Permission.COMPANY_MANAGE)
    rows = session.execute(
        sa.select(Member.company_id, sa.func.count(Member.id))
        .where(Member.cluster_id == actor.cluster_id, Member.closed_at.is_(None))
        .group_by(Member.company_id)
    )
    return {company_id: count for company_id, count in rows if company_id is not None}
