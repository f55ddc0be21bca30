"""No two HR-club exports, over any whole-month windows or company groups, differ by 1–4 people."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta

from coop_formation.extensions import db
from tests.club.factories import attend, declare, make_members, make_session, need_with_supporters


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _populate(world, skill_tree) -> None:  # type: ignore[no-untyped-def]
    """Half a year of activity in two companies, a few new people each month."""
    rng = random.Random(10)
    alpha = make_members(world.alpha, 40, "Alpha")
    beta = make_members(world.beta, 25, "Beta")
    skills = [skill_tree["sheets"], skill_tree["writing"], skill_tree["welding"]]
    for month in range(1, 7):
        at = datetime(2026, month, 10, 9, tzinfo=UTC)
        for staff in (alpha, beta):
            held = make_session(staff[0], starts_at=at)
            attend(held, rng.sample(staff[1:], rng.randint(3, 12)))
            for skill in skills:
                group = rng.sample(staff, rng.randint(1, 7))
                need_with_supporters(group[0], skill, group[1:], created_at=at)
    for skill in skills:
        declare(rng.sample(alpha + beta, rng.randint(4, 20)), skill)
    db.session.commit()


def _numbers(body: str) -> dict[tuple[str, int], int]:
    """Every whole-number cell of an export, keyed by its row's labels and its column."""
    cells: dict[tuple[str, int], int] = {}
    for line in body.splitlines():
        fields = line.split(";")
        label = ";".join(f for f in fields if not f.isdigit() and "." not in f)
        for index, field in enumerate(fields):
            if field.isdigit():
                cells[(label, index)] = int(field)
    return cells


def test_no_two_exports_differ_by_one_to_four_people(client_for, world, skill_tree) -> None:  # type: ignore[no-untyped-def]
    _populate(world, skill_tree)
    client = client_for(world.hr)
    groups = [
        f"&companies={world.alpha.id}",
        f"&companies={world.beta.id}",
        f"&companies={world.alpha.id}&companies={world.beta.id}",
    ]
    windows = [(a, b) for a in range(1, 7) for b in range(a, 7)]
    exports = []
    for companies in groups:
        for first, last in windows:
            query = f"?start=2026-{first:02d}-01&end={_month_end(2026, last).isoformat()}"
            for path in ("/club/participation.csv", "/club/carte-des-competences.csv"):
                response = client.get(path + query + companies)
                assert response.status_code == 200
                exports.append(_numbers(response.get_data(as_text=True)))
    compared = 0
    for one, two in itertools.combinations(exports, 2):
        for key in one.keys() & two.keys():
            compared += 1
            assert abs(one[key] - two[key]) not in (1, 2, 3, 4), key
    assert compared > 10_000  # the picture is not all masked: many cells are compared
