"""Attendance and settlement open only once the session's last date has ended."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coop_formation.db import utcnow
from coop_formation.errors import Conflict
from coop_formation.extensions import db
from coop_formation.training import services as training
from coop_formation.training.models import SessionSlot, SessionStatus, TrainingSession
from tests.training.conftest import new_key
from tests.training.factories import make_session


def _running(world):  # type: ignore[no-untyped-def]
    """A one-hour session that began one minute ago, Alice enrolled beforehand."""
    s = make_session(world.other_alpha, minutes=60, starts_at=utcnow() - timedelta(minutes=1))
    training.enrol(
        db.session,
        actor=world.member_alpha,
        training_session=s,
        request_key=new_key(),
        now=s.starts_at - timedelta(days=1),
    )
    return s


def test_running_session_page_says_when_closing_opens(world, client_for):
    s = _running(world)
    page = client_for(world.other_alpha).get(f"/sessions/{s.id}").get_data(as_text=True)
    assert "ouvriront à la fin de la session" in page
    assert "Enregistrer les présences" not in page
    assert "Clôturer et régler" not in page


def test_attendance_during_the_session_is_refused_and_nothing_written(
    world, client_for, nothing_written
):
    s = _running(world)
    client = client_for(world.other_alpha)
    with nothing_written():
        response = client.post(
            f"/sessions/{s.id}/presences", data={"attended": [str(world.member_alpha.id)]}
        )
    assert response.status_code == 409
    assert "fin de la session" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(TrainingSession, s.id).status == SessionStatus.PLANNED


def test_settlement_during_the_session_is_refused_and_nothing_written(
    world, client_for, nothing_written
):
    s = _running(world)
    # Even a session already marked held (e.g. an old row) cannot be settled before its end.
    s.status = SessionStatus.HELD
    db.session.flush()
    client = client_for(world.other_alpha)
    with nothing_written():
        response = client.post(f"/sessions/{s.id}/cloture")
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(TrainingSession, s.id).settled_at is None


def test_the_last_date_counts_not_the_first(world):
    s = make_session(world.other_alpha, minutes=60, starts_at=utcnow() - timedelta(days=2))
    later = utcnow() + timedelta(days=1)
    s.slots.append(SessionSlot(starts_at=later, ends_at=later + timedelta(hours=1)))
    s.ends_at = later + timedelta(hours=1)
    db.session.flush()
    with pytest.raises(Conflict):
        training.record_attendance(
            db.session, actor=world.other_alpha, training_session=s, attended_member_ids=set()
        )
    training.record_attendance(
        db.session,
        actor=world.other_alpha,
        training_session=s,
        attended_member_ids=set(),
        now=s.ends_at,
    )
    assert s.status == SessionStatus.HELD


def test_others_still_meet_forbidden_before_the_end(world, client_for, nothing_written):
    s = _running(world)
    with nothing_written():
        response = client_for(world.member_beta).post(f"/sessions/{s.id}/cloture")
    assert response.status_code in (403, 404)
