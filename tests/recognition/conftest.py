"""Recognition test fixtures.

Signed-in browsers come from ``client_for(member)`` (tests/conftest.py); the helpers
below build achievements and credentials through the services.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from coop_formation.extensions import db
from coop_formation.people.models import Member
from coop_formation.recognition import services
from coop_formation.recognition.models import Achievement, AchievementKind, Credential
from tests.conftest import IsolatedClient, login


@pytest.fixture(scope="session")
def recognition_wired() -> None:
    """Nothing left to wire: create_app registers every blueprint and command. Kept only
    while tests/api/conftest.py and tests/external/app/conftest.py still import it."""


@pytest.fixture(autouse=True)
def request_context(app: Flask, db_session: sa.orm.scoped_session) -> Iterator[None]:
    """Services translate their messages, which needs a request (for the locale)."""
    with app.test_request_context():
        yield


@pytest.fixture()
def signed_in(app: Flask, db_session: sa.orm.scoped_session):  # type: ignore[no-untyped-def]
    """A fresh browser signed in as ``member``. Recognition tests use ``client_for``; kept
    only while tests/api still imports it."""

    def _make(member: Member) -> FlaskClient:
        browser = IsolatedClient(app, app.response_class, use_cookies=True)
        login(browser, member.email)
        return browser

    return _make


def make_achievement(
    actor: Member, kind: AchievementKind = AchievementKind.TRAINING_FOLLOWED, **fields: Any
) -> Achievement:
    data = services.AchievementData(
        name=fields.pop("name", f"Badge {secrets.token_hex(3)}"),
        description=fields.pop("description", "Savoir souder à l'arc."),
        criteria=fields.pop("criteria", "Trois soudures contrôlées."),
        kind=kind,
        **fields,
    )
    return services.create_achievement(db.session, actor, data)


def award(
    recipient: Member,
    *,
    by: Member,
    achievement: Achievement | None = None,
    now: datetime | None = None,
    valid_until: datetime | None = None,
) -> Credential:
    achievement = achievement or make_achievement(by)
    return services.award_manually(
        db.session,
        by,
        achievement_id=achievement.id,
        recipient_id=recipient.id,
        evidence="A soudé trois pièces contrôlées.",
        now=now,
        valid_until=valid_until,
    )


@pytest.fixture()
def credential(world) -> Credential:  # type: ignore[no-untyped-def]
    """A badge awarded by Alpha's correspondent to Alice (Alpha), committed."""
    issued = award(world.member_alpha, by=world.correspondent_alpha)
    db.session.commit()
    return issued


def document_of(credential: Credential) -> dict[str, Any]:
    return json.loads(credential.document)
