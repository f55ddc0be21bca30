"""Open Badges API resources: a token reaches only its member's credentials and profile,
with the operation's scope; paging headers; upsert imports an external credential."""

from __future__ import annotations

import json

import pytest

from coop_formation.extensions import db
from tests.api.helpers import PREFIX, PROFILE_READ, READ, UPSERT, bearer, obtain_tokens
from tests.recognition.conftest import award, document_of


@pytest.fixture()
def alice_token(client, client_for, world):  # type: ignore[no-untyped-def]
    return obtain_tokens(client, client_for(world.member_alpha))[1]["access_token"]


def test_credentials_never_include_another_members(client, world, alice_token):  # type: ignore[no-untyped-def]
    mine = award(world.member_alpha, by=world.correspondent_alpha)
    theirs = award(world.member_beta, by=world.correspondent_beta)
    colleague = award(world.other_alpha, by=world.correspondent_alpha)
    db.session.commit()
    response = client.get(f"{PREFIX}/credentials", headers=bearer(alice_token))
    body = response.get_json()
    assert response.status_code == 200
    assert [c["id"] for c in body["credential"]] == [document_of(mine)["id"]]
    assert body["compactJwsString"] == []  # each credential once, in one of its two forms
    text = response.get_data(as_text=True)
    assert theirs.public_id not in text and colleague.public_id not in text


def test_pagination_headers(client, world, alice_token):  # type: ignore[no-untyped-def]
    for _ in range(5):
        award(world.member_alpha, by=world.correspondent_alpha)
    db.session.commit()
    response = client.get(f"{PREFIX}/credentials?limit=2&offset=2", headers=bearer(alice_token))
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "5"
    assert len(response.get_json()["credential"]) == 2
    links = response.headers["Link"]
    assert 'limit=2&offset=4>; rel="next"' in links
    assert 'limit=2&offset=4>; rel="last"' in links
    assert 'limit=2&offset=0>; rel="first"' in links
    assert 'limit=2&offset=0>; rel="prev"' in links
    last = client.get(f"{PREFIX}/credentials?limit=2&offset=4", headers=bearer(alice_token))
    assert len(last.get_json()["credential"]) == 1 and 'rel="next"' not in last.headers["Link"]


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "offset=-1", "since=hier"])
def test_bad_paging_parameters_are_400_imsx(client, alice_token, query):  # type: ignore[no-untyped-def]
    response = client.get(f"{PREFIX}/credentials?{query}", headers=bearer(alice_token))
    assert response.status_code == 400 and response.get_json()["imsx_codeMajor"] == "failure"


def test_since_filters_older_credentials(client, world, alice_token):  # type: ignore[no-untyped-def]
    award(world.member_alpha, by=world.correspondent_alpha)
    db.session.commit()
    url = f"{PREFIX}/credentials?since=2999-01-01T00:00:00Z"
    response = client.get(url, headers=bearer(alice_token))
    assert response.headers["X-Total-Count"] == "0" and response.get_json()["credential"] == []


def test_missing_token_is_401_imsx(client, db_session):  # type: ignore[no-untyped-def]
    for method, path in [("get", "/credentials"), ("post", "/credentials"), ("get", "/profile")]:
        response = getattr(client, method)(PREFIX + path)
        assert response.status_code == 401
        assert response.get_json()["imsx_codeMajor"] == "failure"


def test_wrong_scope_is_403(client, client_for, world):  # type: ignore[no-untyped-def]
    _c, token = obtain_tokens(client, client_for(world.member_alpha), scope=PROFILE_READ)
    access = bearer(token["access_token"])
    response = client.get(f"{PREFIX}/credentials", headers=access)
    assert response.status_code == 403
    minor = response.get_json()["imsx_codeMinor"]["imsx_codeMinorField"][0]
    assert minor["imsx_codeMinorFieldValue"] == "forbidden"
    assert client.post(f"{PREFIX}/credentials", headers=access, json={}).status_code == 403
    assert client.put(f"{PREFIX}/profile", headers=access, json={"name": "X"}).status_code == 403


def test_upsert_imports_then_replaces(client, world, credential, client_for):  # type: ignore[no-untyped-def]
    _c, token = obtain_tokens(client, client_for(world.member_alpha), scope=f"{UPSERT} {READ}")
    access = bearer(token["access_token"])
    first = client.post(
        f"{PREFIX}/credentials",
        data=credential.document,
        content_type="application/json",
        headers=access,
    )
    assert first.status_code == 201, first.get_data(as_text=True)
    assert json.loads(first.data) == document_of(credential)
    again = client.post(
        f"{PREFIX}/credentials", data=credential.jwt, content_type="text/plain", headers=access
    )
    assert again.status_code == 200 and again.get_data(as_text=True) == credential.jwt
    from coop_formation.recognition import services

    imported = services.imported_badges(db.session, world.member_alpha)
    assert len(imported) == 1 and imported[0].valid


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ('{"hello": "world"}', "application/json", 400),
        ("pas un jeton", "text/plain", 400),
        ("<x/>", "application/xml", 400),
        ("{" + " " * 1_100_000 + "}", "application/json", 413),
    ],
)
def test_upsert_bad_input_is_imsx(  # type: ignore[no-untyped-def]
    client, client_for, nothing_written, world, data, content_type, status
):
    _c, token = obtain_tokens(client, client_for(world.member_alpha), scope=UPSERT)
    with nothing_written():
        response = client.post(
            f"{PREFIX}/credentials",
            data=data,
            content_type=content_type,
            headers=bearer(token["access_token"]),
        )
    assert response.status_code == status
    assert response.get_json()["imsx_codeMajor"] == "failure"


def test_profile_read_and_update(client, world, alice_token):  # type: ignore[no-untyped-def]
    profile = client.get(f"{PREFIX}/profile", headers=bearer(alice_token)).get_json()
    assert profile["name"] == world.member_alpha.display_name
    assert profile["type"] == ["Profile"] and profile["email"] == world.member_alpha.email
    updated = client.put(
        f"{PREFIX}/profile",
        json={**profile, "name": "Alice Nouveau", "phone": "01 02 03 04 05"},
        headers=bearer(alice_token),
    )
    assert updated.status_code == 200 and updated.get_json()["name"] == "Alice Nouveau"
    db.session.refresh(world.member_alpha)
    assert world.member_alpha.display_name == "Alice Nouveau"
    assert world.member_alpha.phone == "01 02 03 04 05"


@pytest.mark.parametrize("body", [[], {"name": ""}, {"name": 3}, {"name": "A", "phone": 1}])
def test_profile_update_refuses_bad_bodies(client, nothing_written, world, alice_token, body):  # type: ignore[no-untyped-def]
    name = world.member_alpha.display_name
    with nothing_written():
        response = client.put(f"{PREFIX}/profile", json=body, headers=bearer(alice_token))
    assert response.status_code == 400 and response.get_json()["imsx_codeMajor"] == "failure"
    db.session.refresh(world.member_alpha)
    assert world.member_alpha.display_name == name


def test_personal_tokens_are_not_oauth_tokens(client, world):  # type: ignore[no-untyped-def]
    from coop_formation.api import tokens

    created = tokens.create_personal_token(db.session, world.member_alpha)
    db.session.commit()
    response = client.get(f"{PREFIX}/profile", headers=bearer(created.token))
    assert response.status_code == 401
