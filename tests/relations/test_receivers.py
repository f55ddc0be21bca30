"""How relations answers other rooms' events: a closed account, a request for one's data."""

from __future__ import annotations

import sqlalchemy as sa

from coop_formation import events
from coop_formation.extensions import db
from coop_formation.relations import services
from coop_formation.relations.models import AssistConsent
from tests.factories import TEST_PASSWORD


def test_closing_the_account_withdraws_the_members_consents(client_for, world):
    services.give_consent(db.session, world.member_alpha, world.correspondent_alpha.id)
    db.session.commit()
    client = client_for(world.member_alpha)
    assert client.post("/me/close", data={"password": TEST_PASSWORD}).status_code == 302
    consent = db.session.scalars(sa.select(AssistConsent)).one()
    db.session.refresh(consent)
    assert consent.withdrawn_at is not None
    corr = client_for(world.correspondent_alpha)
    assert corr.get(f"/accompagnement/{world.member_alpha.id}/besoin").status_code == 404


def test_member_closed_withdraws_open_consents_only_and_is_idempotent(world, clock):
    old = services.give_consent(db.session, world.member_alpha, world.correspondent_alpha.id)
    services.withdraw_consent(db.session, world.member_alpha, old.id)
    db.session.flush()
    db.session.expire_all()
    first_withdrawal = old.withdrawn_at
    clock.shift(3600)
    open_ = services.give_consent(db.session, world.member_alpha, world.correspondent_alpha.id)
    others = services.give_consent(db.session, world.other_alpha, world.correspondent_alpha.id)
    events.member_closed.send(db.session, member=world.member_alpha, actor=world.member_alpha)
    db.session.expire_all()
    assert open_.withdrawn_at is not None
    assert old.withdrawn_at == first_withdrawal  # an ended consent keeps its date
    assert others.withdrawn_at is None  # nobody else's consent moves
    closed_at = open_.withdrawn_at
    clock.shift(3600)
    events.member_closed.send(db.session, member=world.member_alpha, actor=world.member_alpha)
    db.session.expire_all()
    assert open_.withdrawn_at == closed_at


def test_personal_data_request_answers_the_relations_section(world):
    services.give_consent(db.session, world.member_alpha, world.correspondent_alpha.id)
    answers = dict(
        answer
        for _receiver, answer in events.personal_data_requested.send(
            db.session, member=world.member_alpha
        )
        if answer is not None
    )
    assert set(answers["relations"]) == {
        "introductions",
        "relay_threads",
        "assisted_use_consents",
        "assisted_actions",
    }
    assert answers["relations"] == services.export_for_member(db.session, world.member_alpha)
