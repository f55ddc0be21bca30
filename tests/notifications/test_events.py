"""Other domains' events become notifications: badge received, "moi aussi", session changes."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation.exchange.models import NeedVisibility
from coop_formation.extensions import db
from coop_formation.notifications.models import Notification
from coop_formation.recognition import services as recognition
from coop_formation.recognition.models import AchievementKind
from tests.factories import MemberFactory, NeedFactory


def _notifications_of(member, kind):  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(
            sa.select(Notification).where(
                Notification.recipient_id == member.id, Notification.kind == kind
            )
        )
    )


def test_badge_received_notification_created_on_award(world):
    achievement = recognition.create_achievement(
        db.session,
        world.correspondent_alpha,
        recognition.AchievementData(
            name="Soudure à l'arc",
            description="Savoir souder à l'arc.",
            criteria="Trois soudures contrôlées.",
            kind=AchievementKind.TRAINING_FOLLOWED,
        ),
    )
    credential = recognition.award_manually(
        db.session,
        world.correspondent_alpha,
        achievement_id=achievement.id,
        recipient_id=world.member_alpha.id,
        evidence="A soudé trois pièces contrôlées.",
    )
    [notification] = _notifications_of(world.member_alpha, "badge_received")
    assert "Soudure à l'arc" in notification.subject
    assert notification.link == f"/credentials/{credential.public_id}"
    assert _notifications_of(world.correspondent_alpha, "badge_received") == []


def test_anonymous_supporter_never_named_to_the_author(client_for, world, mails):
    need = NeedFactory(author=world.member_alpha, visibility=NeedVisibility.COMPANY)
    db.session.commit()
    response = client_for(world.other_alpha).post(f"/needs/{need.id}/join", data={"anonymous": "y"})
    assert response.status_code == 302
    [notification] = _notifications_of(world.member_alpha, "need_joined")
    text = f"{notification.subject} {notification.body} {notification.link}"
    assert world.other_alpha.display_name not in text
    assert world.other_alpha.email not in text
    assert "anonyme" in notification.body
    page = client_for(world.member_alpha).get("/notifications").get_data(as_text=True)
    assert world.other_alpha.display_name not in page
    for mail in mails():
        assert world.other_alpha.display_name not in mail.get_content()


def test_visible_supporter_is_named_and_joining_twice_notifies_once(client_for, world):
    need = NeedFactory(author=world.member_alpha, visibility=NeedVisibility.COMPANY)
    db.session.commit()
    browser = client_for(world.other_alpha)
    browser.post(f"/needs/{need.id}/join", data={})
    browser.post(f"/needs/{need.id}/join", data={"anonymous": "y"})
    [notification] = _notifications_of(world.member_alpha, "need_joined")
    assert world.other_alpha.display_name in notification.body


def test_session_cancelled_and_seat_promoted_notify_members(world):
    from coop_formation.training import services as training
    from tests.training.factories import give, make_session

    training_session = make_session(world.correspondent_alpha, capacity=1)
    learner, waiting = world.member_alpha, MemberFactory(company=world.alpha)
    give(learner, 1000, "notif-test-learner")
    give(waiting, 1000, "notif-test-waiting")
    training.enrol(
        db.session,
        actor=learner,
        training_session=training_session,
        request_key="notif-test-enrol-a",
    )
    training.enrol(
        db.session,
        actor=waiting,
        training_session=training_session,
        request_key="notif-test-enrol-b",
    )
    training.cancel_enrollment(db.session, actor=learner, training_session=training_session)
    assert len(_notifications_of(waiting, "session_changed")) == 1
    training.cancel_session(
        db.session, actor=world.correspondent_alpha, training_session=training_session
    )
    notes = _notifications_of(waiting, "session_changed")
    assert len(notes) == 2
    assert any("annulée" in note.subject for note in notes)
