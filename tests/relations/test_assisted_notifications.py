"""Assisted use: every action taken for a member tells them who acted and what."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation.extensions import db
from coop_formation.notifications.models import Notification
from tests.relations.test_assisted import NEED_FORM, OFFER_FORM, _consent
from tests.training.factories import make_session


def _notices(member):  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(
            sa.select(Notification).where(
                Notification.recipient_id == member.id, Notification.kind == "assisted_action"
            )
        )
    )


def test_a_need_declared_for_the_member_notifies_them(client_for, world):
    _consent(client_for, world)
    response = client_for(world.correspondent_alpha).post(
        f"/accompagnement/{world.member_alpha.id}/besoin", data=NEED_FORM
    )
    assert response.status_code == 302
    (notice,) = _notices(world.member_alpha)
    assert world.correspondent_alpha.display_name in notice.subject
    assert world.correspondent_alpha.display_name in notice.body
    assert "besoin « Maîtriser le tableur »" in notice.body
    assert notice.link == "/me/accompagnement"
    assert _notices(world.correspondent_alpha) == []


def test_an_offer_published_for_the_member_notifies_them(client_for, world):
    _consent(client_for, world)
    client_for(world.correspondent_alpha).post(
        f"/accompagnement/{world.member_alpha.id}/offre", data=OFFER_FORM
    )
    (notice,) = _notices(world.member_alpha)
    assert "offre « Atelier couture »" in notice.body


def test_an_enrolment_for_the_member_notifies_them(client_for, world):
    training_session = make_session(world.other_alpha, capacity=3, title="Soudure TIG")
    db.session.commit()
    _consent(client_for, world)
    url = f"/accompagnement/{world.member_alpha.id}/inscription/{training_session.id}"
    response = client_for(world.correspondent_alpha).post(url, data={"request_key": "k" * 24})
    assert response.status_code == 302
    (notice,) = _notices(world.member_alpha)
    assert "session « Soudure TIG »" in notice.body
    assert world.correspondent_alpha.display_name in notice.body
    assert "réservé sur votre compte" in notice.body


def test_a_refused_action_notifies_nobody(client_for, world, nothing_written):
    _consent(client_for, world)
    with nothing_written():
        response = client_for(world.correspondent_alpha).post(
            f"/accompagnement/{world.member_alpha.id}/besoin", data={**NEED_FORM, "title": ""}
        )
    assert response.status_code == 422
    assert _notices(world.member_alpha) == []
