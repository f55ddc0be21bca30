"""Pools of similar needs: candidates from visible needs only, anonymity, one session."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coop_formation.db import utcnow
from coop_formation.exchange.models import NeedStatus, NeedVisibility
from coop_formation.extensions import db
from coop_formation.matching import services
from coop_formation.matching.models import Pool, PoolStatus
from coop_formation.notifications.models import Notification
from coop_formation.training.models import TrainingSession
from tests.factories import MemberFactory
from tests.matching.factories import make_need, make_tree

CLUSTER = NeedVisibility.CLUSTER


@pytest.fixture()
def tree(world):  # type: ignore[no-untyped-def]
    return make_tree()


@pytest.fixture()
def pair(world, tree):  # type: ignore[no-untyped-def]
    alpha = make_need(
        world.member_alpha, [tree.welding], title="Soudure TIG", anonymous=True, visibility=CLUSTER
    )
    beta = make_need(
        world.member_beta, [tree.welding], title="Soudure TIG inox", visibility=CLUSTER
    )
    db.session.commit()
    return alpha, beta


def test_candidates_group_similar_needs_of_two_companies(world, pair):
    groups = services.pool_candidates(db.session, world.correspondent_alpha)
    assert [sorted(g.need_ids) for g in groups] == [sorted(n.id for n in pair)]
    assert groups[0].companies == 2


def test_candidates_group_by_text_when_no_skill(world):
    a = make_need(world.member_alpha, [], title="Anglais technique export", visibility=CLUSTER)
    b = make_need(world.member_beta, [], title="Anglais technique", visibility=CLUSTER)
    groups = services.pool_candidates(db.session, world.correspondent_beta)
    assert [sorted(g.need_ids) for g in groups] == [sorted([a.id, b.id])]


def test_candidates_never_include_another_company_private_need(world, tree):
    make_need(world.member_alpha, [tree.welding], title="Soudure TIG")  # company only
    make_need(world.member_beta, [tree.welding], title="Soudure TIG", visibility=CLUSTER)
    assert services.pool_candidates(db.session, world.correspondent_beta) == []


def test_pool_cannot_take_a_need_the_correspondent_may_not_read(
    world, tree, client_for, nothing_written
):
    hidden = make_need(world.member_alpha, [tree.welding], title="Soudure TIG")
    seen = make_need(world.member_beta, [tree.welding], title="Soudure TIG", visibility=CLUSTER)
    db.session.commit()
    client = client_for(world.correspondent_beta)
    with nothing_written():
        response = client.post(
            "/mutualisation", data={"title": "Soudure", "need_ids": [hidden.id, seen.id]}
        )
    assert response.status_code == 422
    assert "ne peuvent pas être mutualisés" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Pool)) == 0


def test_pooling_notifies_authors_and_keeps_anonymity(world, pair, client_for):
    client = client_for(world.correspondent_beta)
    page = client.get("/mutualisation").get_data(as_text=True)
    assert "Auteur anonyme" in page and world.member_alpha.display_name not in page
    response = client.post(
        "/mutualisation", data={"title": "Soudure TIG", "need_ids": [n.id for n in pair]}
    )
    assert response.status_code == 302
    pool = db.session.scalars(sa.select(Pool)).one()
    notes = db.session.scalars(
        sa.select(Notification).where(Notification.kind == "need_pooled")
    ).all()
    assert {n.recipient_id for n in notes} == {world.member_alpha.id, world.member_beta.id}
    assert all(world.member_alpha.display_name not in f"{n.subject} {n.body}" for n in notes)
    detail = client.get(f"/mutualisation/{pool.id}").get_data(as_text=True)
    assert "Auteur anonyme" in detail and world.member_alpha.display_name not in detail
    # the anonymous author follows the link from the notification
    own = client_for(world.member_alpha).get(f"/mutualisation/{pool.id}")
    assert own.status_code == 200


@pytest.mark.parametrize("who", ["other_alpha", "member_beta", "hr"])
def test_members_and_hr_cannot_use_pool_pages(world, pair, client_for, who):
    pool = services.create_pool(
        db.session, world.correspondent_alpha, "Soudure", [n.id for n in pair]
    )
    db.session.commit()
    client = client_for(getattr(world, who))
    # An HR-club-only account reaches none of the member-level rooms: they answer as absent.
    assert client.get("/mutualisation").status_code == (404 if who == "hr" else 403)
    expected = 200 if who == "member_beta" else 404  # member_beta wrote a pooled need
    assert client.get(f"/mutualisation/{pool.id}").status_code == expected


def test_pool_page_hides_needs_the_viewer_may_not_read(world, tree):
    private = make_need(world.member_alpha, [tree.welding], title="Soudure secrète")
    shared = make_need(world.member_beta, [tree.welding], title="Soudure TIG", visibility=CLUSTER)
    pool = services.create_pool(
        db.session, world.correspondent_alpha, "Soudure", [private.id, shared.id]
    )
    page = services.pool_page(db.session, world.correspondent_beta, pool.id)
    assert [i.need.id for i in page.items] == [shared.id] and page.hidden == 1


def test_pool_becomes_one_session_and_needs_are_matched(world, pair, client_for):
    pool = services.create_pool(
        db.session, world.correspondent_alpha, "Soudure", [n.id for n in pair]
    )
    db.session.commit()
    client = client_for(world.correspondent_alpha)
    assert client.get(f"/sessions/nouvelle?pool={pool.id}").status_code == 200
    day = (utcnow() + timedelta(days=20)).date().isoformat()
    data = {
        "title": "Soudure TIG commune",
        "description": "",
        "format": "training",
        "language": "fr",
        "capacity": "6",
        "venue_id": "0",
        "remote_url": "https://visio.example.test/salle",
        "time_kind": "work",
        "trainer_id": str(world.other_alpha.id),
        "slots-0-day": day,
        "slots-0-start": "09:00",
        "slots-0-end": "12:00",
    }
    response = client.post(f"/sessions/nouvelle?pool={pool.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    created = db.session.scalars(sa.select(TrainingSession)).one()
    assert created.pool_id == pool.id and created.trainer_id == world.other_alpha.id
    db.session.expire_all()
    assert db.session.get(Pool, pool.id).status == PoolStatus.SCHEDULED
    assert {n.status for n in pair} == {NeedStatus.MATCHED}
    assert client.get(f"/sessions/nouvelle?pool={pool.id}").status_code == 409


def test_member_cannot_turn_a_pool_into_a_session(world, pair, client_for, nothing_written):
    pool = services.create_pool(
        db.session, world.correspondent_alpha, "Soudure", [n.id for n in pair]
    )
    db.session.commit()
    author, stranger = client_for(world.member_beta), client_for(world.other_alpha)
    assert author.get(f"/sessions/nouvelle?pool={pool.id}").status_code == 403
    assert stranger.get(f"/sessions/nouvelle?pool={pool.id}").status_code == 404
    with nothing_written():
        assert author.post(f"/sessions/nouvelle?pool={pool.id}").status_code == 403
        assert stranger.post(f"/sessions/nouvelle?pool={pool.id}").status_code == 404


def _needs(world, tree, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        author = MemberFactory(company=world.alpha if i % 2 else world.beta)
        make_need(
            author,
            [tree.welding if i % 3 else tree.spreadsheet],
            title=f"Besoin {i}",
            visibility=CLUSTER,
            anonymous=bool(i % 2),
        )


def test_candidate_queries_do_not_grow_with_data(world, tree, count_queries):
    _needs(world, tree, 3)
    db.session.expire_all()
    with count_queries() as small:
        services.pool_candidates(db.session, world.correspondent_alpha)
    _needs(world, tree, 30)
    db.session.expire_all()
    with count_queries() as large:
        groups = services.pool_candidates(db.session, world.correspondent_alpha)
    assert sum(len(g.items) for g in groups) == 33
    assert len(large) == len(small) <= 4
