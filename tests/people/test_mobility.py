"""Mobility wishes: private by default; only the author and the chosen readers ever read them.

The sweep walks every GET route of the application (so routes added later are covered too)
with every other account of the world and proves no page, export or API answer contains a
wish's title or text.
"""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from werkzeug.routing import BuildError, IntegerConverter

from coop_formation.extensions import db
from coop_formation.people import mobility
from coop_formation.people.models import MobilityWish, MobilityWishReader
from tests.factories import MemberFactory

SHARED_TITLE = "WISHTITLE7f3a9c"
SHARED_TEXT = "WISHTEXTb81e42 devenir infirmier"
PRIVATE_TITLE = "PRIVTITLE5d0c11"
PRIVATE_TEXT = "PRIVTEXT99ab07 quitter le site"
MARKERS = (SHARED_TITLE, "WISHTEXTb81e42", PRIVATE_TITLE, "PRIVTEXT99ab07")


@pytest.fixture()
def wishes(world):  # type: ignore[no-untyped-def]
    """Alice (Alpha) shares one wish with her correspondent Chloé and keeps one to herself."""
    shared = mobility.create_wish(
        db.session,
        world.member_alpha,
        title=SHARED_TITLE,
        text=SHARED_TEXT,
        horizon="medium",
        reader_ids=[world.correspondent_alpha.id],
    )
    private = mobility.create_wish(
        db.session, world.member_alpha, title=PRIVATE_TITLE, text=PRIVATE_TEXT
    )
    db.session.commit()
    return shared, private


def _get_urls(app: Flask, int_values: list[int], str_values: list[str]) -> list[str]:
    """Every GET route, its arguments filled with each candidate value."""
    urls: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        names = sorted(rule.arguments)
        choices = []
        for name in names:
            is_int = isinstance(rule._converters[name], IntegerConverter)
            choices.append(int_values if is_int else str_values)
        for combo in itertools.product(*choices):
            with app.test_request_context():
                try:
                    urls.append(url_for(rule.endpoint, **dict(zip(names, combo, strict=True))))
                except BuildError:  # a converter refusing the value: no such URL
                    continue
    return sorted(set(urls))


def _leaks(client, urls: list[str]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[str]] = {}
    for url in urls:
        text = client.get(url).get_data(as_text=True)
        hits = [marker for marker in MARKERS if marker in text]
        if hits:
            found[url] = hits
    return found


def _candidates(world, shared, private):  # type: ignore[no-untyped-def]
    ints = sorted({shared.id, private.id, world.member_alpha.id, world.correspondent_alpha.id, 1})
    strs = [str(shared.id), "alpha"]
    return ints, strs


OUTSIDERS = [
    "other_alpha",
    "member_beta",
    "correspondent_beta",
    "hr",
    "admin",
    "second_correspondent_alpha",
]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_page_export_or_api_shows_a_wish_to_anyone_else(app, client_for, world, wishes, who):
    if who == "second_correspondent_alpha":
        account = MemberFactory(company=world.alpha, is_correspondent=True, is_admin=True)
        db.session.commit()
    else:
        account = getattr(world, who)
    urls = _get_urls(app, *_candidates(world, *wishes))
    assert "/me/export" in urls and "/mobilite/partagees" in urls
    assert any(url.startswith("/api/") for url in urls)
    assert _leaks(client_for(account), urls) == {}


def test_anonymous_visitors_never_see_a_wish(app, client, world, wishes):
    urls = _get_urls(app, *_candidates(world, *wishes))
    assert _leaks(client, urls) == {}


def test_the_chosen_reader_sees_the_shared_wish_only_on_the_shared_page(
    app, client_for, world, wishes
):
    urls = _get_urls(app, *_candidates(world, *wishes))
    leaks = _leaks(client_for(world.correspondent_alpha), urls)
    assert leaks == {"/mobilite/partagees": [SHARED_TITLE, "WISHTEXTb81e42"]}
    page = client_for(world.correspondent_alpha).get("/mobilite/partagees").get_data(as_text=True)
    assert world.member_alpha.display_name in page


def test_the_author_reads_both_wishes_and_their_export_holds_them(client_for, world, wishes):
    client = client_for(world.member_alpha)
    page = client.get("/me/mobilite").get_data(as_text=True)
    assert SHARED_TITLE in page and PRIVATE_TITLE in page
    assert "Lisible par vous seul." in page
    export = client.get("/me/export").get_json()
    titles = {wish["title"]: wish["readers"] for wish in export["mobility_wishes"]}
    assert titles == {SHARED_TITLE: ["Chloé Petit"], PRIVATE_TITLE: []}


