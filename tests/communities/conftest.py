"""Fixtures for community tests: a community, signed-in browsers, an isolated upload folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from coop_formation.communities import services
from coop_formation.extensions import db
from tests.conftest import IsolatedClient, login


@pytest.fixture()
def browser(app: Flask, db_session):  # type: ignore[no-untyped-def]
    """``browser(member)``: a fresh client signed in as ``member`` (or anonymous with None)."""

    def _make(member=None) -> FlaskClient:  # type: ignore[no-untyped-def]
        client = IsolatedClient(app, app.response_class, use_cookies=True)
        if member is not None:
            login(client, member.email)
        return client

    return _make


@pytest.fixture()
def community(world):  # type: ignore[no-untyped-def]
    """ "Tableurs" created by Alice (Alpha, moderator), joined by Bruno (Beta)."""
    created = services.create_community(
        db.session, world.member_alpha, services.CommunityData(name="Tableurs", description="Excel")
    )
    services.join_community(db.session, world.member_beta, created.id)
    db.session.commit()
    return created


@pytest.fixture(autouse=True)
def upload_root(app: Flask, tmp_path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    original = app.instance_path
    app.instance_path = str(tmp_path / "instance")
    yield
    app.instance_path = original
