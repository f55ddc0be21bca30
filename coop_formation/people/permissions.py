"""Named permissions of the people domain, decided in one place.

:func:`decide` answers for (actor, permission, target). Tenancy comes first: a target in
another cluster, or in another company for a correspondent, is *hidden* (404) rather than
*forbidden* (403), so that its existence does not leak. Profile fields are decided by
:func:`can_read_field`: the HR club and the coop admin get no privilege over them.
"""

from __future__ import annotations

import enum

from coop_formation.errors import Forbidden, NotFound
from coop_formation.people.models import Company, Member, Visibility

MEMBER_READ_PROFILE = "member:read_profile"  # target: Member (their public page)
MEMBER_LIST = "member:list"  # target: Company, or None for "all companies"
MEMBER_IMPORT = "member:import"  # target: Company, or None for "any company"
MEMBER_INVITE = "member:invite"  # target: Member (resend the invitation)
MEMBER_APPOINT = "member:appoint_correspondent"  # target: Member
CHARTER_PUBLISH = "charter:publish"  # target: None (the actor's cluster)
COMPANY_MANAGE = "company:manage"  # target: Company, or None to create one
MANAGE_AREA = "people:manage_area"  # target: None (the /gestion pages at all)

ALL_PERMISSIONS = frozenset(
    {
        MEMBER_READ_PROFILE,
        MEMBER_LIST,
        MEMBER_IMPORT,
        MEMBER_INVITE,
        MEMBER_APPOINT,
        CHARTER_PUBLISH,
        COMPANY_MANAGE,
        MANAGE_AREA,
    }
)


class Decision(enum.Enum):
    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"  # the actor may know the target exists but may not act (403)
    HIDDEN = "hidden"  # the target is outside the actor's reach: answer as if absent (404)


def _cluster_of(target: Member | Company | None) -> int | None:
    return None if target is None else target.cluster_id


def _company_of(target: Member | Company | None) -> int | None:
    if isinstance(target, Company):
        return target.id
    if isinstance(target, Member):
        return target.company_id
    return None


def decide(actor: Member, permission: str, target: Member | Company | None = None) -> Decision:
    """The single rule book of the people domain: roles and tenancy for every permission."""
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if actor is None or actor.is_closed:
        return Decision.FORBIDDEN
    if target is not None and _cluster_of(target) != actor.cluster_id:
        return Decision.HIDDEN
    if isinstance(target, Member) and target.is_closed:
        return Decision.HIDDEN

    if permission == MEMBER_READ_PROFILE:
        return Decision.ALLOWED

    if permission == CHARTER_PUBLISH:
        return Decision.ALLOWED if actor.is_admin else Decision.FORBIDDEN

    if permission == COMPANY_MANAGE:
        return Decision.ALLOWED if actor.is_admin else Decision.FORBIDDEN

    if permission in (MANAGE_AREA, MEMBER_LIST, MEMBER_IMPORT, MEMBER_INVITE, MEMBER_APPOINT):
        if actor.is_admin:
            return Decision.ALLOWED
        if not actor.is_correspondent or actor.company_id is None:
            return Decision.FORBIDDEN
        if permission == MANAGE_AREA:
            return Decision.ALLOWED
        if target is None:
            # "every company" is for the coop admin; a correspondent names their own.
            return Decision.FORBIDDEN
        if _company_of(target) != actor.company_id:
            return Decision.HIDDEN
        return Decision.ALLOWED

    return Decision.FORBIDDEN  # pragma: no cover - every known permission is handled above


def is_allowed(actor: Member, permission: str, target: Member | Company | None = None) -> bool:
    return decide(actor, permission, target) is Decision.ALLOWED


def require(actor: Member, permission: str, target: Member | Company | None = None) -> None:
    """Raise ``NotFound`` (hidden target) or ``Forbidden`` unless the actor is allowed."""
    decision = decide(actor, permission, target)
    if decision is Decision.HIDDEN:
        raise NotFound()
    if decision is Decision.FORBIDDEN:
        raise Forbidden()


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
