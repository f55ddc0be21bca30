"""Who may NOT use each club page and CSV: anonymous, members, the wrong role or company."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coop_formation.club.models import PooledTraining
from coop_formation.extensions import db
from tests.factories import ClusterFactory, CompanyFactory

HR_PAGES = [
    "/club",
    "/club/carte-des-competences",
    "/club/carte-des-competences.csv",
    "/club/participation",
    "/club/participation.csv",
]


@pytest.fixture()
def training(world):  # type: ignore[no-untyped-def]
    item = PooledTraining(
        cluster_id=world.cluster.id,
        proposed_by_id=world.hr.id,
        provider="Organisme",
        title="Habilitation électrique",
        price_cents=120000,
        seats=10,
        deadline=datetime.now(UTC).date() + timedelta(days=30),
    )
    db.session.add(item)
    db.session.commit()
    return item


def pooled_pages(training_id: int) -> list[str]:
    return [
        "/club/formations-mutualisees",
        f"/club/formations-mutualisees/{training_id}",
        f"/club/formations-mutualisees/{training_id}.csv",
    ]


def test_anonymous_visitors_are_sent_to_login(client, world, training, nothing_written) -> None:  # type: ignore[no-untyped-def]
    for url in [*HR_PAGES, "/correspondant", *pooled_pages(training.id)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]
    with nothing_written():
        response = client.post(
            f"/club/formations-mutualisees/{training.id}/places",
            data={"company_id": world.alpha.id, "seats": 2},
        )
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["member_alpha", "correspondent_alpha", "member_beta"])
def test_members_and_correspondents_get_403_on_hr_pages(client_for, world, who) -> None:  # type: ignore[no-untyped-def]
    client = client_for(getattr(world, who))
    for url in HR_PAGES:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_hr_club_and_admin_reach_hr_pages(client_for, world, who) -> None:  # type: ignore[no-untyped-def]
    client = client_for(getattr(world, who))
    for url in HR_PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["member_alpha", "hr"])
def test_dashboard_refused_without_correspondent_role(client_for, world, who) -> None:  # type: ignore[no-untyped-def]
    assert client_for(getattr(world, who)).get("/correspondant").status_code == 403


def test_correspondent_sees_only_own_company_dashboard(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.correspondent_alpha)
    response = client.get("/correspondant")
    assert response.status_code == 200
    assert "Alpha" in response.get_data(as_text=True)
    assert client.get(f"/correspondant?entreprise={world.alpha.id}").status_code == 200
    assert client.get(f"/correspondant?entreprise={world.beta.id}").status_code == 404
    assert client.get("/correspondant?entreprise=999999").status_code == 404


def test_admin_reads_no_company_dashboard_whatever_the_company(client_for, world) -> None:  # type: ignore[no-untyped-def]
    stranger = CompanyFactory(cluster=ClusterFactory(), name="Ailleurs")
    db.session.commit()
    client = client_for(world.admin)
    for company_id in (world.alpha.id, world.beta.id, stranger.id):
        assert client.get(f"/correspondant?entreprise={company_id}").status_code == 403


def test_members_cannot_see_pooled_trainings(client_for, world, training, nothing_written) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.member_alpha)
    for url in pooled_pages(training.id):
        assert client.get(url).status_code == 403, url
    with nothing_written():
        response = client.post(
            f"/club/formations-mutualisees/{training.id}/places",
            data={"company_id": world.alpha.id, "seats": 2},
        )
    assert response.status_code == 403


def test_correspondent_cannot_propose_a_pooled_training(client_for, world, nothing_written) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.correspondent_alpha)
    with nothing_written():
        response = client.post(
            "/club/formations-mutualisees",
            data={
                "provider": "X",
                "title": "Y",
                "price": "100",
                "seats": 3,
                "deadline": "2099-01-01",
            },
        )
    assert response.status_code == 403
    assert db.session.query(PooledTraining).count() == 0


def test_correspondent_cannot_take_seats_for_another_company(
    client_for, world, training, nothing_written
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.correspondent_alpha)
    with nothing_written():
        response = client.post(
            f"/club/formations-mutualisees/{training.id}/places",
            data={"company_id": world.beta.id, "seats": 2},
        )
    assert response.status_code == 404
    assert training.reservations == []


def test_pooled_training_of_another_cluster_is_not_found(client_for, world) -> None:  # type: ignore[no-untyped-def]
    elsewhere = ClusterFactory()
    item = PooledTraining(
        cluster_id=elsewhere.id,
        provider="P",
        title="T",
        price_cents=100,
        seats=1,
        deadline=datetime.now(UTC).date() + timedelta(days=3),
    )
    db.session.add(item)
    db.session.commit()
    client = client_for(world.hr)
    assert client.get(f"/club/formations-mutualisees/{item.id}").status_code == 404
    assert client.get(f"/club/formations-mutualisees/{item.id}.csv").status_code == 404


def test_periods_are_whole_months_so_one_day_cannot_be_isolated(world, db_session) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from coop_formation.club.filters import resolve_filters

    a = resolve_filters(db_session, world.hr, start=date(2026, 3, 14), end=date(2026, 10, 12))
    b = resolve_filters(db_session, world.hr, start=date(2026, 3, 2), end=date(2026, 10, 13))
    assert (a.start, a.end) == (b.start, b.end) == (date(2026, 3, 1), date(2026, 10, 31))
