"""The charter: shown to all, accepted by every member, republished by the coop admin only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from coop_formation.extensions import db
from coop_formation.people import charters
from coop_formation.people.models import CharterAcceptance
from tests.factories import MemberFactory, World


def test_charter_page_is_public_and_escapes_the_text(client: FlaskClient, world: World) -> None:
    world.charter.body = "Solidarité <script>alert(1)</script>\nAnonymat"
    db.session.commit()
    response = client.get("/charte")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="charter-text"' in body
    assert "&lt;script&gt;" in body and "<script>alert" not in body


def test_new_member_is_sent_to_the_charter_until_they_accept(client_for, world: World) -> None:
    newcomer = MemberFactory(company=world.alpha, accept_charter=False)
    client = client_for(newcomer)
    response = client.get("/me")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/charte/accepter?next=/me")
    for path in ("/needs", "/", "/gestion/membres", "/members/1"):
        assert client.get(path).headers.get("Location", "").startswith("/charte/accepter"), path

    for path in ("/charte", "/charte/accepter", "/healthz", "/me/export", "/me/close"):
        assert client.get(path).status_code == 200, path
    assert client.get("/nulle-part").status_code == 404
    assert client.post("/langue", data={"lang": "fr", "next": "/"}).status_code == 302

    page = client.get("/charte/accepter?next=/me").get_data(as_text=True)
    assert world.charter.body in page
    response = client.post("/charte/accepter", data={"charter_id": world.charter.id, "next": "/me"})
    assert response.headers["Location"] == "/me"
    assert client.get("/me").status_code == 200
    acceptance = db.session.scalars(
        sa.select(CharterAcceptance).where(CharterAcceptance.member_id == newcomer.id)
    ).one()
    assert acceptance.charter.version == 1 and acceptance.accepted_at is not None


def test_member_must_accept_again_after_a_new_version(client_for, world: World) -> None:
    client = client_for(world.member_alpha)
    assert client.get("/me").status_code == 200
    charters.publish_charter(db.session, world.admin, "Charte v2", "Nouvelle règle de solidarité.")
    db.session.commit()
    response = client.get("/me")
    assert response.headers["Location"].startswith("/charte/accepter")
    page = client.get("/charte/accepter").get_data(as_text=True)
    assert "Nouvelle règle de solidarité." in page and "version 2" in page
    stale = client.post("/charte/accepter", data={"charter_id": world.charter.id})
    assert stale.status_code == 302
    assert client.get("/me").status_code == 302  # accepting the old version does not count
    latest = charters.current_charter(db.session, world.cluster.id)
    assert latest is not None
    client.post("/charte/accepter", data={"charter_id": latest.id})
    assert client.get("/me").status_code == 200


def test_logout_stays_possible_before_accepting(client_for, world: World) -> None:
    client = client_for(MemberFactory(company=world.beta, accept_charter=False))
    assert client.post("/logout").status_code == 302
    assert client.get("/me").headers["Location"].startswith("/login")


def test_accept_page_needs_a_signed_in_member(client: FlaskClient, world: World) -> None:
    assert client.get("/charte/accepter").headers["Location"].startswith("/login")


def test_admin_publishes_a_new_version(client_for, world: World) -> None:
    client = client_for(world.admin)
    form = client.get("/gestion/charte")
    assert form.status_code == 200 and world.charter.title in form.get_data(as_text=True)
    response = client.post("/gestion/charte", data={"title": "Charte 2026", "body": "Texte\nrevu"})
    assert response.status_code == 302
    latest = charters.current_charter(db.session, world.cluster.id)
    assert latest is not None and latest.version == 2 and latest.published_by_id == world.admin.id
    # the admin, too, accepts the version they published
    assert client.get("/gestion/charte").headers["Location"].startswith("/charte/accepter")


def test_empty_charter_is_refused(nothing_written, client_for, world: World) -> None:
    client = client_for(world.admin)
    with nothing_written():
        response = client.post("/gestion/charte", data={"title": "Charte", "body": "   "})
    assert response.status_code == 422
    assert charters.current_charter(db.session, world.cluster.id).version == 1


@pytest.mark.parametrize("who", ["member_alpha", "correspondent_alpha", "hr"])
def test_only_the_admin_publishes_the_charter(
    nothing_written, client_for, world: World, who: str
) -> None:
    client = client_for(getattr(world, who))
    assert client.get("/gestion/charte").status_code == 403
    with nothing_written():
        response = client.post("/gestion/charte", data={"title": "Pirate", "body": "Texte"})
    assert response.status_code == 403
    assert charters.current_charter(db.session, world.cluster.id).version == 1


def test_anonymous_visitor_cannot_reach_charter_management(
    client: FlaskClient, world: World
) -> None:
    assert client.get("/gestion/charte").headers["Location"].startswith("/login")
    assert client.post("/gestion/charte", data={"title": "x", "body": "y"}).status_code == 302
    assert charters.current_charter(db.session, world.cluster.id).version == 1
