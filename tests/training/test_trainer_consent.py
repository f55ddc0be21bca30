"""A trainer named by someone else agrees before the session opens to enrolment."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation.extensions import db
from coop_formation.notifications.models import Notification
from coop_formation.training.models import Enrollment, TrainerConsent, TrainingSession
from tests.factories import NeedFactory
from tests.training.conftest import new_key
from tests.training.test_session_pages import _future_day, _slot_form


def _named(world, client_for):  # type: ignore[no-untyped-def]
    """Alpha's correspondent plans a session for a need and names Bruno (Beta) as trainer."""
    need = NeedFactory(author=world.member_alpha)
    data = _slot_form(_future_day(), trainer_id=str(world.member_beta.id), title="Soudure TIG")
    response = client_for(world.correspondent_alpha).post(
        f"/sessions/nouvelle?besoin={need.id}", data=data
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return db.session.scalars(sa.select(TrainingSession).filter_by(need_id=need.id)).one()


def _notices(member, kind):  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(sa.select(Notification).filter_by(recipient_id=member.id, kind=kind))
    )


def test_the_named_trainer_is_invited_and_the_session_waits(world, client_for):
    s = _named(world, client_for)
    assert s.trainer_consent == TrainerConsent.PENDING
    (invite,) = _notices(world.member_beta, "trainer_invitation")
    assert invite.link == f"/sessions/{s.id}" and "Soudure TIG" in invite.subject
    trainer_page = client_for(world.member_beta).get(f"/sessions/{s.id}").get_data(as_text=True)
    assert "accord du formateur" in trainer_page and "J'accepte d'animer" in trainer_page
    organiser_page = client_for(world.correspondent_alpha).get(f"/sessions/{s.id}")
    assert "accord du formateur" in organiser_page.get_data(as_text=True)
    assert "J'accepte d'animer" not in organiser_page.get_data(as_text=True)
    # Not in the public agenda, and nobody can enrol.
    agenda = client_for(world.member_alpha).get("/agenda").get_data(as_text=True)
    assert "Soudure TIG" not in agenda


def test_nobody_enrols_before_the_trainer_accepts(world, client_for, nothing_written):
    s = _named(world, client_for)
    client = client_for(world.member_alpha)
    assert "S'inscrire" not in client.get(f"/sessions/{s.id}").get_data(as_text=True)
    with nothing_written():
        response = client.post(f"/sessions/{s.id}/enrol", data={"request_key": new_key()})
    assert response.status_code in (302, 409)
    assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) == 0


def test_accepting_opens_the_session(world, client_for):
    s = _named(world, client_for)
    trainer = client_for(world.member_beta)
    response = trainer.post(f"/sessions/{s.id}/invitation", data={"answer": "accept"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TrainingSession, s.id).trainer_consent == TrainerConsent.ACCEPTED
    assert "Soudure TIG" in client_for(world.member_alpha).get("/agenda").get_data(as_text=True)
    response = client_for(world.member_alpha).post(
        f"/sessions/{s.id}/enrol", data={"request_key": new_key()}
    )
    assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) == 1


def test_declining_tells_the_organiser_and_keeps_it_closed(world, client_for):
    s = _named(world, client_for)
    response = client_for(world.member_beta).post(
        f"/sessions/{s.id}/invitation", data={"answer": "decline"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TrainingSession, s.id).trainer_consent == TrainerConsent.DECLINED
    (notice,) = _notices(world.correspondent_alpha, "session_changed")
    assert world.member_beta.display_name in notice.body and "refusé" in notice.body
    assert "Soudure TIG" not in client_for(world.member_alpha).get("/agenda").get_data(as_text=True)


def test_only_the_named_trainer_answers(world, client_for, nothing_written):
    s = _named(world, client_for)
    for who in (world.correspondent_alpha, world.member_alpha):
        with nothing_written():
            response = client_for(who).post(
                f"/sessions/{s.id}/invitation", data={"answer": "accept"}
            )
        assert response.status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(TrainingSession, s.id).trainer_consent == TrainerConsent.PENDING


def test_a_second_answer_changes_nothing(world, client_for, nothing_written):
    s = _named(world, client_for)
    trainer = client_for(world.member_beta)
    trainer.post(f"/sessions/{s.id}/invitation", data={"answer": "decline"})
    with nothing_written():
        trainer.post(f"/sessions/{s.id}/invitation", data={"answer": "accept"})
    db.session.expire_all()
    assert db.session.get(TrainingSession, s.id).trainer_consent == TrainerConsent.DECLINED


def test_an_unreadable_answer_is_refused(world, client_for, nothing_written):
    s = _named(world, client_for)
    with nothing_written():
        response = client_for(world.member_beta).post(
            f"/sessions/{s.id}/invitation", data={"answer": "peut-être"}
        )
    assert response.status_code == 422


def test_a_trainer_who_organises_needs_no_invitation(world, offer, client_for):
    client = client_for(world.other_alpha)
    client.post(f"/sessions/nouvelle?offre={offer.id}", data=_slot_form(_future_day()))
    created = db.session.scalars(sa.select(TrainingSession).filter_by(offer_id=offer.id)).one()
    assert created.trainer_consent == TrainerConsent.ACCEPTED
    assert _notices(world.other_alpha, "trainer_invitation") == []
