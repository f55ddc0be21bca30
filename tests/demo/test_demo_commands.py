"""The ``demo`` and ``seed`` commands: printed logins, synthetic cluster sizes, bad input.

They run next to the demo cluster (seeded once for this folder, see ``conftest.py``), so the
counts below are those of the synthetic cluster, not of the whole database.
"""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation.cli.demo import seed_command
from coop_formation.demo import print_logins
from coop_formation.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD
from coop_formation.demo.synthetic import seed_synthetic
from coop_formation.exchange.models import MemberSkill, Need, Offer, need_skills
from coop_formation.people.models import Cluster, Company, Member


def _count(session, model, *where) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_demo_output_lists_the_six_logins_password_and_outbox():
    lines: list[str] = []
    print_logins("http://127.0.0.1:5000", "/srv/instance/outbox", echo=lines.append)
    text = "\n".join(lines)
    assert "http://127.0.0.1:5000" in text
    assert DEMO_PASSWORD in text and "/srv/instance/outbox" in text
    for email in (
        "membre@alpha.demo",
        "correspondant@alpha.demo",
        "membre@beta.demo",
        "correspondant@beta.demo",
        "rh@club.demo",
        "admin@coop.demo",
    ):
        assert email in text
    assert len(DEMO_ACCOUNTS) == 6


def test_synthetic_seed_creates_the_requested_counts(db_session):
    report = seed_synthetic(db_session, 300, companies=6, password_hash="x")
    cluster = db_session.get(Cluster, report.cluster_id)
    assert cluster.name == "Grappe synthétique 300"
    assert _count(db_session, Company, Company.cluster_id == cluster.id) == 6
    assert _count(db_session, Member, Member.cluster_id == cluster.id) == 300
    assert _count(db_session, Need, Need.cluster_id == cluster.id) == 150
    assert _count(db_session, Offer, Offer.cluster_id == cluster.id) == 30
    members = sa.select(Member.id).where(Member.cluster_id == cluster.id)
    needs = sa.select(Need.id).where(Need.cluster_id == cluster.id)
    assert _count(db_session, MemberSkill, MemberSkill.member_id.in_(members)) == 600
    assert _count(db_session, need_skills, need_skills.c.need_id.in_(needs)) == 300
    with_password = _count(
        db_session, Member, Member.cluster_id == cluster.id, Member.password_hash.is_not(None)
    )
    assert with_password == 6
    assert all(db_session.scalars(sa.select(Need.search_text).where(Need.cluster_id == cluster.id)))


def test_seed_command_builds_a_second_cluster_next_to_the_demo(app, demo, db_session):
    result = app.test_cli_runner().invoke(seed_command, ["--members", "300", "--companies", "5"])
    assert result.exit_code == 0, result.output
    assert "300 membres" in result.output and "150 besoins" in result.output
    clusters = _count(db_session, Cluster)
    assert clusters == 2


def test_seed_command_refuses_zero_members_with_one_line_and_exit_2(
    app, db_session, nothing_written
):
    members = _count(db_session, Member)
    with nothing_written():
        result = app.test_cli_runner().invoke(seed_command, ["--members", "0"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "--members" in result.output
    assert _count(db_session, Member) == members
