"""Personal API tokens: ``coop-formation token create``, and ``Authorization: Bearer`` on
``/api/v1/me*`` answered 401/403 as ``application/problem+json`` when refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coop_formation.api import tokens
from coop_formation.api.models import PersonalToken, digest
from coop_formation.db import utcnow
from coop_formation.extensions import db
from tests.api.helpers import bearer
from tests.recognition.conftest import award

PROBLEM = "application/problem+json"


def make_token(member, scopes=None, **kwargs):  # type: ignore[no-untyped-def]
    created = tokens.create_personal_token(db.session, member, scopes, **kwargs)
    db.session.commit()
    return created


def test_token_is_stored_only_as_its_hash(world):  # type: ignore[no-untyped-def]
    created = make_token(world.member_alpha)
    stored = db.session.scalar(
        sa.select(PersonalToken).where(PersonalToken.id == created.record.id)
    )
    assert stored.token_hash == digest(created.token) and created.token not in stored.token_hash
    assert created.token.startswith("cfp_") and stored.prefix == created.token[:12]


def test_me_with_a_valid_token(client, world):  # type: ignore[no-untyped-def]
    created = make_token(world.member_alpha)
    response = client.get("/api/v1/me", headers=bearer(created.token))
    assert response.status_code == 200
    assert response.get_json()["email"] == world.member_alpha.email


def test_my_credentials_lists_only_the_bearers_own(client, world):  # type: ignore[no-untyped-def]
    mine = award(world.member_alpha, by=world.correspondent_alpha)
    other = award(world.member_beta, by=world.correspondent_beta)
    db.session.commit()
    created = make_token(world.member_alpha, [tokens.SCOPE_CREDENTIALS_READ])
    body = client.get("/api/v1/me/credentials", headers=bearer(created.token)).get_json()
    ids = [item["id"] for item in body["credentials"]]
    assert ids == [mine.public_id] and other.public_id not in ids


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer cfp_unknown", "Basic Zm9vOmJhcg==", "bearer  "],
)
def test_missing_or_unknown_token_is_401_problem(client, db_session, header):  # type: ignore[no-untyped-def]
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/me/credentials", headers=headers)
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.get_json()["type"].endswith("/invalid-token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_401(client, world):  # type: ignore[no-untyped-def]
    created = make_token(world.member_alpha, now=utcnow() - timedelta(days=5), days=1)
    response = client.get("/api/v1/me", headers=bearer(created.token))
    assert response.status_code == 401 and "expiré" in response.get_json()["detail"]


def test_revoked_token_is_401(client, world):  # type: ignore[no-untyped-def]
    created = make_token(world.member_alpha)
    tokens.revoke_personal_token(db.session, world.member_alpha, created.record.id)
    db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(created.token))
    assert response.status_code == 401 and "révoqué" in response.get_json()["detail"]


def test_someone_else_cannot_revoke_my_token(world):  # type: ignore[no-untyped-def]
    from coop_formation.errors import NotFound

    created = make_token(world.member_alpha)
    with pytest.raises(NotFound):
        tokens.revoke_personal_token(db.session, world.member_beta, created.record.id)


@pytest.mark.parametrize("revoker", ["member_alpha", "admin"])
def test_owner_or_admin_revokes_a_token(world, revoker):  # type: ignore[no-untyped-def]
    created = make_token(world.member_alpha)
    tokens.revoke_personal_token(db.session, getattr(world, revoker), created.record.id)
    assert created.record.revoked_at is not None


def test_token_without_the_scope_is_403(client, world):  # type: ignore[no-untyped-def]
    created = make_token(world.member_alpha, [tokens.SCOPE_PROFILE_READ])
    response = client.get("/api/v1/me/credentials", headers=bearer(created.token))
    assert response.status_code == 403 and response.mimetype == PROBLEM
    assert response.get_json()["type"].endswith("/insufficient-scope")
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


def test_token_of_a_closed_account_is_401(client, world):  # type: ignore[no-untyped-def]
    created = make_token(world.other_alpha)
    world.other_alpha.closed_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(created.token)).status_code == 401


def test_session_cookie_is_not_a_token(client_for, world):  # type: ignore[no-untyped-def]
    browser = client_for(world.member_alpha)
    assert browser.get("/api/v1/me").status_code == 401


def test_cli_creates_a_token_that_works(app, client, world):  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner(mix_stderr=False) if _mix_supported(app) else app.test_cli_runner()
    result = runner.invoke(
        args=[
            "token",
            "create",
            world.member_alpha.email,
            "--scope",
            "credentials:read",
            "--days",
            "7",
        ]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[0]
    assert client.get("/api/v1/me/credentials", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 403


@pytest.mark.parametrize(
    "args",
    [
        ["token", "create", "personne@nulle.part"],
        ["token", "create", "x@y.z", "--scope", "admin:all"],
        ["token", "create", "{email}", "--days", "0"],
    ],
)
def test_cli_bad_input_exits_2(app, world, args):  # type: ignore[no-untyped-def]
    args = [a.format(email=world.member_alpha.email) for a in args]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2


def _mix_supported(app) -> bool:  # type: ignore[no-untyped-def]
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters
