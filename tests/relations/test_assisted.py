"""Assisted use: consent-gated, logged, withdrawable; others get 404."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coop_formation.exchange.models import Need, Offer
from coop_formation.extensions import db
from coop_formation.relations.models import AssistConsent, AssistedAction, AssistedActionKind
from coop_formation.training.models import Enrollment
from tests.factories import MemberFactory
from tests.training.factories import make_session

NEED_FORM = {
    "title": "Maîtriser le tableur",
    "description": "Pour les plannings.",
    "format": "training",
    "urgency": "this_year",
    "visibility": "company",
}
OFFER_FORM = {
    "title": "Atelier couture",
    "format": "training",
    "duration_minutes": "90",
    "capacity": "6",
    "remote": "y",
}


def _consent(client_for, world):  # type: ignore[no-untyped-def]
    response = client_for(world.member_alpha).post(
        "/me/accompagnement", data={"correspondent_id": world.correspondent_alpha.id}
    )
    assert response.status_code == 302
    return db.session.scalars(sa.select(AssistConsent)).one()


def test_without_consent_the_correspondent_gets_404(client_for, world, nothing_written):
    corr = client_for(world.correspondent_alpha)
    base = f"/accompagnement/{world.member_alpha.id}"
    assert corr.get(f"{base}/besoin").status_code == 404
    with nothing_written():
        assert corr.post(f"{base}/besoin", data=NEED_FORM).status_code == 404
    assert corr.get(f"{base}/offre").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 0


def test_with_consent_the_correspondent_enters_a_need_as_the_member(client_for, world):
    _consent(client_for, world)
    corr = client_for(world.correspondent_alpha)
    assert world.member_alpha.display_name in corr.get("/accompagnement").get_data(as_text=True)
    response = corr.post(f"/accompagnement/{world.member_alpha.id}/besoin", data=NEED_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    need = db.session.scalars(sa.select(Need)).one()
    assert need.author_id == world.member_alpha.id
    action = db.session.scalars(sa.select(AssistedAction)).one()
    assert action.action == AssistedActionKind.NEED_CREATED
    assert (action.correspondent_id, action.member_id) == (
        world.correspondent_alpha.id,
        world.member_alpha.id,
    )
    assert (action.object_type, action.object_id) == ("need", need.id)
    log = client_for(world.member_alpha).get("/me/accompagnement").get_data(as_text=True)
    assert "Maîtriser le tableur" in log
    assert world.correspondent_alpha.display_name in log


def test_bad_need_input_rerenders_and_logs_nothing(client_for, world, nothing_written):
    _consent(client_for, world)
    with nothing_written():
        response = client_for(world.correspondent_alpha).post(
            f"/accompagnement/{world.member_alpha.id}/besoin", data={**NEED_FORM, "title": ""}
        )
    assert response.status_code == 422
    assert "Donnez un titre au besoin." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AssistedAction.id))) == 0


def test_with_consent_the_correspondent_publishes_an_offer(client_for, world):
    _consent(client_for, world)
    response = client_for(world.correspondent_alpha).post(
        f"/accompagnement/{world.member_alpha.id}/offre", data=OFFER_FORM
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    offer = db.session.scalars(sa.select(Offer)).one()
    assert offer.trainer_id == world.member_alpha.id
    assert (
        db.session.scalars(sa.select(AssistedAction.action)).one()
        == AssistedActionKind.OFFER_CREATED
    )


def test_with_consent_the_correspondent_enrols_the_member(client_for, world):
    training_session = make_session(world.other_alpha, capacity=3)
    db.session.commit()
    _consent(client_for, world)
    corr = client_for(world.correspondent_alpha)
    listing = corr.get(f"/accompagnement/{world.member_alpha.id}/sessions")
    assert training_session.title in listing.get_data(as_text=True)
    url = f"/accompagnement/{world.member_alpha.id}/inscription/{training_session.id}"
    assert corr.get(url).status_code == 200
    response = corr.post(url, data={"request_key": "k" * 24})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    enrollment = db.session.scalars(sa.select(Enrollment)).one()
    assert enrollment.member_id == world.member_alpha.id
    action = db.session.scalars(sa.select(AssistedAction)).one()
    assert (action.object_type, action.object_id) == ("enrollment", enrollment.id)


def test_after_withdrawal_nothing_more_is_possible(client_for, world, nothing_written):
    consent = _consent(client_for, world)
    member = client_for(world.member_alpha)
    assert member.post(f"/me/accompagnement/{consent.id}/retrait").status_code == 302
    db.session.refresh(consent)
    assert consent.withdrawn_at is not None
    corr = client_for(world.correspondent_alpha)
    base = f"/accompagnement/{world.member_alpha.id}"
    assert corr.get(f"{base}/besoin").status_code == 403
    with nothing_written():
        assert corr.post(f"{base}/besoin", data=NEED_FORM).status_code == 403
        assert corr.post(f"{base}/offre", data=OFFER_FORM).status_code == 403
        assert corr.get(f"{base}/sessions").status_code == 403
        response = corr.post(f"{base}/inscription/1", data={"request_key": "k" * 24})
        assert response.status_code == 403
    assert world.member_alpha.display_name not in corr.get("/accompagnement").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 0
    assert "retiré le" in member.get("/me/accompagnement").get_data(as_text=True)


@pytest.mark.parametrize("who", ["other_alpha", "correspondent_beta", "hr", "admin", "second"])
def test_other_correspondents_and_companies_get_404(client_for, world, who, nothing_written):
    _consent(client_for, world)
    if who == "second":
        actor = MemberFactory(company=world.alpha, is_correspondent=True)
        db.session.commit()
    else:
        actor = getattr(world, who)
    client = client_for(actor)
    base = f"/accompagnement/{world.member_alpha.id}"
    assert client.get(f"{base}/besoin").status_code == 404
    with nothing_written():
        assert client.post(f"{base}/besoin", data=NEED_FORM).status_code == 404
        assert client.post(f"{base}/offre", data=OFFER_FORM).status_code == 404
        assert client.get(f"{base}/sessions").status_code == 404
        response = client.post(f"{base}/inscription/1", data={"request_key": "k" * 24})
        assert response.status_code == 404


def test_consent_only_for_a_correspondent_of_ones_company(client_for, world, nothing_written):
    for target in (world.correspondent_beta, world.other_alpha, world.hr):
        with nothing_written():
            response = client_for(world.member_alpha).post(
                "/me/accompagnement", data={"correspondent_id": target.id}
            )
        assert response.status_code == 422
        assert "Choisissez un correspondant de la liste." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AssistConsent.id))) == 0


def test_nobody_else_withdraws_a_consent(client_for, world, nothing_written):
    consent = _consent(client_for, world)
    for who in ("correspondent_alpha", "other_alpha", "admin"):
        with nothing_written():
            response = client_for(getattr(world, who)).post(
                f"/me/accompagnement/{consent.id}/retrait"
            )
        assert response.status_code == 404
    db.session.refresh(consent)
    assert consent.withdrawn_at is None


def test_the_log_is_in_the_members_export_only(client_for, world):
    _consent(client_for, world)
    client_for(world.correspondent_alpha).post(
        f"/accompagnement/{world.member_alpha.id}/besoin", data=NEED_FORM
    )
    export = client_for(world.member_alpha).get("/me/export").get_json()
    relations = export["relations"]
    assert relations["assisted_use_consents"][0]["correspondent"] == "Chloé Petit"
    assert relations["assisted_actions"][0]["action"] == "need_created"
    other = client_for(world.other_alpha).get("/me/export").get_json()
    assert other["relations"]["assisted_actions"] == []


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/me/accompagnement"),
        ("post", "/me/accompagnement"),
        ("post", "/me/accompagnement/1/retrait"),
        ("get", "/accompagnement"),
        ("get", "/accompagnement/1/besoin"),
        ("post", "/accompagnement/1/offre"),
        ("get", "/accompagnement/1/sessions"),
        ("post", "/accompagnement/1/inscription/1"),
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, world, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
