"""Ledger benchmark: transfers per second through the real services, next to pgbench.

Usage::

    COOP_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/coop_bench python bench/ledger.py

It (re)creates the database named in the URL, builds the schema, opens N member accounts,
then runs posted transfers between random accounts through
``coop_formation.ledger.services.create_transfer`` (one transaction each, committed) with 1
and 8 concurrent clients — separate processes, each with its own connection — for a fixed
duration. In the same run it initialises pgbench (``pgbench -i -s 8``) in a scratch database
on the same server, runs the built-in tpcb-like script with 1 and 8 clients, and prints
both throughputs and their ratio (goal: ≥ 0.5 at 8 clients).

pgbench comes with Debian's ``postgresql-client-<version>`` package (``apt-get install -y
postgresql-client``). Environment: ``COOP_BENCH_DURATION`` (seconds, default 10),
``COOP_BENCH_ACCOUNTS`` (default 1000), ``COOP_BENCH_SCALE`` (pgbench scale, default 8).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
import sqlalchemy as sa

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/coop_bench"
CLIENT_COUNTS = (1, 8)


def _settings() -> tuple[sa.URL, int, int, int]:
    from coop_formation.config import normalise_database_url

    raw = os.environ.get("COOP_BENCH_DATABASE_URL") or DEFAULT_URL
    url = sa.make_url(normalise_database_url(raw))
    if url.get_backend_name() != "postgresql" or not url.database:
        sys.exit("COOP_BENCH_DATABASE_URL must name a PostgreSQL database")
    duration = int(os.environ.get("COOP_BENCH_DURATION", "10"))
    accounts = int(os.environ.get("COOP_BENCH_ACCOUNTS", "1000"))
    scale = int(os.environ.get("COOP_BENCH_SCALE", "8"))
    return url, duration, accounts, scale


def _libpq(url: sa.URL, database: str) -> str:
    return url.set(drivername="postgresql", database=database).render_as_string(hide_password=False)


def _recreate_database(url: sa.URL, name: str) -> None:
    with psycopg.connect(_libpq(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _prepare_ledger(url: sa.URL, accounts: int) -> list[int]:
    from sqlalchemy.orm import Session

    from coop_formation.extensions import db
    from coop_formation.ledger import services as ledger
    from coop_formation.models import import_all
    from coop_formation.people.models import Cluster, Company, Member

    import_all()
    _recreate_database(url, str(url.database))
    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    with Session(engine) as session:
        cluster = Cluster(name="Grappe banc d'essai", slug="bench")
        company = Company(cluster=cluster, name="Entreprise", slug="entreprise")
        members = [
            Member(cluster=cluster, company=company, email=f"m{i}@bench.test", display_name=f"M{i}")
            for i in range(accounts)
        ]
        session.add_all(members)
        session.flush()
        ids = [ledger.member_account(session, m).id for m in members]
        session.commit()
    engine.dispose()
    return ids


def _client(
    url: str, ids: list[int], duration: int, ready: Any, go: Any, worker: int, out: mp.Queue
) -> None:
    """One client: its own process and connection, one committed transfer per loop."""
    from sqlalchemy.orm import Session

    from coop_formation.errors import LimitExceeded
    from coop_formation.ledger import services as ledger
    from coop_formation.models import import_all

    import_all()
    engine = sa.create_engine(url, pool_size=1, max_overflow=0)
    statements = [0]  # what the client sends besides BEGIN/COMMIT (round trips)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        statements[0] += 1

    rng = random.Random(worker)
    done = refused = 0
    with Session(engine) as session:
        session.connection()
        session.commit()
        ready.wait()  # everyone imported and connected
        go.wait()
        statements[0] = 0
        stop_at = time.time() + duration
        cpu = time.process_time()
        while time.time() < stop_at:
            debit, credit = rng.sample(ids, 2)
            try:
                ledger.create_transfer(
                    session,
                    debit_account_id=debit,
                    credit_account_id=credit,
                    amount=1,
                    kind="direct",
                    idempotency_key=f"bench:{worker}:{done + refused}",
                )
                session.commit()
                done += 1
            except LimitExceeded:
                session.rollback()
                refused += 1
        cpu = time.process_time() - cpu
    engine.dispose()
    out.put((done, refused, cpu, statements[0]))


def _run_ledger(url: sa.URL, ids: list[int], clients: int, duration: int) -> float:
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    ready = ctx.Barrier(clients + 1)
    go = ctx.Event()
    rendered = url.render_as_string(hide_password=False)
    procs = [
        ctx.Process(
            target=_client, args=(rendered, ids, duration, ready, go, w + clients * 100, out)
        )
        for w in range(clients)
    ]
    for proc in procs:
        proc.start()
    ready.wait()
    go.set()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    done = sum(r[0] for r in results)
    cpu = sum(r[2] for r in results)
    statements = sum(r[3] for r in results)
    tries = max(done + sum(r[1] for r in results), 1)
    print(
        f"    ({clients} client(s): {1000 * cpu / max(done, 1):.2f} ms of client CPU per transfer, "
        f"{statements / tries:.2f} statements per transfer besides BEGIN/COMMIT)"
    )
    return done / duration


TPS = re.compile(
    r"tps = ([0-9.]+) \((?:without initial connection time|excluding connections establishing)\)"
)


def _pgbench(url: sa.URL, database: str, *args: str) -> str:
    command = ["pgbench", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    if url.username:
        command += ["-U", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    result = subprocess.run(
        [*command, *args, database], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout + result.stderr


def _run_pgbench(url: sa.URL, scale: int, duration: int) -> dict[int, float]:
    scratch = f"{url.database}_pgbench"
    _recreate_database(url, scratch)
    _pgbench(url, scratch, "-i", "-q", "-s", str(scale))
    figures = {}
    for clients in CLIENT_COUNTS:
        jobs = ["-j", "2"] if clients > 1 else []
        text = _pgbench(
            url, scratch, "-b", "tpcb-like", "-c", str(clients), *jobs, "-T", str(duration)
        )
        match = TPS.search(text)
        if match is None:
            sys.exit(f"could not read pgbench's TPS from:\n{text}")
        figures[clients] = float(match.group(1))
    with psycopg.connect(_libpq(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    return figures


def main() -> None:
    url, duration, accounts, scale = _settings()
    if shutil.which("pgbench") is None:
        sys.exit("pgbench not found: apt-get install -y postgresql-client (Debian)")
    print(
        f"Server {url.host}:{url.port or 5432}, database {url.database}; "
        f"{accounts} accounts, {duration} s per run"
    )
    ids = _prepare_ledger(url, accounts)
    ledger_tps = {}
    for clients in CLIENT_COUNTS:
        ledger_tps[clients] = _run_ledger(url, ids, clients, duration)
        print(
            f"  ledger transfers, {clients} client(s): {ledger_tps[clients]:8.1f} transfers/s",
            flush=True,
        )
    pg_tps = _run_pgbench(url, scale, duration)
    print()
    print(f"{'clients':>8} {'ledger transfers/s':>20} {'pgbench tpcb-like TPS':>23} {'ratio':>7}")
    for clients in CLIENT_COUNTS:
        ratio = ledger_tps[clients] / pg_tps[clients] if pg_tps[clients] else float("nan")
        print(f"{clients:>8} {ledger_tps[clients]:>20.1f} {pg_tps[clients]:>23.1f} {ratio:>7.2f}")
    ratio8 = ledger_tps[8] / pg_tps[8] if pg_tps[8] else 0.0
    verdict = "reached" if ratio8 >= 0.5 else "NOT reached"
    print(f"Goal ratio >= 0.5 at 8 clients: {verdict} ({ratio8:.2f})")
    from sqlalchemy.orm import Session

    from coop_formation.ledger.audit import check_ledger

    engine = sa.create_engine(url)
    with Session(engine) as session:
        result = check_ledger(session)
    engine.dispose()
    print(
        f"Audit after the run: {'OK' if result.ok else 'VIOLATIONS'} ({result.transfers} transfers)"
    )
    for line in result.violations[:20]:
        print("  " + line)


if __name__ == "__main__":
    main()
