"""Management pages: members of a company, companies, correspondents, invitations."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from coop_formation.extensions import db
from coop_formation.people.models import Company, Member
from tests.factories import MemberFactory, World
from tests.people.helpers import read_mails


def _emails(body: str, world: World) -> set[str]:
    everyone = db.session.scalars(sa.select(Member.email)).all()
    return {address for address in everyone if address in body}


def test_correspondent_sees_only_their_company_members(client_for, world: World) -> None:
    client = client_for(world.correspondent_beta)
    body = client.get("/gestion/membres").get_data(as_text=True)
    assert _emails(body, world) == {"membre@beta.test", "correspondant@beta.test"}
    assert "activé" in body and "invitation en attente" not in body


def test_correspondent_cannot_list_another_company(client_for, world: World) -> None:
    client = client_for(world.correspondent_beta)
    response = client.get(f"/gestion/membres?company={world.alpha.id}")
    assert response.status_code == 404
    assert "membre@alpha.test" not in response.get_data(as_text=True)


def test_admin_lists_every_company_and_filters(client_for, world: World) -> None:
    client = client_for(world.admin)
    everything = client.get("/gestion/membres").get_data(as_text=True)
    assert {"membre@alpha.test", "membre@beta.test"} <= _emails(everything, world)
    alpha_only = client.get(f"/gestion/membres?company={world.alpha.id}").get_data(as_text=True)
    assert "membre@alpha.test" in alpha_only and "membre@beta.test" not in alpha_only


def test_member_list_is_paginated(app: Flask, client_for, world: World) -> None:
    for index in range(app.config["PAGE_SIZE"] + 3):
        MemberFactory(
            company=world.alpha, display_name=f"Zz {index:02d}", email=f"zz{index}@alpha.test"
        )
    client = client_for(world.correspondent_alpha)
    first = client.get("/gestion/membres").get_data(as_text=True)
    assert "Page 1 sur 2" in first
    second = client.get("/gestion/membres?page=2").get_data(as_text=True)
    assert "zz22@alpha.test" in second and "zz00@alpha.test" not in second


def test_closed_accounts_are_not_listed(client_for, world: World) -> None:
    from coop_formation.db import utcnow

    world.other_alpha.closed_at = utcnow()
    db.session.commit()
    client = client_for(world.correspondent_alpha)
    assert "autre@alpha.test" not in client.get("/gestion/membres").get_data(as_text=True)


@pytest.mark.parametrize("who", ["member_alpha", "hr"])
def test_members_and_hr_club_have_no_member_management(
    nothing_written, client_for, world: World, who: str
) -> None:
    client = client_for(getattr(world, who))
    assert client.get("/gestion/membres").status_code == 403
    assert client.get("/gestion/entreprises").status_code == 403
    upload = {"file": (io.BytesIO(b"email,display_name,company\nx@alpha.test,X,alpha\n"), "m.csv")}
    with nothing_written():
        assert client.post("/gestion/membres/import", data=upload).status_code == 403
        assert (
            client.post(
                f"/gestion/membres/{world.other_alpha.id}/correspondant", data={"appoint": "1"}
            ).status_code
            == 403
        )
    assert not world.other_alpha.is_correspondent


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/gestion/membres"),
        ("post", "/gestion/membres/import"),
        ("post", "/gestion/membres/1/invitation"),
        ("post", "/gestion/membres/1/correspondant"),
        ("get", "/gestion/entreprises"),
        ("post", "/gestion/entreprises"),
        ("post", "/gestion/entreprises/1"),
        ("get", "/me"),
        ("post", "/me"),
        ("get", "/me/export"),
        ("post", "/me/close"),
        ("get", "/members/1"),
    ],
)
def test_anonymous_visitor_is_sent_to_login(
    client: FlaskClient, world: World, method: str, path: str
) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def _upload(client: FlaskClient, text: str, invite: bool = True):
    data = {"file": (io.BytesIO(text.encode()), "membres.csv")}
    if invite:
        data["invite"] = "y"
    return client.post("/gestion/membres/import", data=data, content_type="multipart/form-data")


def test_correspondent_imports_members_of_their_company(
    client_for, world: World, outbox: Path
) -> None:
    client = client_for(world.correspondent_beta)
    response = _upload(client, "email,display_name,company\nneuf@beta.test,Nina Neuf,beta\n")
    assert response.status_code == 302
    member = db.session.scalar(sa.select(Member).where(Member.email == "neuf@beta.test"))
    assert member is not None and member.company_id == world.beta.id and member.activated_at is None
    assert [m["To"] for m in read_mails(outbox)] == ["neuf@beta.test"]


def test_correspondent_of_beta_cannot_import_into_alpha(
    nothing_written, client_for, world: World, outbox: Path
) -> None:
    client = client_for(world.correspondent_beta)
    text = "email,display_name,company\nok@beta.test,Ok,beta\nintrus@alpha.test,Intrus,alpha\n"
    with nothing_written():
        response = _upload(client, text)
    assert response.status_code == 422
    assert "ligne 3" in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(Member).where(Member.email.in_(["ok@beta.test", "intrus@alpha.test"]))
        )
        is None
    )
    assert read_mails(outbox) == []


def test_correspondent_cannot_take_over_an_alpha_account(
    nothing_written, client_for, world: World
) -> None:
    client = client_for(world.correspondent_beta)
    with nothing_written():
        response = _upload(client, "email,display_name,company\nmembre@alpha.test,Volé,beta\n")
    assert response.status_code == 422
    assert world.member_alpha.company_id == world.alpha.id
    assert world.member_alpha.display_name == "Alice Martin"


def test_correspondent_cannot_grant_admin_role(nothing_written, client_for, world: World) -> None:
    client = client_for(world.correspondent_beta)
    with nothing_written():
        response = _upload(
            client, "email,display_name,company,role\nchef@beta.test,Chef,beta,admin\n"
        )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(Member).where(Member.email == "chef@beta.test")) is None


def test_bad_upload_is_rerendered_with_the_line(nothing_written, client_for, world: World) -> None:
    client = client_for(world.admin)
    with nothing_written():
        response = _upload(client, "email,display_name,company\npas-une-adresse,X,alpha\n")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "ligne 2" in body and "Rien n" in body


def test_correspondent_resends_an_invitation_in_their_company_only(
    nothing_written, client_for, world: World, outbox: Path
) -> None:
    pending_alpha = MemberFactory(
        company=world.alpha, email="attente@alpha.test", password_hash=None
    )
    pending_beta = MemberFactory(company=world.beta, email="attente@beta.test", password_hash=None)
    client = client_for(world.correspondent_beta)
    with nothing_written():
        assert client.post(f"/gestion/membres/{pending_alpha.id}/invitation").status_code == 404
    assert client.post(f"/gestion/membres/{pending_beta.id}/invitation").status_code == 302
    assert [m["To"] for m in read_mails(outbox)] == ["attente@beta.test"]


def test_resending_to_an_active_account_is_refused(client_for, world: World, outbox: Path) -> None:
    client = client_for(world.correspondent_beta)  # member_beta has a password: already active
    response = client.post(
        f"/gestion/membres/{world.member_beta.id}/invitation", follow_redirects=True
    )
    assert "déjà activé" in response.get_data(as_text=True)
    assert read_mails(outbox) == []


def test_correspondent_appoints_and_removes_a_colleague(client_for, world: World) -> None:
    client = client_for(world.correspondent_alpha)
    target = world.other_alpha.id
    assert (
        client.post(f"/gestion/membres/{target}/correspondant", data={"appoint": "1"}).status_code
        == 302
    )
    assert db.session.get(Member, target).is_correspondent
    assert (
        client.post(f"/gestion/membres/{target}/correspondant", data={"appoint": "0"}).status_code
        == 302
    )
    assert not db.session.get(Member, target).is_correspondent


def test_correspondent_cannot_appoint_in_another_company(
    nothing_written, client_for, world: World
) -> None:
    client = client_for(world.correspondent_beta)
    with nothing_written():
        response = client.post(
            f"/gestion/membres/{world.member_alpha.id}/correspondant", data={"appoint": "1"}
        )
    assert response.status_code == 404
    assert not world.member_alpha.is_correspondent


def test_admin_appoints_a_correspondent_anywhere(client_for, world: World) -> None:
    client = client_for(world.admin)
    client.post(f"/gestion/membres/{world.member_beta.id}/correspondant", data={"appoint": "1"})
    assert db.session.get(Member, world.member_beta.id).is_correspondent


def test_admin_creates_and_renames_companies(client_for, world: World) -> None:
    client = client_for(world.admin)
    page = client.get("/gestion/entreprises").get_data(as_text=True)
    assert "Alpha" in page and "Beta" in page
    response = client.post(
        "/gestion/entreprises", data={"name": "Gamma Industrie", "headcount": "42"}
    )
    assert response.status_code == 302
    gamma = db.session.scalar(sa.select(Company).where(Company.name == "Gamma Industrie"))
    assert gamma is not None and gamma.slug == "gamma-industrie" and gamma.headcount == 42
    response = client.post(
        f"/gestion/entreprises/{gamma.id}",
        data={f"c{gamma.id}-name": "Gamma Énergie", f"c{gamma.id}-headcount": "50"},
    )
    assert response.status_code == 302
    db.session.refresh(gamma)
    assert (gamma.name, gamma.slug, gamma.headcount) == ("Gamma Énergie", "gamma-energie", 50)


def test_duplicate_company_name_is_refused(nothing_written, client_for, world: World) -> None:
    client = client_for(world.admin)
    with nothing_written():
        response = client.post("/gestion/entreprises", data={"name": "alpha", "headcount": ""})
    assert response.status_code == 422
    assert "déjà ce nom" in response.get_data(as_text=True)


def test_negative_headcount_is_refused(nothing_written, client_for, world: World) -> None:
    client = client_for(world.admin)
    with nothing_written():
        assert (
            client.post(
                "/gestion/entreprises", data={"name": "Delta", "headcount": "-3"}
            ).status_code
            == 422
        )


def test_correspondent_cannot_manage_companies(nothing_written, client_for, world: World) -> None:
    client = client_for(world.correspondent_alpha)
    with nothing_written():
        response = client.post(
            f"/gestion/entreprises/{world.alpha.id}", data={f"c{world.alpha.id}-name": "Pirate"}
        )
    assert response.status_code == 403
    assert world.alpha.name == "Alpha"
