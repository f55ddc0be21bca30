"""One-time links claimed atomically on PostgreSQL: of N parallel submissions, one succeeds.

Own scratch database on the server named by ``COOP_TEST_DATABASE_URL`` (see
tests/scratch_pg.py); skipped on SQLite, whose single writer serialises everything (the
sequential double use is tested in test_session_end.py).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from coop_formation.errors import NotFound
from coop_formation.people import accounts
from coop_formation.people.models import Cluster, Company, Member, OneTimeToken, TokenPurpose
from tests.scratch_pg import scratch_engine, skip_module_unless_postgres

skip_module_unless_postgres()
pytestmark = pytest.mark.postgres_only

THREADS = 3
NEW_PASSWORD = "un nouveau mot de passe"


@pytest.fixture(scope="module")
def engine() -> Iterator[sa.Engine]:
    with scratch_engine("coop_links_conc", pool_size=THREADS + 2) as engine:
        yield engine


def _member_with_token(engine: sa.Engine, purpose: TokenPurpose) -> str:
    tag = secrets.token_hex(4)
    with Session(engine) as session:
        cluster = Cluster(name=f"Grappe {tag}", slug=f"grappe-{tag}")
        company = Company(cluster=cluster, name=f"Entreprise {tag}", slug=f"e-{tag}")
        member = Member(
            cluster=cluster, company=company, email=f"m-{tag}@example.test", display_name="M"
        )
        session.add(member)
        session.flush()
        token = accounts.issue_token(session, member, purpose, accounts.reset_lifetime())
        session.commit()
        return token


@pytest.mark.parametrize("purpose", [TokenPurpose.PASSWORD_RESET, TokenPurpose.INVITATION])
def test_a_link_posted_three_times_at_once_succeeds_once(
    app: Flask, engine: sa.Engine, purpose: TokenPurpose
) -> None:
    with app.app_context():
        token = _member_with_token(engine, purpose)
    use = (
        accounts.accept_invitation
        if purpose is TokenPurpose.INVITATION
        else (accounts.reset_password)
    )
    barrier = threading.Barrier(THREADS)

    def one(_: int) -> Any:
        with app.app_context(), Session(engine, expire_on_commit=False) as session:
            session.connection()
            barrier.wait()
            try:
                use(session, token, NEW_PASSWORD, NEW_PASSWORD)
                session.commit()
                return "ok"
            except NotFound as exc:
                session.rollback()
                return exc

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(one, range(THREADS)))
    assert results.count("ok") == 1
    assert all(isinstance(r, NotFound) for r in results if r != "ok")
    with Session(engine) as session:
        used = session.scalar(
            sa.select(sa.func.count())
            .select_from(OneTimeToken)
            .where(
                OneTimeToken.token_hash == accounts._hash_token(token),
                OneTimeToken.used_at.is_not(None),
            )
        )
    assert used == 1
