"""Access rules of the people domain, registered in :mod:`coop_formation.authz`.

Tenancy comes first: a target in another cluster, or in another company for a
correspondent, is *hidden* (404) rather than *forbidden* (403), so that its existence
does not leak. Profile fields are decided by :func:`can_read_field`: the HR club and the
coop admin get no privilege over them.
"""

from __future__ import annotations

from typing import Any

from coop_formation.authz import Decision, Permission, rule
from coop_formation.people.models import Company, Member, MobilityWish, Visibility


def _cluster_of(target: Member | Company | None) -> int | None:
    return None if target is None else target.cluster_id


def _company_of(target: Member | Company | None) -> int | None:
    if isinstance(target, Company):
        return target.id
    if isinstance(target, Member):
        return target.company_id
    return None


def _tenancy(actor: Member, target: Member | Company | None) -> Decision | None:
    """HIDDEN for a target outside the actor's cluster or a closed account; else None."""
    if target is not None and _cluster_of(target) != actor.cluster_id:
        return Decision.HIDDEN
    if isinstance(target, Member) and target.is_closed:
        return Decision.HIDDEN
    return None


def hr_club_only(actor: Member | None) -> bool:
    """An HR-club account with no company: it reads aggregates (club pages) and nothing else.

    An HR person who is also an employee reads what employees read: the role adds nothing.
    """
    return bool(
        actor is not None
        and getattr(actor, "is_hr_club", False)
        and getattr(actor, "company_id", None) is None
        and not getattr(actor, "is_admin", False)
    )


@rule(Permission.MEMBER_READ_PROFILE)
def read_profile(actor: Member, target: Member) -> Decision:
    hidden = _tenancy(actor, target)
    if hidden is not None:
        return hidden
    if hr_club_only(actor) and target is not None and target.id != actor.id:
        return Decision.FORBIDDEN
    return Decision.ALLOWED


@rule(Permission.CHARTER_PUBLISH, Permission.COMPANY_MANAGE)
def admin_only(actor: Member, target: Company | None) -> Decision:
    hidden = _tenancy(actor, target)
    if hidden is not None:
        return hidden
    return Decision.ALLOWED if actor.is_admin else Decision.FORBIDDEN


@rule(Permission.MANAGE_AREA)
def manage_area(actor: Member, target: Any = None) -> Decision:
    """The /gestion pages at all: the coop admin, or a correspondent of a company."""
    hidden = _tenancy(actor, target)
    if hidden is not None:
        return hidden
    if actor.is_admin or (actor.is_correspondent and actor.company_id is not None):
        return Decision.ALLOWED
    return Decision.FORBIDDEN


@rule(
    Permission.MEMBER_LIST,
    Permission.MEMBER_IMPORT,
    Permission.MEMBER_INVITE,
    Permission.MEMBER_APPOINT,
)
def manage_members(actor: Member, target: Member | Company | None) -> Decision:
    """The admin for every company of the cluster; a correspondent for their own company."""
    hidden = _tenancy(actor, target)
    if hidden is not None:
        return hidden
    if actor.is_admin:
        return Decision.ALLOWED
    if not actor.is_correspondent or actor.company_id is None:
        return Decision.FORBIDDEN
    if target is None:
        # "every company" is for the coop admin; a correspondent names their own.
        return Decision.FORBIDDEN
    if _company_of(target) != actor.company_id:
        return Decision.HIDDEN
    return Decision.ALLOWED


def reader_still_allowed(reader: Member, author: Member) -> bool:
    """A reader named on a wish keeps reading it only while their role allows it."""
    if reader.cluster_id != author.cluster_id:
        return False
    if reader.is_hr_club:
        return True
    return bool(reader.is_correspondent and reader.company_id == author.company_id)


@rule(Permission.MOBILITY_READ)
def read_mobility_wish(actor: Member, wish: MobilityWish) -> Decision:
    """The author, or a reader they named who still holds the role; nobody else knows of it."""
    if wish.member_id == actor.id:
        return Decision.ALLOWED
    author = wish.member
    if author is None or author.is_closed:
        return Decision.HIDDEN
    named = any(row.reader_id == actor.id for row in wish.readers)
    if (
        named
        and (actor.is_correspondent or actor.is_hr_club)
        and reader_still_allowed(actor, author)
    ):
        return Decision.ALLOWED
    return Decision.HIDDEN


def can_read_field(viewer: Member | None, owner: Member, visibility: Visibility) -> bool:
    """Whether ``viewer`` may read a profile field of ``owner`` shown to ``visibility``.

    The owner always reads their own fields; nobody reads a closed account's fields; roles
    (HR club, correspondent, admin) grant nothing here: only the audience the member chose.
    """
    if viewer is None or owner.is_closed:
        return False
    if viewer.id == owner.id:
        return True
    if viewer.cluster_id != owner.cluster_id:
        return False
    if visibility == Visibility.CLUSTER:
        return True
    if visibility == Visibility.COMPANY:
        return owner.company_id is not None and viewer.company_id == owner.company_id
    return False