def test_a_wish_is_private_by_default(client_for, world):
    response = client_for(world.member_alpha).post(
        "/me/mobilite", data={"title": "Changer de métier", "text": "", "horizon": "soon"}
    )
    assert response.status_code == 302
    wish = db.session.scalars(sa.select(MobilityWish)).one()
    assert wish.readers == []
    for reader in (world.correspondent_alpha, world.hr):
        assert "Changer de métier" not in client_for(reader).get("/mobilite/partagees").get_data(
            as_text=True
        )


def test_an_hr_contact_can_be_chosen_as_reader(client_for, world):
    client_for(world.member_alpha).post(
        "/me/mobilite",
        data={"title": "Reconversion", "horizon": "later", "reader_ids": [world.hr.id]},
    )
    assert "Reconversion" in client_for(world.hr).get("/mobilite/partagees").get_data(as_text=True)


@pytest.mark.parametrize("who", ["correspondent_beta", "other_alpha", "admin", "member_alpha"])
def test_readers_are_only_own_correspondents_or_hr_contacts(
    nothing_written, client_for, world, who
):
    with nothing_written():
        response = client_for(world.member_alpha).post(
            "/me/mobilite",
            data={"title": "Ailleurs", "horizon": "soon", "reader_ids": [getattr(world, who).id]},
        )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(MobilityWish.id))) == 0


def test_author_edits_readers_and_a_removed_reader_loses_access(client_for, world, wishes):
    shared, _private = wishes
    response = client_for(world.member_alpha).post(
        f"/me/mobilite/{shared.id}",
        data={"title": SHARED_TITLE, "text": SHARED_TEXT, "horizon": "soon", "reader_ids": []},
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(MobilityWishReader.id))) == 0
    page = client_for(world.correspondent_alpha).get("/mobilite/partagees").get_data(as_text=True)
    assert SHARED_TITLE not in page


def test_a_reader_who_loses_the_role_no_longer_reads(client_for, world, wishes):
    world.correspondent_alpha.is_correspondent = False
    db.session.commit()
    page = client_for(world.correspondent_alpha).get("/mobilite/partagees").get_data(as_text=True)
    assert SHARED_TITLE not in page


@pytest.mark.parametrize("who", ["correspondent_alpha", "other_alpha", "admin", "hr"])
def test_nobody_else_edits_or_deletes_a_wish(nothing_written, client_for, world, wishes, who):
    shared, _private = wishes
    client = client_for(getattr(world, who))
    assert client.get(f"/me/mobilite/{shared.id}").status_code == 404
    with nothing_written():
        assert client.post(f"/me/mobilite/{shared.id}", data={"title": "x"}).status_code == 404
        assert client.post(f"/me/mobilite/{shared.id}/supprimer").status_code == 404
    assert db.session.get(MobilityWish, shared.id).title == SHARED_TITLE


def test_author_deletes_a_wish(client_for, world, wishes):
    shared, _private = wishes
    response = client_for(world.member_alpha).post(f"/me/mobilite/{shared.id}/supprimer")
    assert response.status_code == 302
    assert db.session.get(MobilityWish, shared.id) is None


def test_empty_title_rerenders_the_form(nothing_written, client_for, world):
    with nothing_written():
        response = client_for(world.member_alpha).post("/me/mobilite", data={"title": " "})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/me/mobilite"),
        ("post", "/me/mobilite"),
        ("get", "/me/mobilite/1"),
        ("post", "/me/mobilite/1"),
        ("post", "/me/mobilite/1/supprimer"),
        ("get", "/mobilite/partagees"),
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, world, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_no_api_answer_shows_a_wish_even_with_a_bearer_token(app, client, world, wishes):
    """API clients authenticate with personal tokens: sweep /api/ with every account's token."""
    tokens = pytest.importorskip("coop_formation.api.tokens")
    urls = [url for url in _get_urls(app, *_candidates(world, *wishes)) if url.startswith("/api/")]
    assert urls
    accounts = [getattr(world, name) for name in OUTSIDERS[:-1]]
    accounts += [world.member_alpha, world.correspondent_alpha]
    for account in accounts:
        bearer = tokens.create_personal_token(db.session, account).token
        db.session.commit()
        for url in urls:
            text = client.get(url, headers={"Authorization": f"Bearer {bearer}"}).get_data(
                as_text=True
            )
            assert not [marker for marker in MARKERS if marker in text], (account.email, url)
