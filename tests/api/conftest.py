"""API tests reuse the recognition fixtures (isolated session, clients, wiring), register
the Open Badges API blueprint and ``token`` command when the app factory does not yet,
and create the API tables when the models were imported after the test database."""

from __future__ import annotations

import pytest
from flask import Flask

from coop_formation.extensions import db
from tests.recognition.conftest import (  # noqa: F401
    credential,
    recognition_wired,
    request_context,
    signed_in,
)


@pytest.fixture(scope="session", autouse=True)
def api_wired(app: Flask, recognition_wired: None) -> None:  # noqa: F811
    from coop_formation.api import cli, models, ob3

    if ob3.bp.name not in app.blueprints:
        started = app._got_first_request
        app._got_first_request = False
        app.register_blueprint(ob3.bp)
        app._got_first_request = started
    if cli.token_command.name not in app.cli.commands:
        app.cli.add_command(cli.token_command)
    tables = [
        models.PersonalToken.__table__,
        models.OAuthClient.__table__,
        models.OAuthAuthorizationCode.__table__,
        models.OAuthToken.__table__,
    ]
    with app.app_context():
        db.metadata.create_all(db.engine, tables=tables, checkfirst=True)
