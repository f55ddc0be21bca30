"""Putting people in touch: consent of both before names travel, anonymity, outcome."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coop_formation.extensions import db
from coop_formation.notifications.models import Notification
from coop_formation.relations.models import (
    Answer,
    Introduction,
    IntroductionStatus,
    Outcome,
)


def _introduce(client_for, world, need, offer, note="Vous pourriez vous entendre."):  # type: ignore[no-untyped-def]
    response = client_for(world.correspondent_alpha).post(
        f"/mises-en-relation/nouvelle?need={need.id}", data={"offer_id": offer.id, "note": note}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return db.session.scalars(sa.select(Introduction).order_by(Introduction.id.desc())).first()


def _answer(client, intro, decision, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        f"/mises-en-relation/{intro.id}/reponse", data={"decision": decision, **extra}
    )


def test_correspondent_introduces_and_both_are_asked(client_for, world, anonymous_need, beta_offer):
    intro = _introduce(client_for, world, anonymous_need, beta_offer)
    assert intro.author_id == world.member_alpha.id
    assert intro.trainer_id == world.member_beta.id
    notified = db.session.scalars(
        sa.select(Notification.recipient_id).where(Notification.kind == "introduction")
    ).all()
    assert sorted(notified) == sorted([world.member_alpha.id, world.member_beta.id])


def test_names_stay_hidden_until_both_agreed(client_for, world, anonymous_need, beta_offer):
    intro = _introduce(client_for, world, anonymous_need, beta_offer)
    trainer_page = client_for(world.member_beta).get(f"/mises-en-relation/{intro.id}")
    text = trainer_page.get_data(as_text=True)
    assert trainer_page.status_code == 200
    assert "une personne de l'entreprise Alpha" in text
    assert world.member_alpha.display_name not in text
    assert world.member_alpha.email not in text
    author_page = client_for(world.member_alpha).get(f"/mises-en-relation/{intro.id}")
    assert beta_offer.title in author_page.get_data(as_text=True)
    assert world.member_beta.display_name not in author_page.get_data(as_text=True)

    assert _answer(client_for(world.member_alpha), intro, "accept").status_code == 302
    text = (
        client_for(world.member_beta).get(f"/mises-en-relation/{intro.id}").get_data(as_text=True)
    )
    assert world.member_alpha.display_name not in text  # one yes is not enough

    assert _answer(client_for(world.member_beta), intro, "accept").status_code == 302
    db.session.refresh(intro)
    assert intro.status == IntroductionStatus.AGREED
    text = (
        client_for(world.member_beta).get(f"/mises-en-relation/{intro.id}").get_data(as_text=True)
    )
    assert world.member_alpha.display_name in text
    text = (
        client_for(world.member_alpha).get(f"/mises-en-relation/{intro.id}").get_data(as_text=True)
    )
    assert world.member_beta.display_name in text


def test_anonymous_author_stays_hidden_from_the_correspondent(
    client_for, world, anonymous_need, beta_offer
):
    intro = _introduce(client_for, world, anonymous_need, beta_offer)
    _answer(client_for(world.member_alpha), intro, "accept")
    _answer(client_for(world.member_beta), intro, "accept")
    corr = client_for(world.correspondent_alpha)
    for url in (f"/mises-en-relation/{intro.id}", "/mises-en-relation", "/me/export"):
        assert world.member_alpha.display_name not in corr.get(url).get_data(as_text=True), url


def test_author_may_show_their_name_to_the_correspondent(
    client_for, world, anonymous_need, beta_offer
):
    intro = _introduce(client_for, world, anonymous_need, beta_offer)
    _answer(client_for(world.member_alpha), intro, "accept", show_name_to_correspondent="y")
    text = client_for(world.correspondent_alpha).get(f"/mises-en-relation/{intro.id}")
    assert world.member_alpha.display_name in text.get_data(as_text=True)


def test_a_decline_ends_it_and_names_are_never_shared(
    client_for, world, anonymous_need, beta_offer, nothing_written
):
    intro = _introduce(client_for, world, anonymous_need, beta_offer)
    _answer(client_for(world.member_alpha), intro, "accept")
    _answer(client_for(world.member_beta), intro, "decline")
    db.session.refresh(intro)
    assert intro.status == IntroductionStatus.DECLINED
    assert intro.trainer_answer == Answer.DECLINED
    text = (
        client_for(world.member_beta).get(f"/mises-en-relation/{intro.id}").get_data(as_text=True)
    )
    assert world.member_alpha.display_name not in text
    # A second answer is refused.
    with nothing_written():
        assert _answer(client_for(world.member_beta), intro, "accept").status_code == 403
    db.session.refresh(intro)
    assert (intro.status, intro.trainer_answer) == (IntroductionStatus.DECLINED, Answer.DECLINED)


def test_outcome_is_recorded_after_agreement(
    client_for, world, anonymous_need, beta_offer, nothing_written
):
    intro = _introduce(client_for, world, anonymous_need, beta_offer)
    url = f"/mises-en-relation/{intro.id}/bilan"
    with nothing_written():
        assert client_for(world.member_beta).post(url, data={"held": "yes"}).status_code == 403
    _answer(client_for(world.member_alpha), intro, "accept")
    _answer(client_for(world.member_beta), intro, "accept")
    corr = client_for(world.correspondent_alpha)
    with nothing_written():
        refused = corr.post(url, data={"held": "no", "reason": "bogus"})
    assert refused.status_code == 302
    db.session.refresh(intro)
    assert intro.outcome is None
    response = corr.post(url, data={"held": "no", "reason": "no_time", "text": "Reporté"})
    assert response.status_code == 302
    db.session.refresh(intro)
    assert intro.outcome == Outcome.NOT_HELD
    assert intro.outcome_text == "Reporté"
    assert intro.outcome_recorded_by_id == world.correspondent_alpha.id
    client_for(world.member_beta).post(url, data={"held": "yes"})
    db.session.refresh(intro)
    assert intro.outcome == Outcome.HELD


@pytest.mark.parametrize(
    "who", ["member_alpha", "other_alpha", "correspondent_beta", "hr", "admin"]
)
def test_only_the_needs_correspondent_may_introduce(client_for, world, anonymous_need, who):
    response = client_for(getattr(world, who)).get(
        f"/mises-en-relation/nouvelle?need={anonymous_need.id}"
    )
    assert response.status_code == 404


def test_introducing_with_an_unknown_offer_rerenders_the_form(
    client_for, world, anonymous_need, nothing_written
):
    with nothing_written():
        response = client_for(world.correspondent_alpha).post(
            f"/mises-en-relation/nouvelle?need={anonymous_need.id}", data={"offer_id": 999999}
        )
    assert response.status_code == 422
    assert "Choisissez une offre de la liste." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Introduction.id))) == 0


@pytest.mark.parametrize("who", ["other_alpha", "correspondent_beta", "hr", "admin"])
def test_outsiders_cannot_read_or_act_on_an_introduction(
    client_for, world, anonymous_need, beta_offer, who, nothing_written
):
    intro = _introduce(client_for, world, anonymous_need, beta_offer)
    client = client_for(getattr(world, who))
    assert client.get(f"/mises-en-relation/{intro.id}").status_code == 404
    with nothing_written():
        assert _answer(client, intro, "accept").status_code == 404
        response = client.post(f"/mises-en-relation/{intro.id}/bilan", data={"held": "yes"})
        assert response.status_code == 404
    listing = client.get("/mises-en-relation").get_data(as_text=True)
    assert anonymous_need.title not in listing


def test_the_correspondent_cannot_answer_for_the_participants(
    client_for, world, anonymous_need, beta_offer, nothing_written
):
    intro = _introduce(client_for, world, anonymous_need, beta_offer)
    with nothing_written():
        assert _answer(client_for(world.correspondent_alpha), intro, "accept").status_code == 403
    db.session.refresh(intro)
    assert (intro.author_answer, intro.trainer_answer) == (Answer.PENDING, Answer.PENDING)


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/mises-en-relation"),
        ("get", "/mises-en-relation/nouvelle?need=1"),
        ("get", "/mises-en-relation/1"),
        ("post", "/mises-en-relation/1/reponse"),
        ("post", "/mises-en-relation/1/bilan"),
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, world, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_form_can_start_from_a_suggested_offer(client_for, world, anonymous_need, beta_offer):
    response = client_for(world.correspondent_alpha).get(
        f"/mises-en-relation/nouvelle?need={anonymous_need.id}&offer={beta_offer.id}"
    )
    assert response.status_code == 200
    assert f'<option selected value="{beta_offer.id}">' in response.get_data(as_text=True)
    assert world.member_alpha.display_name not in response.get_data(as_text=True)
