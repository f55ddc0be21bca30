"""The in-platform list, preferences and policy pages, and who may NOT use them."""

from __future__ import annotations

import re

import pytest

from coop_formation.errors import NotFound
from coop_formation.extensions import db
from coop_formation.notifications import services
from coop_formation.notifications.models import (
    Frequency,
    NotificationPolicy,
    NotificationPreference,
)
from coop_formation.notifications.services import notify, unread_count


def _notify(member, subject="Sujet"):  # type: ignore[no-untyped-def]
    notification = notify(db.session, recipient=member, kind="relay_message", subject=subject)
    db.session.commit()
    return notification


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/notifications"),
        ("post", "/notifications/1/lue"),
        ("post", "/notifications/tout-lu"),
        ("get", "/notifications/preferences"),
        ("post", "/notifications/preferences"),
        ("get", "/notifications/horaires"),
        ("post", "/notifications/horaires"),
    ],
)
def test_anonymous_visitor_is_sent_to_login(client, world, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_list_shows_own_notifications_newest_first(client_for, world, clock):
    _notify(world.member_alpha, "Plus ancienne")
    clock.now = clock.now.replace(hour=10)
    _notify(world.member_alpha, "Plus récente")
    _notify(world.member_beta, "Pour quelqu'un d'autre")
    page = client_for(world.member_alpha).get("/notifications").get_data(as_text=True)
    assert page.index("Plus récente") < page.index("Plus ancienne")
    assert "quelqu&#39;un d&#39;autre" not in page and "Pour quelqu" not in page


def test_list_is_paginated(app, client_for, world, clock, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for index in range(5):
        clock.now = clock.now.replace(minute=index)
        _notify(world.member_alpha, f"Numéro {index}")
    browser = client_for(world.member_alpha)
    first = browser.get("/notifications").get_data(as_text=True)
    assert "Numéro 4" in first and "Numéro 3" in first and "Numéro 2" not in first
    third = browser.get("/notifications?page=3").get_data(as_text=True)
    assert "Numéro 0" in third and "Numéro 1" not in third
    assert browser.get("/notifications?page=abc").status_code == 200


def test_mark_one_and_all_read(client_for, world):
    first = _notify(world.member_alpha, "Un")
    _notify(world.member_alpha, "Deux")
    browser = client_for(world.member_alpha)
    assert unread_count(world.member_alpha) == 2
    response = browser.post(f"/notifications/{first.id}/lue")
    assert response.status_code == 302
    assert unread_count(world.member_alpha) == 1
    browser.post("/notifications/tout-lu")
    assert unread_count(world.member_alpha) == 0


def test_member_cannot_see_or_mark_another_members_notification(client_for, world, nothing_written):
    theirs = _notify(world.member_beta, "Privé")
    browser = client_for(world.member_alpha)
    with nothing_written():
        assert browser.post(f"/notifications/{theirs.id}/lue").status_code == 404
        assert browser.post("/notifications/999999/lue").status_code == 404
    browser.post("/notifications/tout-lu")
    db.session.refresh(theirs)
    assert theirs.read_at is None
    with pytest.raises(NotFound):
        services.get_notification(db.session, world.member_alpha, theirs.id)


def test_unread_count_is_zero_for_anonymous_visitor():
    from flask_login import AnonymousUserMixin

    assert unread_count(None) == 0
    assert unread_count(AnonymousUserMixin()) == 0  # type: ignore[arg-type]


def test_preferences_default_to_digest_and_are_saved(client_for, world):
    browser = client_for(world.member_alpha)
    page = browser.get("/notifications/preferences").get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*value="(\w+)"', page)
    assert checked == ["digest"] * len(services.KINDS)
    data = dict.fromkeys(services.KINDS, "digest")
    data.update(badge_received="immediate", relay_message="off")
    assert browser.post("/notifications/preferences", data=data).status_code == 302
    rows = {
        row.kind: row
        for row in db.session.scalars(
            db.select(NotificationPreference).where(
                NotificationPreference.member_id == world.member_alpha.id
            )
        )
    }
    assert rows["badge_received"].frequency == Frequency.IMMEDIATE
    assert rows["relay_message"].email_enabled is False
    assert rows["need_joined"].frequency == Frequency.DIGEST


def test_preferences_refuse_unknown_choice_without_500(client_for, world, nothing_written):
    browser = client_for(world.member_alpha)
    with nothing_written():
        response = browser.post("/notifications/preferences", data={"badge_received": "hourly"})
    assert response.status_code == 422


def test_member_cannot_edit_working_hours(client_for, world, nothing_written):
    data = {
        "timezone": "Europe/Paris",
        "days": ["1"],
        "start": "09:00",
        "end": "17:00",
        "digest": "09:00",
    }
    for member in (world.member_alpha, world.correspondent_alpha, world.hr):
        browser = client_for(member)
        assert browser.get("/notifications/horaires").status_code == 403
        with nothing_written():
            assert browser.post("/notifications/horaires", data={}).status_code == 403
            assert browser.post("/notifications/horaires", data=data).status_code == 403


def test_admin_edits_working_hours(client_for, world):
    browser = client_for(world.admin)
    page = browser.get("/notifications/horaires").get_data(as_text=True)
    assert "08:00" in page and "Europe/Paris" in page
    response = browser.post(
        "/notifications/horaires",
        data={
            "timezone": "Europe/Paris",
            "days": ["1", "2", "3", "4"],
            "start": "09:00",
            "end": "17:30",
            "digest": "09:00",
        },
    )
    assert response.status_code == 302
    policy = db.session.scalar(
        db.select(NotificationPolicy).where(NotificationPolicy.cluster_id == world.cluster.id)
    )
    assert policy.working_days == "1,2,3,4"
    assert policy.end_time.hour == 17 and policy.end_time.minute == 30


def test_unusable_working_hours_rerender_with_message(client_for, world, nothing_written):
    browser = client_for(world.admin)
    with nothing_written():
        response = browser.post(
            "/notifications/horaires",
            data={
                "timezone": "Europe/Paris",
                "days": ["1"],
                "start": "19:00",
                "end": "08:00",
                "digest": "08:00",
            },
        )
    assert response.status_code == 422
    assert "précéder" in response.get_data(as_text=True)
    with nothing_written():
        response = browser.post(
            "/notifications/horaires",
            data={"timezone": "Europe/Paris", "start": "08:00", "end": "19:00", "digest": "08:00"},
        )
    assert response.status_code == 422
    assert "jour ouvré" in response.get_data(as_text=True)


def test_layout_helper_gives_the_signed_in_members_unread_count(app, client_for, world):
    from flask import g, render_template_string
    from flask_login import login_user

    _notify(world.member_alpha, "Un")
    _notify(world.member_alpha, "Deux")
    with app.test_request_context("/"):
        login_user(world.member_alpha)
        assert render_template_string("{{ unread_notifications() }}") == "2"
    g.pop("_login_user", None)  # the test's app context is shared with the requests
    with app.test_request_context("/"):
        assert render_template_string("{{ unread_notifications() }}") == "0"


def test_unsafe_link_is_not_rendered_as_a_link(client_for, world):
    notify(
        db.session,
        recipient=world.member_alpha,
        kind="relay_message",
        subject="Piège",
        link="javascript:alert(1)",
    )
    db.session.commit()
    page = client_for(world.member_alpha).get("/notifications").get_data(as_text=True)
    assert "javascript:" not in page
