"""Feedback for the trainer (no scores anywhere) and the trainer-time record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coop_formation.db import utcnow
from coop_formation.errors import Forbidden
from coop_formation.extensions import db
from coop_formation.training import services as training
from coop_formation.training.models import SessionFeedback, SessionStatus
from tests.training.conftest import new_key
from tests.training.factories import make_session


@pytest.fixture()
def past(world):  # type: ignore[no-untyped-def]
    """A settled-looking past session: Alice attended, Bruno was absent."""
    s = make_session(world.other_alpha, capacity=3, starts_at=utcnow() - timedelta(days=2))
    for member in (world.member_alpha, world.member_beta):
        training.enrol(
            db.session,
            actor=member,
            training_session=s,
            request_key=new_key(),
            now=s.starts_at - timedelta(days=3),
        )
    training.record_attendance(
        db.session,
        actor=world.other_alpha,
        training_session=s,
        attended_member_ids={world.member_alpha.id},
    )
    return s


def test_participant_leaves_feedback_only_the_trainer_reads(world, past, client_for):
    client = client_for(world.member_alpha)
    page = client.get(f"/sessions/{past.id}").get_data(as_text=True)
    assert "Envoyer mon retour" in page
    response = client.post(
        f"/sessions/{past.id}/retour", data={"text": "Très clair, merci pour les exemples."}
    )
    assert response.status_code == 302
    assert db.session.query(SessionFeedback).count() == 1
    trainer_page = client_for(world.other_alpha).get(f"/sessions/{past.id}").get_data(as_text=True)
    assert "Très clair, merci pour les exemples." in trainer_page


def test_nobody_but_the_trainer_reads_feedback(world, past):
    training.leave_feedback(
        db.session, actor=world.member_alpha, training_session=past, text="Merci"
    )
    for who in (world.member_alpha, world.correspondent_alpha, world.admin):
        with pytest.raises(Forbidden):
            training.feedback_for_trainer(db.session, actor=who, training_session=past)
        page = training.session_page(db.session, actor=who, training_session=past)
        assert page.feedback == []


def test_absent_or_unenrolled_members_cannot_leave_feedback(
    world, past, client_for, nothing_written
):
    with pytest.raises(Forbidden):
        training.leave_feedback(
            db.session, actor=world.member_beta, training_session=past, text="x"
        )
    client = client_for(world.correspondent_beta)
    with nothing_written():
        response = client.post(f"/sessions/{past.id}/retour", data={"text": "x"})
    assert response.status_code == 403


def test_feedback_is_not_possible_before_the_session(world, planned):
    training.enrol(
        db.session, actor=world.member_alpha, training_session=planned, request_key=new_key()
    )
    with pytest.raises(Forbidden):
        training.leave_feedback(
            db.session, actor=world.member_alpha, training_session=planned, text="x"
        )


def test_no_score_field_exists_anywhere():
    columns = {c.name for c in SessionFeedback.__table__.columns}
    assert not columns & {"score", "rating", "stars", "note", "grade"}


def test_writing_again_replaces_ones_feedback(world, past):
    training.leave_feedback(
        db.session, actor=world.member_alpha, training_session=past, text="Premier"
    )
    training.leave_feedback(
        db.session, actor=world.member_alpha, training_session=past, text="Second"
    )
    texts = [f.text for f in db.session.query(SessionFeedback)]
    assert texts == ["Second"]


def test_trainer_time_counts_work_and_personal_hours(world, past, client_for):
    evening = make_session(
        world.other_alpha,
        minutes=90,
        on_work_time=False,
        title="Atelier du soir",
        starts_at=utcnow() - timedelta(days=1),
    )
    evening.status = SessionStatus.SETTLED
    make_session(world.other_alpha, title="Pas encore tenue")  # planned: not counted
    db.session.flush()
    record = training.trainer_time(db.session, member=world.other_alpha)
    assert (record.work_minutes, record.personal_minutes, len(record.sessions)) == (120, 90, 2)
    client = client_for(world.other_alpha)
    page = client.get("/moi/temps-formateur").get_data(as_text=True)
    assert "3 h 30" in page and "Atelier du soir" in page and "Pas encore tenue" not in page
    attestation = client.get("/moi/temps-formateur/attestation").get_data(as_text=True)
    assert "Attestation de temps de formateur" in attestation and "Paul Durand" in attestation
    assert "print.css" in attestation


def test_my_trainer_time_shows_only_mine(world, past, client_for):
    page = client_for(world.member_beta).get("/moi/temps-formateur").get_data(as_text=True)
    assert "Tableurs avancés" not in page
