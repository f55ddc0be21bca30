"""Pages issue a number of SQL queries that does not grow with the data."""

from __future__ import annotations

from coop_formation.extensions import db
from coop_formation.training.models import SessionStatus
from tests.club.factories import attend, declare, make_members, make_session, need_with_supporters
from tests.factories import NeedFactory, SkillFactory


def _grow(world, n: int, tag: str) -> None:  # type: ignore[no-untyped-def]
    members = make_members(world.alpha, n, f"M{tag}")
    for i in range(n):
        skill = SkillFactory(label=f"Compétence {tag}{i}")
        declare([members[i]], skill)
        need_with_supporters(members[i], skill, members[:2])
        NeedFactory(author=members[i], anonymous=bool(i % 2))
        attend(make_session(members[i], status=SessionStatus.HELD), members[:3])
    db.session.commit()


def _count(client, url: str, count_queries) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm-up: login and caches
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_pages_query_counts_do_not_grow_with_data(client_for, world, count_queries) -> None:  # type: ignore[no-untyped-def]
    hr = client_for(world.hr)
    corr = client_for(world.correspondent_alpha)
    urls = [
        (hr, "/club/carte-des-competences"),
        (hr, "/club/carte-des-competences.csv"),
        (hr, "/club/participation"),
        (hr, "/club/participation.csv"),
        (hr, "/club/formations-mutualisees"),
        (corr, "/correspondant"),
    ]
    _grow(world, 3, "a")
    small = [_count(c, u, count_queries) for c, u in urls]
    _grow(world, 27, "b")
    large = [_count(c, u, count_queries) for c, u in urls]
    assert small == large
    assert max(large) < 30
