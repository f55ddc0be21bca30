"""Site-wide behaviour: security headers, French error pages, CSRF, navigation."""

from __future__ import annotations

import pytest

from coop_formation.site import navigation_for


def test_every_response_has_a_strict_content_security_policy(client):
    for path in ("/", "/login", "/does-not-exist", "/static/css/app.css"):
        response = client.get(path)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert '<html lang="fr">' in body
    assert "Page introuvable" in body


def test_unknown_api_path_answers_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_language_switch_to_english_sets_html_lang(client):
    client.post("/langue", data={"lang": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_open_redirect(client):
    response = client.post("/langue", data={"lang": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_post_without_csrf_token_is_refused_with_400(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"email": "a@b.test", "password": "x"})
        assert response.status_code == 400
        assert "formulaire a expiré" in response.get_data(as_text=True)
        response = client.post("/langue", data={"lang": "en"})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_session_cookie_is_hardened(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_pages_load_no_third_party_assets(client):
    body = client.get("/login").get_data(as_text=True)
    assert "http://" not in body.replace("http://localhost", "")
    assert "https://" not in body


def test_out_of_range_numbers_are_a_clear_4xx_not_a_500(client_for, world):
    client = client_for(world.member_alpha)
    huge = 2**63
    for path in (f"/needs/{huge}", f"/offers/{huge}", f"/status/{huge}", f"/members/{2**40}"):
        assert client.get(path).status_code == 404, path
    response = client.get(f"/needs?skill={huge}")
    assert response.status_code in (200, 400)
    assert response.status_code != 500


GUARDED = ("club.dashboard", "club.index", "people.admin_members")


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("member_alpha", set()),
        ("correspondent_alpha", {"club.dashboard", "people.admin_members"}),
        ("hr", {"club.index"}),
        ("admin", {"club.index", "people.admin_members"}),
    ],
)
def test_navigation_shows_the_pages_the_registry_opens(app, world, role, shown):
    with app.test_request_context():
        endpoints = {endpoint for endpoint, _label in navigation_for(getattr(world, role))}
    # Everyone who works in a company reads the needs; an HR-club-only account does not.
    assert ("exchange.list_needs" in endpoints) is (role != "hr")
    assert {e for e in endpoints if e in GUARDED} == shown


def test_menu_of_the_layout_follows_the_registry(client_for, world):
    # An HR-club-only account lands on the club's pages (it reads aggregates only).
    page = client_for(world.hr).get("/", follow_redirects=True).get_data(as_text=True)
    assert "Club RH" in page and "Gestion" not in page
    # ... and offers no entry into the member-level rooms it cannot open.
    for closed in ('href="/needs"', 'href="/offers"', "Agenda", "Communautés", "Messages"):
        assert closed not in page, closed


def test_language_choice_is_remembered_on_the_account(client_for, world):
    from coop_formation.extensions import db

    client_for(world.member_alpha).post("/langue", data={"lang": "en", "next": "/"})
    db.session.expire_all()
    assert world.member_alpha.locale == "en"
