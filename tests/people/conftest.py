"""People test fixtures: French locale outside requests, cheap password hashing, and the
shared world committed with those cheap hashes.

Services called directly by a test (outside any request) run with the French locale forced:
``coop_formation.i18n.select_locale`` reads the request session and fails without a request.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from flask_babel import force_locale

from coop_formation.extensions import db
from coop_formation.people import auth
from tests.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _french_outside_requests(db_session):  # type: ignore[no-untyped-def]
    with force_locale("fr"):
        yield


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with minimal cost: each sign-in otherwise takes ~0.4 s on a busy machine."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", cheap)
    monkeypatch.setattr(auth, "_DUMMY_HASH", cheap.hash("not-a-real-password"))


@pytest.fixture()
def world(world, _cheap_password_hashing):  # type: ignore[no-untyped-def]
    """The shared world with cheap password hashes, committed (a savepoint released) so
    that a view's rollback does not undo it."""
    cheap_hash = auth.hash_password(TEST_PASSWORD)
    for name in (
        "member_alpha",
        "other_alpha",
        "correspondent_alpha",
        "member_beta",
        "correspondent_beta",
        "hr",
        "admin",
    ):
        getattr(world, name).password_hash = cheap_hash
    db.session.commit()
    return world
