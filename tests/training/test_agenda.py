"""Agendas as pages and as iCalendar feeds (parsed back with the icalendar library)."""

from __future__ import annotations

from datetime import UTC, timedelta

from icalendar import Calendar

from coop_formation.db import utcnow
from coop_formation.extensions import db
from coop_formation.training import services as training
from coop_formation.training.agenda import PER_PAGE
from coop_formation.training.models import SessionSlot, SessionStatus
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory
from tests.training.conftest import new_key
from tests.training.factories import make_session


def _events(body: bytes) -> list:
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    return list(calendar.walk("VEVENT"))


def test_public_agenda_lists_upcoming_sessions_of_the_cluster_only(world, client_for):
    make_session(world.other_alpha, title="Soudure à l'arc")
    make_session(world.other_alpha, title="Session passée", starts_at=utcnow() - timedelta(days=3))
    elsewhere = MemberFactory(company=CompanyFactory(cluster=ClusterFactory()))
    make_session(elsewhere, title="Ailleurs")
    page = client_for(world.member_beta).get("/agenda").get_data(as_text=True)
    assert "Soudure à l" in page
    assert "Session passée" not in page and "Ailleurs" not in page


def test_public_agenda_is_paginated(world, client_for):
    for n in range(PER_PAGE + 2):
        make_session(
            world.other_alpha,
            title=f"Session n°{n:02d}",
            starts_at=(utcnow() + timedelta(days=5, hours=n)).replace(microsecond=0),
        )
    client = client_for(world.member_alpha)
    first = client.get("/agenda").get_data(as_text=True)
    second = client.get("/agenda?page=2").get_data(as_text=True)
    assert "Session n°00" in first and "Session n°21" not in first
    assert "Session n°21" in second and 'rel="prev"' in second


def test_my_agenda_shows_sessions_i_teach_and_attend(world, planned, client_for):
    other = make_session(world.member_beta, title="Parler en public")
    training.enrol(
        db.session, actor=world.other_alpha, training_session=other, request_key=new_key()
    )
    page = client_for(world.other_alpha).get("/agenda/moi").get_data(as_text=True)
    assert "Tableurs avancés" in page and "Parler en public" in page
    assert "J&#39;anime" in page or "J'anime" in page


def test_personal_feed_needs_no_login_and_lists_my_sessions(world, planned, client):
    taught_elsewhere = make_session(world.member_beta, title="Parler en public")
    training.enrol(
        db.session,
        actor=world.member_alpha,
        training_session=taught_elsewhere,
        request_key=new_key(),
    )
    make_session(world.member_beta, title="Pas pour moi")
    token = training.feed_token(db.session, world.member_alpha).token
    response = client.get(f"/agenda/moi/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = _events(response.data)
    assert [str(e["SUMMARY"]) for e in events] == ["Parler en public"]
    event = events[0]
    slot = taught_elsewhere.slots[0]
    assert str(event["UID"]) == f"session-{taught_elsewhere.id}-slot-{slot.id}@localhost"
    assert event.decoded("DTSTART") == slot.starts_at.astimezone(UTC)
    assert event.decoded("DTSTART").tzinfo is not None
    assert event.decoded("DTEND") == slot.ends_at.astimezone(UTC)
    assert b"DTSTART:" in response.data and b"Z\r\n" in response.data  # written in UTC
    assert "DTSTAMP" in event and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(f"/sessions/{taught_elsewhere.id}")
    assert str(event["LOCATION"]) == "https://visio.example.test/salle"


def test_uids_are_stable_and_cancelled_sessions_say_so(world, planned, client):
    token = training.feed_token(db.session, world.other_alpha).token
    first = _events(client.get(f"/agenda/moi/{token}.ics").data)
    training.cancel_session(db.session, actor=world.other_alpha, training_session=planned)
    again = _events(client.get(f"/agenda/moi/{token}.ics").data)
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in again]
    assert str(again[0]["STATUS"]) == "CANCELLED"


def test_a_session_with_several_dates_gives_one_event_per_date(world, client):
    s = make_session(world.other_alpha)
    s.slots.append(
        SessionSlot(
            starts_at=s.starts_at + timedelta(days=7), ends_at=s.ends_at + timedelta(days=7)
        )
    )
    db.session.flush()
    token = training.feed_token(db.session, world.other_alpha).token
    events = _events(client.get(f"/agenda/moi/{token}.ics").data)
    assert [str(e["SUMMARY"]) for e in events] == [
        "Tableurs avancés (1/2)",
        "Tableurs avancés (2/2)",
    ]
    assert len({str(e["UID"]) for e in events}) == 2


def test_unknown_or_regenerated_tokens_give_404(world, planned, client):
    old = training.feed_token(db.session, world.other_alpha).token
    assert client.get("/agenda/moi/pas-un-jeton.ics").status_code == 404
    training.regenerate_feed_token(db.session, world.other_alpha)
    assert client.get(f"/agenda/moi/{old}.ics").status_code == 404


def test_regenerating_through_the_page_changes_the_address(world, client_for):
    client = client_for(world.member_alpha)
    client.get("/agenda/moi")
    old = training.feed_token(db.session, world.member_alpha).token
    assert client.post("/agenda/moi/nouvelle-adresse").status_code == 302
    db.session.expire_all()
    assert training.feed_token(db.session, world.member_alpha).token != old


def test_cluster_feed_for_signed_in_members_and_with_a_token(world, planned, client, client_for):
    elsewhere = MemberFactory(company=CompanyFactory(cluster=ClusterFactory()))
    make_session(elsewhere, title="Ailleurs")
    token = training.feed_token(db.session, world.member_beta).token
    by_token = _events(client.get(f"/agenda.ics?jeton={token}").data)
    assert [str(e["SUMMARY"]) for e in by_token] == ["Tableurs avancés"]
    assert client.get("/agenda.ics?jeton=faux").status_code == 404
    signed_in = _events(client_for(world.member_beta).get("/agenda.ics").data)
    assert [str(e["SUMMARY"]) for e in signed_in] == ["Tableurs avancés"]


def test_closed_members_feed_stops(world, planned, client):
    token = training.feed_token(db.session, world.other_alpha).token
    world.other_alpha.closed_at = utcnow()
    db.session.flush()
    assert client.get(f"/agenda/moi/{token}.ics").status_code == 404


def test_held_sessions_stay_on_the_agenda_until_they_end(world, client_for):
    running = make_session(
        world.other_alpha, title="En cours", starts_at=utcnow() - timedelta(minutes=30)
    )
    running.status = SessionStatus.HELD
    db.session.flush()
    assert "En cours" in client_for(world.member_alpha).get("/agenda").get_data(as_text=True)
