"""The community rules as the registry answers them: cluster first (404), then membership
(403), moderation for moderators and the coop admin, and authorship for posts."""

from __future__ import annotations

import pytest

from coop_formation import authz
from coop_formation.authz import Decision, Permission
from coop_formation.communities import services
from coop_formation.extensions import db
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory

A, F, H = Decision.ALLOWED, Decision.FORBIDDEN, Decision.HIDDEN

#: member_alpha created "Tableurs" (moderator), member_beta joined it, the others did not.
ROLES = ("member_alpha", "member_beta", "correspondent_alpha", "admin")


@pytest.mark.parametrize(
    ("permission", "expected"),
    [
        (Permission.COMMUNITY_READ, (A, A, A, A)),
        (Permission.COMMUNITY_JOIN, (A, A, A, A)),
        (Permission.COMMUNITY_POST, (A, A, F, F)),
        (Permission.COMMUNITY_SHARE, (A, A, F, F)),
        (Permission.COMMUNITY_MEMBERS_READ, (A, A, F, F)),
        (Permission.COMMUNITY_LINK_SESSION, (A, A, F, F)),
        (Permission.COMMUNITY_MODERATE, (A, F, F, A)),
    ],
    ids=lambda value: value.value if isinstance(value, Permission) else None,
)
def test_each_role_gets_the_decision_of_the_table(world, community, permission, expected):  # type: ignore[no-untyped-def]
    got = tuple(authz.decide(getattr(world, role), permission, community) for role in ROLES)
    assert got == expected


def test_another_clusters_community_is_hidden_from_everyone(world, community):  # type: ignore[no-untyped-def]
    stranger = MemberFactory(company=CompanyFactory(cluster=ClusterFactory()))
    for permission in (Permission.COMMUNITY_READ, Permission.COMMUNITY_MODERATE):
        assert authz.decide(stranger, permission, community) is H


def test_only_the_author_edits_a_post_and_not_once_withdrawn(world, community):  # type: ignore[no-untyped-def]
    post = services.add_post(db.session, world.member_beta, community.id, "Bonjour")
    assert authz.decide(world.member_beta, Permission.POST_EDIT, post) is A
    assert authz.decide(world.member_alpha, Permission.POST_EDIT, post) is F
    post.deleted = True
    assert authz.decide(world.member_beta, Permission.POST_EDIT, post) is F


def test_scope_lists_the_communities_of_the_readers_cluster(world, community):  # type: ignore[no-untyped-def]
    stranger = MemberFactory(company=CompanyFactory(cluster=ClusterFactory()))
    mine, _ = services.list_communities(db.session, world.correspondent_alpha)
    theirs, _ = services.list_communities(db.session, stranger)
    assert community in mine and community not in theirs
