"""Relay messages: members and correspondents; an anonymous author answers without a name."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coop_formation.extensions import db
from coop_formation.notifications.models import Notification
from coop_formation.relations.models import RelayMessage, RelayThread
from tests.factories import MemberFactory


def _thread() -> RelayThread:
    return db.session.scalars(sa.select(RelayThread).order_by(RelayThread.id.desc())).first()


def test_member_writes_to_a_chosen_correspondent(client_for, world):
    second = MemberFactory(company=world.alpha, display_name="Zoé Second", is_correspondent=True)
    db.session.commit()
    page = client_for(world.member_alpha).get("/messages").get_data(as_text=True)
    assert "Zoé Second" in page and world.correspondent_alpha.display_name in page
    response = client_for(world.member_alpha).post(
        "/messages", data={"correspondent_id": second.id, "body": "Bonjour, une question."}
    )
    assert response.status_code == 302
    thread = _thread()
    assert thread.recipient_id == second.id
    assert (
        db.session.scalar(
            sa.select(Notification.recipient_id).where(Notification.kind == "relay_message")
        )
        == second.id
    )
    reply = client_for(second).post(f"/messages/{thread.id}", data={"body": "Je vous écoute."})
    assert reply.status_code == 302
    text = client_for(world.member_alpha).get(f"/messages/{thread.id}").get_data(as_text=True)
    assert "Je vous écoute." in text
    # The other correspondent has no business with it.
    assert client_for(world.correspondent_alpha).get(f"/messages/{thread.id}").status_code == 404


@pytest.mark.parametrize("target", ["correspondent_beta", "other_alpha", "hr", "member_alpha"])
def test_member_cannot_write_to_someone_not_their_correspondent(
    client_for, world, target, nothing_written
):
    with nothing_written():
        response = client_for(world.member_alpha).post(
            "/messages", data={"correspondent_id": getattr(world, target).id, "body": "Bonjour"}
        )
    assert response.status_code == 422
    assert "Choisissez un correspondant de la liste." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(RelayThread.id))) == 0


def test_empty_message_rerenders(client_for, world, nothing_written):
    with nothing_written():
        response = client_for(world.member_alpha).post(
            "/messages", data={"correspondent_id": world.correspondent_alpha.id, "body": "  "}
        )
    assert response.status_code == 422
    assert "Écrivez un message." in response.get_data(as_text=True)


def test_anonymous_author_answers_without_being_named(client_for, world, anonymous_need):
    corr = client_for(world.correspondent_alpha)
    response = corr.post(
        f"/besoins/{anonymous_need.id}/ecrire", data={"body": "Je connais quelqu'un."}
    )
    assert response.status_code == 302
    thread = _thread()
    assert thread.recipient_id == world.member_alpha.id
    author = client_for(world.member_alpha)
    assert (
        author.post(f"/messages/{thread.id}", data={"body": "Merci, je veux bien."}).status_code
        == 302
    )
    for url in (f"/messages/{thread.id}", "/messages", "/me/export", "/notifications"):
        text = corr.get(url).get_data(as_text=True)
        assert world.member_alpha.display_name not in text, url
        assert world.member_alpha.email not in text, url
    text = corr.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert "Auteur anonyme du besoin « Apprendre la soudure TIG »" in text
    assert "Merci, je veux bien." in text
    # The author chooses to reveal their name, for this thread only.
    assert author.post(f"/messages/{thread.id}/reveler").status_code == 302
    assert world.member_alpha.display_name in corr.get(f"/messages/{thread.id}").get_data(
        as_text=True
    )


def test_only_the_author_may_reveal(client_for, world, anonymous_need, nothing_written):
    client_for(world.correspondent_alpha).post(
        f"/besoins/{anonymous_need.id}/ecrire", data={"body": "Bonjour"}
    )
    thread = _thread()
    with nothing_written():
        response = client_for(world.correspondent_alpha).post(f"/messages/{thread.id}/reveler")
        assert response.status_code == 403
        response = client_for(world.other_alpha).post(f"/messages/{thread.id}/reveler")
        assert response.status_code == 404
    db.session.refresh(thread)
    assert thread.recipient_revealed is False


def test_the_anonymous_author_is_told_and_may_reveal_themself(client_for, world, anonymous_need):
    corr = client_for(world.correspondent_alpha)
    corr.post(f"/besoins/{anonymous_need.id}/ecrire", data={"body": "Bonjour"})
    thread = _thread()
    banner = "Vous répondez anonymement"
    button = "Montrer mon nom dans cette conversation"
    author = client_for(world.member_alpha)
    text = author.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert banner in text and button in text
    text = corr.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert banner not in text and button not in text
    assert author.post(f"/messages/{thread.id}/reveler").status_code == 302
    text = author.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert banner not in text and button not in text


def test_a_named_authors_thread_offers_no_reveal(client_for, world, company_need):
    client_for(world.other_alpha).post(
        f"/besoins/{company_need.id}/ecrire", data={"body": "Bonjour"}
    )
    thread = _thread()
    assert thread.recipient_revealed is True
    text = client_for(world.member_alpha).get(f"/messages/{thread.id}").get_data(as_text=True)
    assert "Vous répondez anonymement" not in text
    assert "Montrer mon nom" not in text
    other = client_for(world.other_alpha).get(f"/messages/{thread.id}").get_data(as_text=True)
    assert world.member_alpha.display_name in other


def test_anyone_who_reads_a_cluster_need_may_write(client_for, world, anonymous_need):
    response = client_for(world.member_beta).post(
        f"/besoins/{anonymous_need.id}/ecrire", data={"body": "Je peux aider."}
    )
    assert response.status_code == 302
    text = client_for(world.member_beta).get("/messages").get_data(as_text=True)
    assert world.member_alpha.display_name not in text


@pytest.mark.parametrize(
    "who", ["member_beta", "correspondent_beta", "hr", "admin", "member_alpha"]
)
def test_company_need_is_not_writable_from_outside_or_by_its_author(
    client_for, world, company_need, who, nothing_written
):
    client = client_for(getattr(world, who))
    assert client.get(f"/besoins/{company_need.id}/ecrire").status_code == 404
    with nothing_written():
        response = client.post(f"/besoins/{company_need.id}/ecrire", data={"body": "x"})
        assert response.status_code == 404


def test_outsiders_cannot_read_or_post_in_a_thread(client_for, world, nothing_written):
    client_for(world.member_alpha).post(
        "/messages", data={"correspondent_id": world.correspondent_alpha.id, "body": "Privé"}
    )
    thread = _thread()
    for who in ("other_alpha", "correspondent_beta", "hr", "admin"):
        client = client_for(getattr(world, who))
        assert client.get(f"/messages/{thread.id}").status_code == 404
        with nothing_written():
            assert client.post(f"/messages/{thread.id}", data={"body": "x"}).status_code == 404
        assert "Privé" not in client.get("/messages").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(RelayMessage.id))) == 1


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/messages"),
        ("post", "/messages"),
        ("get", "/messages/1"),
        ("post", "/messages/1"),
        ("post", "/messages/1/reveler"),
        ("get", "/besoins/1/ecrire"),
        ("post", "/besoins/1/ecrire"),
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, world, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
