"""Pooled external trainings: proposal, seats per company, a cost split that adds up."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from coop_formation.club.models import PooledTraining, PooledTrainingSeats
from coop_formation.club.pooled_trainings import parse_euros, split_cost
from coop_formation.extensions import db
from coop_formation.people.models import Member
from tests.factories import CompanyFactory


def _deadline(days: int = 30) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def _propose(client, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "provider": "Organisme Formaplus",
        "title": "Habilitation électrique B1V",
        "description": "Deux jours.",
        "price": "1 000,00",
        "seats": 12,
        "deadline": _deadline(),
    }
    data.update(overrides)
    return client.post("/club/formations-mutualisees", data=data)


def test_cost_split_sums_exactly_to_the_price_in_cents() -> None:
    shares = split_cost(100000, {1: 1, 2: 1, 3: 1}, {1: "A", 2: "B", 3: "C"})
    assert shares == {1: 33334, 2: 33333, 3: 33333}
    assert split_cost(100001, {1: 2, 2: 1}, {}) == {1: 66667, 2: 33334}  # largest remainder
    rng = random.Random(6)
    for _ in range(500):
        price = rng.randint(1, 10_000_000)
        seats = {i: rng.randint(1, 50) for i in range(rng.randint(1, 9))}
        shares = split_cost(price, seats, {})
        assert sum(shares.values()) == price
        total = sum(seats.values())
        for key, n in seats.items():
            assert abs(shares[key] * total - price * n) < total  # within one cent of exact


def test_price_is_parsed_from_euros_to_integer_cents() -> None:
    assert parse_euros("1 234,50") == 123450
    assert parse_euros("80 €") == 8000
    assert parse_euros("99.9") == 9990


def test_hr_proposes_and_companies_share_the_cost(client_for, world) -> None:  # type: ignore[no-untyped-def]
    response = _propose(client_for(world.hr))
    assert response.status_code == 302
    training = db.session.query(PooledTraining).one()
    assert training.price_cents == 100000
    url = f"/club/formations-mutualisees/{training.id}"
    response = client_for(world.correspondent_alpha).post(
        f"{url}/places", data={"company_id": world.alpha.id, "seats": 2}
    )
    assert response.status_code == 302
    response = client_for(world.hr).post(
        f"{url}/places", data={"company_id": world.beta.id, "seats": 1}
    )
    assert response.status_code == 302
    html = client_for(world.correspondent_beta).get(url).get_data(as_text=True)
    assert "666,67\u00a0€" in html and "333,33\u00a0€" in html and "1\u202f000,00\u00a0€" in html
    body = client_for(world.hr).get(f"{url}.csv").get_data(as_text=True)
    lines = body.splitlines()
    assert "Alpha;2;666,67;66667" in lines
    assert "Beta;1;333,33;33333" in lines
    assert "Total;3;1000,00;100000" in lines
    for (name,) in db.session.query(Member.display_name):
        assert name not in body
    listing = client_for(world.hr).get("/club/formations-mutualisees")
    assert listing.status_code == 200
    assert "1\u202f000,00\u00a0€" in listing.get_data(as_text=True)


def test_seats_beyond_the_offer_are_refused_in_french(client_for, world, nothing_written) -> None:  # type: ignore[no-untyped-def]
    _propose(client_for(world.hr), seats=3)
    training = db.session.query(PooledTraining).one()
    client = client_for(world.correspondent_alpha)
    url = f"/club/formations-mutualisees/{training.id}/places"
    assert client.post(url, data={"company_id": world.alpha.id, "seats": 2}).status_code == 302
    beta = client_for(world.correspondent_beta)
    with nothing_written():
        response = beta.post(url, data={"company_id": world.beta.id, "seats": 2})
    assert response.status_code == 422
    assert "Il ne reste que 1 place(s)." in response.get_data(as_text=True)
    # Changing one's own seats counts the others only; 0 withdraws.
    assert client.post(url, data={"company_id": world.alpha.id, "seats": 3}).status_code == 302
    assert client.post(url, data={"company_id": world.alpha.id, "seats": 0}).status_code == 302
    assert db.session.query(PooledTrainingSeats).count() == 0


def test_invalid_proposals_rerender_with_french_messages(
    client_for, world, nothing_written
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.hr)
    with nothing_written():
        response = _propose(client, price="beaucoup")
        assert response.status_code == 422
        assert "Indiquez un prix en euros" in response.get_data(as_text=True)
        response = _propose(client, price="0")
        assert response.status_code == 422
        assert "Le prix doit être supérieur à zéro." in response.get_data(as_text=True)
        response = _propose(client, deadline=_deadline(-2))
        assert response.status_code == 422
        assert "La date limite est déjà passée." in response.get_data(as_text=True)
        response = _propose(client, seats=0, provider="")
        assert response.status_code == 422
    assert db.session.query(PooledTraining).count() == 0


def test_no_seats_after_the_deadline(client_for, world, nothing_written) -> None:  # type: ignore[no-untyped-def]
    item = PooledTraining(
        cluster_id=world.cluster.id,
        provider="P",
        title="T",
        price_cents=5000,
        seats=5,
        deadline=datetime.now(UTC).date() - timedelta(days=1),
    )
    db.session.add(item)
    db.session.commit()
    client = client_for(world.correspondent_alpha)
    with nothing_written():
        response = client.post(
            f"/club/formations-mutualisees/{item.id}/places",
            data={"company_id": world.alpha.id, "seats": 1},
        )
    assert response.status_code == 422
    assert "La date limite est passée." in response.get_data(as_text=True)


def test_hr_may_take_seats_for_any_company_of_the_cluster_only(
    client_for, world, nothing_written
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.hr)
    _propose(client)
    training = db.session.query(PooledTraining).one()
    other = CompanyFactory()
    db.session.commit()
    with nothing_written():
        response = client.post(
            f"/club/formations-mutualisees/{training.id}/places",
            data={"company_id": other.id, "seats": 1},
        )
    assert response.status_code == 404
