"""Fixtures for community tests: a community and an isolated upload folder (signed-in
browsers are the shared ``client_for(member)``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from coop_formation.communities import services
from coop_formation.extensions import db


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
