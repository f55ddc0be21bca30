"""The permission registry as a role × permission table (flaskr's test_blog.py, scaled up).

Every permission has exactly one rule; nobody anonymous or closed holds a permission that is
not explicitly open to anonymous readers; and for the permissions decided by role, the table
below is the whole truth: each role of the demo cluster is allowed, refused (403) or kept from
knowing the target exists (404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from coop_formation import authz
from coop_formation.authz import Decision, Permission
from coop_formation.db import utcnow
from coop_formation.errors import Forbidden, NotFound
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory, World

ROLES = (
    "member_alpha",
    "correspondent_alpha",
    "correspondent_beta",
    "hr",
    "admin",
)

A = Decision.ALLOWED
F = Decision.FORBIDDEN
H = Decision.HIDDEN


def _none(world: World) -> None:
    return None


def _alpha(world: World) -> Any:
    return world.alpha


def _member_beta(world: World) -> Any:
    return world.member_beta


def _member_alpha(world: World) -> Any:
    return world.member_alpha


#: permission, target, expected decision for each role of ROLES (same order).
TABLE: list[tuple[Permission, Callable[[World], Any], tuple[Decision, ...]]] = [
    (Permission.MANAGE_AREA, _none, (F, A, A, F, A)),
    (Permission.CHARTER_PUBLISH, _none, (F, F, F, F, A)),
    (Permission.COMPANY_MANAGE, _none, (F, F, F, F, A)),
    (Permission.MEMBER_LIST, _alpha, (F, A, H, F, A)),
    (Permission.MEMBER_IMPORT, _alpha, (F, A, H, F, A)),
    (Permission.MEMBER_INVITE, _member_alpha, (F, A, H, F, A)),
    (Permission.MEMBER_APPOINT, _member_alpha, (F, A, H, F, A)),
    (Permission.MEMBER_READ_PROFILE, _member_beta, (A, A, A, F, A)),  # HR-only: aggregates
    (Permission.WALLET_READ, _none, (A, A, A, A, A)),
    (Permission.SEND_CREDITS, _none, (A, A, A, A, A)),
    (Permission.EDIT_POLICY, _none, (F, F, F, F, A)),
    (Permission.CORRECT_TRANSFER, _none, (F, F, F, F, A)),
    (Permission.RECORD_CONTRIBUTION, _none, (F, F, F, A, A)),
    (Permission.READ_CLEARING, _none, (F, F, F, A, A)),
    (Permission.CLUB_READ, _none, (F, F, F, A, A)),
    (Permission.POOLED_PROPOSE, _none, (F, F, F, A, A)),
    (Permission.POOLED_READ, _none, (F, A, A, A, A)),
    (Permission.DASHBOARD_READ, _none, (F, A, A, F, F)),
    (Permission.DASHBOARD_READ, _alpha, (F, A, F, F, F)),
    (Permission.POOLED_JOIN, _alpha, (F, A, F, A, A)),
]


@pytest.mark.parametrize(
    ("permission", "target", "expected"),
    TABLE,
    ids=[f"{p.value}-{t.__name__.strip('_')}" for p, t, _ in TABLE],
)
def test_each_role_gets_the_decision_of_the_table(
    world: World, permission: Permission, target: Callable[[World], Any], expected: tuple
) -> None:
    got = tuple(authz.decide(getattr(world, role), permission, target(world)) for role in ROLES)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))


def test_every_permission_has_exactly_one_rule() -> None:
    assert authz.registered() == frozenset(Permission)


def test_a_target_of_another_cluster_is_hidden_from_everyone(world: World) -> None:
    elsewhere = CompanyFactory(cluster=ClusterFactory())
    stranger = MemberFactory(company=elsewhere)
    for role in ROLES:
        actor = getattr(world, role)
        assert authz.decide(actor, Permission.MEMBER_READ_PROFILE, stranger) is H
        assert authz.decide(actor, Permission.MEMBER_LIST, elsewhere) is H


def test_nobody_anonymous_or_closed_holds_a_members_permission(world: World) -> None:
    closed = world.other_alpha
    closed.closed_at = utcnow()
    for_members = sorted(set(Permission) - authz.open_to_anonymous())
    assert len(for_members) > 60
    granted = [
        permission.value
        for permission in for_members
        if authz.can(None, permission, None)
        or authz.can(closed, permission, None)
        or authz.can(closed, permission, world.alpha)
    ]
    assert granted == []


def test_require_answers_404_for_hidden_and_403_for_forbidden(world: World) -> None:
    with pytest.raises(NotFound):
        authz.require(world.correspondent_beta, Permission.MEMBER_LIST, world.alpha)
    with pytest.raises(Forbidden):
        authz.require(world.member_alpha, Permission.MEMBER_LIST, world.alpha)
    authz.require(world.correspondent_alpha, Permission.MEMBER_LIST, world.alpha)
