"""Session pages through HTTP: creating, enrolling, attendance, settlement, who may not."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from coop_formation.db import utcnow
from coop_formation.extensions import db
from coop_formation.ledger.models import Transfer
from coop_formation.notifications.models import Notification
from coop_formation.training import services as training
from coop_formation.training.models import (
    Enrollment,
    EnrollmentStatus,
    SessionStatus,
    TrainingSession,
)
from tests.factories import ClusterFactory, CompanyFactory, MemberFactory, NeedFactory
from tests.training.conftest import new_key
from tests.training.factories import balance, make_session, make_venue


def _slot_form(day, start="14:00", end="16:00", **extra):  # type: ignore[no-untyped-def]
    data = {
        "title": "Tableurs avancés",
        "description": "Formules et tableaux croisés",
        "format": "training",
        "language": "fr",
        "capacity": "4",
        "venue_id": "0",
        "remote_url": "https://visio.example.test/salle",
        "time_kind": "personal",
        "slots-0-day": day.isoformat(),
        "slots-0-start": start,
        "slots-0-end": end,
    }
    data.update(extra)
    return data


def _future_day(days=20):  # type: ignore[no-untyped-def]
    return (utcnow() + timedelta(days=days)).date()


def test_trainer_plans_a_session_from_own_offer(world, offer, client_for):
    client = client_for(world.other_alpha)
    assert client.get(f"/sessions/nouvelle?offre={offer.id}").status_code == 200
    response = client.post(f"/sessions/nouvelle?offre={offer.id}", data=_slot_form(_future_day()))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    created = db.session.query(TrainingSession).filter_by(offer_id=offer.id).one()
    assert created.trainer_id == world.other_alpha.id and not created.on_work_time
    assert created.duration_minutes == 120 and created.price_per_learner == 200
    # 14:00 Paris time is 12:00 or 13:00 UTC depending on daylight saving time.
    assert created.starts_at.hour in (12, 13) and created.starts_at.tzinfo is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tableurs avancés" in page and "14:00" in page


def test_correspondent_plans_a_session_for_a_need_with_a_chosen_trainer(world, client_for):
    need = NeedFactory(author=world.member_alpha)
    client = client_for(world.correspondent_alpha)
    data = _slot_form(_future_day(), trainer_id=str(world.member_beta.id))
    response = client.post(f"/sessions/nouvelle?besoin={need.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    created = db.session.query(TrainingSession).filter_by(need_id=need.id).one()
    assert created.trainer_id == world.member_beta.id
    assert created.organiser_id == world.correspondent_alpha.id


def test_member_cannot_plan_from_someone_elses_offer(world, offer, client_for):
    client = client_for(world.member_alpha)
    assert client.get(f"/sessions/nouvelle?offre={offer.id}").status_code == 403


def test_member_cannot_plan_from_a_need(world, client_for):
    need = NeedFactory(author=world.member_alpha)
    client = client_for(world.member_alpha)
    assert client.get(f"/sessions/nouvelle?besoin={need.id}").status_code == 404


def test_other_company_correspondent_cannot_use_a_company_only_need(world, client_for):
    need = NeedFactory(author=world.member_alpha)
    client = client_for(world.correspondent_beta)
    assert client.get(f"/sessions/nouvelle?besoin={need.id}").status_code == 404


def test_capacity_above_the_venue_is_refused_with_a_french_message(
    world, offer, client_for, nothing_written
):
    venue = make_venue(world.cluster.id, capacity=3)
    client = client_for(world.other_alpha)
    data = _slot_form(_future_day(), venue_id=str(venue.id), remote_url="", capacity="5")
    with nothing_written():
        response = client.post(f"/sessions/nouvelle?offre={offer.id}", data=data)
    assert response.status_code == 422
    assert "accueille 3 personnes au plus" in response.get_data(as_text=True)
    assert db.session.query(TrainingSession).count() == 0


def test_a_venue_cannot_host_two_overlapping_sessions(world, offer, client_for, nothing_written):
    venue = make_venue(world.cluster.id)
    client = client_for(world.other_alpha)
    day = _future_day()
    first = _slot_form(day, venue_id=str(venue.id), remote_url="")
    assert client.post(f"/sessions/nouvelle?offre={offer.id}", data=first).status_code == 302
    clash = _slot_form(day, "15:00", "17:00", venue_id=str(venue.id), remote_url="")
    with nothing_written():
        response = client.post(f"/sessions/nouvelle?offre={offer.id}", data=clash)
    assert response.status_code == 422
    assert "déjà réservé" in response.get_data(as_text=True)
    after = _slot_form(day, "16:00", "18:00", venue_id=str(venue.id), remote_url="")
    assert client.post(f"/sessions/nouvelle?offre={offer.id}", data=after).status_code == 302


def test_a_cancelled_session_frees_its_venue(world, offer, client_for):
    venue = make_venue(world.cluster.id)
    start = (utcnow() + timedelta(days=20)).replace(hour=12, minute=0, second=0, microsecond=0)
    taken = make_session(world.other_alpha, venue=venue, starts_at=start)
    taken.status = SessionStatus.CANCELLED
    db.session.flush()
    client = client_for(world.other_alpha)
    data = _slot_form(start.date(), "13:00", "15:00", venue_id=str(venue.id), remote_url="")
    assert client.post(f"/sessions/nouvelle?offre={offer.id}", data=data).status_code == 302


@pytest.mark.parametrize(
    ("day_offset", "start", "end", "message"),
    [(-2, "10:00", "12:00", "futur"), (5, "12:00", "10:00", "fin doit suivre")],
)
def test_dates_must_be_future_and_end_after_start(
    world, offer, client_for, nothing_written, day_offset, start, end, message
):
    client = client_for(world.other_alpha)
    data = _slot_form(_future_day(day_offset), start, end)
    with nothing_written():
        response = client.post(f"/sessions/nouvelle?offre={offer.id}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_session_needs_a_venue_or_a_remote_link(world, offer, client_for, nothing_written):
    client = client_for(world.other_alpha)
    with nothing_written():
        response = client.post(
            f"/sessions/nouvelle?offre={offer.id}", data=_slot_form(_future_day(), remote_url="")
        )
    assert response.status_code == 422
    assert "lien de visio" in response.get_data(as_text=True)


def _key_from(page: str) -> str:
    return re.search(r'name="request_key" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_member_enrols_through_the_page_and_a_resent_form_charges_once(world, planned, client_for):
    client = client_for(world.member_alpha)
    page = client.get(f"/sessions/{planned.id}").get_data(as_text=True)
    assert "M&#39;inscrire" in page or "M'inscrire" in page
    key = _key_from(page)
    for _ in range(2):
        response = client.post(f"/sessions/{planned.id}/enrol", data={"request_key": key})
        assert response.status_code == 302
    assert balance(world.member_alpha).pending_debits == 200
    assert db.session.query(Transfer).filter_by(kind="session_fee").count() == 1
    page = client.get(f"/sessions/{planned.id}").get_data(as_text=True)
    assert "Vous êtes inscrit" in page


def test_enrolment_beyond_the_floor_shows_the_ledger_message_and_changes_nothing(
    world, client_for, nothing_written
):
    expensive = make_session(world.other_alpha, minutes=360)
    client = client_for(world.member_alpha)
    with nothing_written():
        response = client.post(
            f"/sessions/{expensive.id}/enrol",
            data={"request_key": new_key()},
            follow_redirects=True,
        )
    text = response.get_data(as_text=True)
    assert "flash-error" in text
    assert db.session.query(Enrollment).count() == 0
    assert balance(world.member_alpha).pending_debits == 0


def test_cancellation_after_the_deadline_is_refused_on_the_page(world, client_for, nothing_written):
    soon = make_session(world.other_alpha, starts_at=utcnow() + timedelta(hours=2))
    client = client_for(world.member_alpha)
    client.post(f"/sessions/{soon.id}/enrol", data={"request_key": new_key()})
    with nothing_written():
        response = client.post(f"/sessions/{soon.id}/desinscription", follow_redirects=True)
    assert "délai d&#39;annulation est dépassé" in response.get_data(as_text=True)
    assert balance(world.member_alpha).pending_debits == 200


def test_cancellation_promotes_and_notifies_the_first_waiting(world, client_for, outbox):
    s = make_session(world.other_alpha, capacity=1)
    client = client_for(world.member_alpha)
    client.post(f"/sessions/{s.id}/enrol", data={"request_key": new_key()})
    training.enrol(db.session, actor=world.member_beta, training_session=s, request_key=new_key())
    assert client.post(f"/sessions/{s.id}/desinscription").status_code == 302
    waiting = db.session.query(Enrollment).filter_by(member_id=world.member_beta.id).one()
    assert waiting.status == EnrollmentStatus.ENROLLED
    # Told through the notifications room (e-mail then follows their choice and working hours).
    notes = db.session.query(Notification).filter_by(recipient_id=world.member_beta.id).all()
    assert any(s.title in note.subject or s.title in note.body for note in notes)


def test_participants_are_listed_only_to_trainer_and_organiser(world, planned, client_for):
    training.enrol(
        db.session, actor=world.member_alpha, training_session=planned, request_key=new_key()
    )
    page = client_for(world.member_beta).get(f"/sessions/{planned.id}").get_data(as_text=True)
    assert "Alice Martin" not in page


def test_trainer_sees_participants(world, planned, client_for):
    training.enrol(
        db.session, actor=world.member_alpha, training_session=planned, request_key=new_key()
    )
    page = client_for(world.other_alpha).get(f"/sessions/{planned.id}").get_data(as_text=True)
    assert "Alice Martin" in page


def test_trainer_takes_attendance_and_settles_through_the_page(world, client_for):
    s = make_session(world.other_alpha, starts_at=utcnow() - timedelta(hours=3))
    for member in (world.member_alpha, world.member_beta):
        e = training.find_enrollment(db.session, s.id, member.id)
        assert e is None
    # Enrol them while the session was still ahead (backdate the clock for the service).
    for member in (world.member_alpha, world.member_beta):
        training.enrol(
            db.session,
            actor=member,
            training_session=s,
            request_key=new_key(),
            now=s.starts_at - timedelta(days=1),
        )
    client = client_for(world.other_alpha)
    page = client.get(f"/sessions/{s.id}").get_data(as_text=True)
    assert "Enregistrer les présences" in page
    response = client.post(
        f"/sessions/{s.id}/presences", data={"attended": [str(world.member_alpha.id)]}
    )
    assert response.status_code == 302
    assert client.post(f"/sessions/{s.id}/cloture").status_code == 302
    db.session.expire_all()
    assert db.session.get(TrainingSession, s.id).status == SessionStatus.SETTLED
    assert balance(world.other_alpha).posted == 300
    assert client.post(f"/sessions/{s.id}/cloture", follow_redirects=True).status_code == 200
    assert balance(world.other_alpha).posted == 300


def test_garbled_attendance_is_refused_without_error_page(world, client_for, nothing_written):
    s = make_session(world.other_alpha, starts_at=utcnow() - timedelta(hours=3))
    client = client_for(world.other_alpha)
    with nothing_written():
        response = client.post(f"/sessions/{s.id}/presences", data={"attended": ["x"]})
    assert response.status_code == 422


MUTATING = ["enrol", "desinscription", "presences", "cloture", "annulation", "retour"]


@pytest.mark.parametrize("action", MUTATING)
def test_anonymous_visitors_are_sent_to_login(client, world, planned, action):
    response = client.post(f"/sessions/{planned.id}/{action}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/sessions/{id}",
        "/agenda",
        "/agenda/moi",
        "/agenda.ics",
        "/moi/temps-formateur",
        "/moi/temps-formateur/attestation",
        "/lieux",
        "/lieux/nouveau",
        "/sessions/nouvelle?offre=1",
    ],
)
def test_anonymous_pages_redirect_to_login(client, world, planned, path):
    response = client.get(path.format(id=planned.id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("action", MUTATING)
def test_other_cluster_members_get_404_everywhere(
    world, planned, client_for, nothing_written, action
):
    stranger = MemberFactory(
        company=CompanyFactory(cluster=ClusterFactory()), email="x@ailleurs.test"
    )
    client = client_for(stranger)
    assert client.get(f"/sessions/{planned.id}").status_code == 404
    with nothing_written():
        response = client.post(f"/sessions/{planned.id}/{action}", data={"request_key": new_key()})
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["presences", "cloture", "annulation"])
@pytest.mark.parametrize("who", ["member_beta", "correspondent_beta"])
def test_learners_and_other_correspondents_cannot_run_the_session(
    world, client_for, nothing_written, action, who
):
    s = make_session(world.other_alpha, starts_at=utcnow() - timedelta(hours=3))
    client = client_for(getattr(world, who))
    with nothing_written():
        response = client.post(f"/sessions/{s.id}/{action}")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(TrainingSession, s.id).status == SessionStatus.PLANNED
