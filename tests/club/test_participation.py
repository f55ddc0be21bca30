"""Participation per company: counts of people only, masked under 5, rates masked with them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from coop_formation.extensions import db
from coop_formation.people.models import Member
from coop_formation.training.models import SessionStatus
from tests.club.factories import NOW, attend, make_members, make_session, need_with_supporters
from tests.factories import NeedFactory, SkillFactory


def _populate(world):  # type: ignore[no-untyped-def]
    """Alpha: 7 participants (2 learners, 1 trainer, 1 author, 3 supporters); Beta: 2."""
    alpha = make_members(world.alpha, 7, "Alpha")
    held = make_session(alpha[0], status=SessionStatus.HELD)
    attend(held, alpha[1:3])
    skill = SkillFactory(label="Gestion de projet")
    need_with_supporters(alpha[3], skill, alpha[4:7])
    beta = make_members(world.beta, 2, "Beta")
    NeedFactory(author=beta[0])
    NeedFactory(author=beta[1])
    # Not participation: a planned session not yet held, an enrolment without attendance.
    planned = make_session(
        alpha[0], status=SessionStatus.PLANNED, starts_at=NOW + timedelta(days=5)
    )
    attend(planned, [])
    db.session.commit()
    return alpha, beta


def _cells(html: str, label: str) -> list[str]:
    row = re.search(r"<th scope=\"row\">" + re.escape(label) + r"</th>(.*?)</tr>", html, re.S)
    assert row, label
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_participation_counts_and_masks_per_company(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _populate(world)
    html = client_for(world.hr).get("/club/participation").get_data(as_text=True)
    # 7 is published 5 or 10 (cell-key rounding), its rate from the published count.
    assert _cells(html, "Alpha") in (["100", "5", "5,0 %"], ["100", "10", "10,0 %"])
    assert _cells(html, "Beta") == ["100", "&lt; 5", "&lt; 5"]
    # The total (9 people) is rounded on its own: Total − Alpha is 0 or 5, never Beta's 2.
    total = _cells(html, "Total")
    assert total in (["200", "5", "2,5 %"], ["200", "10", "5,0 %"])
    assert abs(int(total[1]) - int(_cells(html, "Alpha")[1])) in (0, 5)
    assert "écrit un besoin ou rejoint un besoin" in html


def test_participation_csv_masks_the_same_cells(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _populate(world)
    body = client_for(world.hr).get("/club/participation.csv").get_data(as_text=True)
    lines = body.splitlines()
    alpha = next(line for line in lines if line.startswith("Alpha;"))
    assert alpha in ("Alpha;100;5;5.0", "Alpha;100;10;10.0")
    assert "Beta;100;;" in lines
    assert any(line in ("Total;200;5;2.5", "Total;200;10;5.0") for line in lines)
    assert "k-anonymat" in body
    month = NOW.strftime("%Y-%m")
    # The month counts Alpha (7) and Beta (2): rounded to 5 or 10, like Alpha alone, so
    # "with Beta − without" gives 0 or 5, never 2.
    both = next(line for line in lines if line.startswith(f"{month};"))
    alpha_only = client_for(world.hr).get(f"/club/participation.csv?companies={world.alpha.id}")
    alone = next(
        line
        for line in alpha_only.get_data(as_text=True).splitlines()
        if line.startswith(f"{month};")
    )
    assert both.split(";")[1] in ("5", "10") and alone.split(";")[1] in ("5", "10")
    assert abs(int(both.split(";")[1]) - int(alone.split(";")[1])) in (0, 5)


def test_total_is_shown_when_no_company_is_masked(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _populate(world)
    html = (
        client_for(world.hr)
        .get(f"/club/participation?companies={world.alpha.id}")
        .get_data(as_text=True)
    )
    # The total is the same people as Alpha's row: the same cell key, the same figure.
    assert _cells(html, "Total") == _cells(html, "Alpha")
    assert _cells(html, "Total") in (["100", "5", "5,0 %"], ["100", "10", "10,0 %"])
    assert "Beta" not in re.sub(r"<option.*?</option>", "", html, flags=re.S)


def test_no_member_name_in_participation_page_or_csv(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _populate(world)
    client = client_for(world.admin)
    html = client.get("/club/participation").get_data(as_text=True)
    body = client.get("/club/participation.csv").get_data(as_text=True)
    names = [n for (n,) in db.session.query(Member.display_name) if n != world.admin.display_name]
    for name in names:
        assert name not in html and name not in body, name


def test_period_outside_activity_shows_nothing_but_masked_cells(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _populate(world)
    html = (
        client_for(world.hr)
        .get("/club/participation?start=2020-01-01&end=2020-03-31")
        .get_data(as_text=True)
    )
    assert _cells(html, "Alpha") == ["100", "&lt; 5", "&lt; 5"]
    assert _cells(html, "2020-02") == ["&lt; 5", "&lt; 5"]


@pytest.mark.parametrize(
    "instant",
    [
        datetime(2027, 3, 1, 9, 0, tzinfo=UTC),  # the first morning of a month
        datetime(2027, 12, 31, 23, 30, tzinfo=UTC),  # New Year's Eve (already 1 January in Paris)
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),  # Europe/Paris springs forward at 01:00 UTC
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),  # Europe/Paris falls back at 01:00 UTC
    ],
    ids=["first-of-month", "new-years-eve", "dst-spring", "dst-autumn"],
)
def test_a_session_held_this_morning_counts_in_the_current_month_at_any_date(
    client_for, world, clock, instant
) -> None:  # type: ignore[no-untyped-def]
    clock.move_to(instant)
    alpha = make_members(world.alpha, 6, "Alpha")
    held = make_session(alpha[0], starts_at=instant - timedelta(hours=2, minutes=30))
    attend(held, alpha[1:6])
    db.session.commit()
    month = (instant - timedelta(minutes=30)).strftime("%Y-%m")
    body = client_for(world.hr).get(f"/club/participation.csv?companies={world.alpha.id}")
    lines = body.get_data(as_text=True).splitlines()
    assert f"{month};5;5.0" in lines or f"{month};10;10.0" in lines
