"""A member downloads everything held on them, and can close their account."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    NeedStatus,
    NeedSupporter,
    Offer,
    SkillRelation,
)
from coop_formation.extensions import db
from coop_formation.people import accounts
from coop_formation.people.models import Member, OneTimeToken
from tests.conftest import IsolatedClient
from tests.factories import TEST_PASSWORD, NeedFactory, OfferFactory, SkillFactory, World


def _alpha_with_contributions(world: World) -> dict[str, int]:
    member = world.member_alpha
    member.phone = "06 00 00 00 01"
    skill = SkillFactory(label="Maintenance préventive")
    db.session.add(
        MemberSkill(member_id=member.id, skill_id=skill.id, relation=SkillRelation.CAN_TEACH)
    )
    own = NeedFactory(author=member, title="Besoin d'Alice")
    anonymous = NeedFactory(author=member, title="Reconversion discrète", anonymous=True)
    others = NeedFactory(author=world.other_alpha, title="Besoin de Paul")
    db.session.add(NeedSupporter(need_id=others.id, member_id=member.id, anonymous=True))
    offer = OfferFactory(trainer=member, title="Initiation au tableur")
    NeedFactory(author=world.member_beta, title="Besoin de Bruno")
    OfferFactory(trainer=world.member_beta, title="Offre de Bruno")
    accounts.request_password_reset(db.session, member.email)
    db.session.commit()
    return {"own": own.id, "anonymous": anonymous.id, "others": others.id, "offer": offer.id}


def test_export_downloads_everything_about_me_and_nothing_of_others(
    client_for, world: World
) -> None:
    _alpha_with_contributions(world)
    client = client_for(world.member_alpha)
    response = client.get("/me/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    me = data["member"]
    assert me["email"] == "membre@alpha.test" and me["phone"] == "06 00 00 00 01"
    assert me["phone_visibility"] == "private" and me["company"]["name"] == "Alpha"
    assert [s["label"] for s in data["skills"]] == ["Maintenance préventive"]
    assert data["charter_acceptances"][0]["version"] == 1
    links = data["one_time_links"]
    assert links and links[0]["purpose"] == "password_reset"
    assert not any("hash" in key or "token" in key for key in links[0])
    exchange = data["exchange"]
    assert {n["title"] for n in exchange["needs"]} == {"Besoin d'Alice", "Reconversion discrète"}
    assert [s["need_title"] for s in exchange["supported_needs"]] == ["Besoin de Paul"]
    assert [o["title"] for o in exchange["offers"]] == ["Initiation au tableur"]
    text = response.get_data(as_text=True)
    for foreign in ("Bruno", "membre@beta.test", "autre@alpha.test", "argon2", "password_hash"):
        assert foreign not in text


def test_export_sections_keep_their_order(client_for, world: World) -> None:
    """Rooms above people answer through an event; the file keeps the shape it always had."""
    data = json.loads(client_for(world.member_alpha).get("/me/export").get_data(as_text=True))
    assert list(data) == [
        "format",
        "exported_at",
        "member",
        "skills",
        "charter_acceptances",
        "one_time_links",
        "exchange",
        "mobility_wishes",
        "relations",
        "badges",
        "communities",
        "matching",
        "notifications",
        "training",
        "wallet",
    ]
    assert "unavailable" not in data["exchange"] and "unavailable" not in data["relations"]


def test_export_needs_a_signed_in_member(client: FlaskClient, world: World) -> None:
    assert client.get("/me/export").headers["Location"].startswith("/login")


def test_closing_erases_identity_and_keeps_contributions(
    app: Flask, client_for, world: World
) -> None:
    ids = _alpha_with_contributions(world)
    member_id = world.member_alpha.id
    other_device = IsolatedClient(app, app.response_class, use_cookies=True)
    other_device.post("/login", data={"email": "membre@alpha.test", "password": TEST_PASSWORD})
    client = client_for(world.member_alpha)
    assert client.get("/me/close").status_code == 200
    response = client.post("/me/close", data={"password": TEST_PASSWORD})
    assert response.status_code == 302

    member = db.session.get(Member, member_id)
    assert member is not None and member.is_closed
    assert member.email == f"closed-{member_id}@invalid.local"
    assert member.display_name == "Ancien membre"
    assert (member.job_title, member.bio, member.phone, member.password_hash) == (
        None,
        None,
        None,
        None,
    )
    assert not db.session.scalars(
        sa.select(MemberSkill).where(MemberSkill.member_id == member_id)
    ).all()
    assert not db.session.scalars(
        sa.select(OneTimeToken).where(OneTimeToken.member_id == member_id)
    ).all()
    # contributions stay, signed by the anonymous former member, but nothing stays open
    for need_id in (ids["own"], ids["anonymous"]):
        need = db.session.get(Need, need_id)
        assert need is not None and need.author.display_name == "Ancien membre"
        assert need.status == NeedStatus.CLOSED
    assert db.session.get(Offer, ids["offer"]) is not None
    assert not db.session.scalars(
        sa.select(NeedSupporter).where(NeedSupporter.member_id == member_id)
    ).all()

    assert client.get("/me").status_code == 302  # signed out
    assert other_device.get("/me").status_code == 302  # every session ended
    login = client.post("/login", data={"email": "membre@alpha.test", "password": TEST_PASSWORD})
    assert "Adresse e-mail ou mot de passe incorrect." in login.get_data(as_text=True)
    closed_login = client.post("/login", data={"email": member.email, "password": TEST_PASSWORD})
    assert closed_login.status_code == 200


def test_closing_needs_the_right_password(nothing_written, client_for, world: World) -> None:
    client = client_for(world.member_alpha)
    with nothing_written():
        response = client.post("/me/close", data={"password": "pas le bon"})
    assert response.status_code == 422
    assert "Mot de passe incorrect" in response.get_data(as_text=True)
    member = db.session.get(Member, world.member_alpha.id)
    assert member is not None and not member.is_closed and member.email == "membre@alpha.test"


def test_closing_cannot_be_done_with_a_get(client_for, world: World) -> None:
    client = client_for(world.member_alpha)
    client.get("/me/close")
    assert not db.session.get(Member, world.member_alpha.id).is_closed
