"""Benchmark: suggestions for a need, pool candidates, correspondent and HR club pages.

    python bench/matching.py [--members 50000] [--requests 40] [--postgres URL] [--keep DIR]

Builds a fresh SQLite file (and, with ``--postgres URL`` or ``COOP_BENCH_DATABASE_URL``,
empties that PostgreSQL database and uses it too), creates the schema from the models, runs
the synthetic seed (``coop-formation seed``), adds the matching consent rows the seed lacks
(a third of members opt in), then prints p50/p95 of each operation and the SQL statements
each one runs. Goals: suggestions p95 < 100 ms, pages p95 < 300 ms, queries independent of size.
With ``--keep DIR`` the SQLite file lives in DIR and a database already seeded with the same
``--members`` is reused as is (PostgreSQL too), so that profiling does not reseed every time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coop_formation import create_app
from coop_formation.demo.data import DEMO_PASSWORD
from coop_formation.demo.server import reset_database
from coop_formation.demo.synthetic import SeedReport, seed_synthetic
from coop_formation.exchange.models import Need, NeedStatus, Offer
from coop_formation.extensions import db
from coop_formation.matching import services as matching
from coop_formation.matching.models import MatchingPreference
from coop_formation.people.auth import hash_password
from coop_formation.people.models import Cluster, Member


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


class QueryCounter:
    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._on)

    def _on(self, *args: object) -> None:
        self.count += 1


def _measure(
    label: str, name: str, runs: int, action: Callable[[int], object], counter: QueryCounter
) -> None:
    action(0)  # warm-up
    samples, queries = [], []
    for i in range(runs):
        before = counter.count
        started = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - started) * 1000)
        queries.append(counter.count - before)
    spread = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}"
    print(
        f"[{label}] {name:<38} {statistics.median(samples):8.1f} "
        f"{_percentile(samples, 0.95):8.1f} {spread:>8}"
    )


def _add_consent(members: list[int]) -> None:
    rng = random.Random(7)
    rows = [
        {
            "member_id": mid,
            "suggest_me": True,
            "accept_calls": rng.random() < 0.5,
            "availability": "le mardi" if rng.random() < 0.5 else "",
        }
        for mid in members
        if rng.random() < 0.33
    ]
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(MatchingPreference), rows[start : start + 5000])


# Indexes on other rooms' tables that matching's queries rely on (see _ensure_indexes).
EXTRA_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_member_skills_skill_relation_member "
    "ON member_skills (skill_id, relation, member_id)",
    "CREATE INDEX IF NOT EXISTS ix_needs_cluster_status_created "
    "ON needs (cluster_id, status, created_at, id)",
)


def _ensure_indexes() -> None:
    """Create the indexes matching asks the owners of those tables to declare (idempotent)."""
    with db.engine.begin() as conn:
        for statement in EXTRA_INDEXES:
            conn.execute(sa.text(statement))


def _seeded(members: int) -> SeedReport | None:
    """The report of an earlier bench seed of the same size, or None (then reseed)."""
    try:
        cluster = db.session.scalar(
            sa.select(Cluster).where(Cluster.name == f"Grappe synthétique {members}")
        )
    except sa.exc.DBAPIError:
        db.session.rollback()
        return None
    if cluster is None:
        return None

    def first_email(role: sa.ColumnElement[bool]) -> str:
        return db.session.scalar(
            sa.select(Member.email).where(Member.cluster_id == cluster.id, role).limit(1)
        )

    count = sa.select(sa.func.count())
    return SeedReport(
        cluster_id=cluster.id,
        cluster_name=cluster.name,
        companies=0,
        members=members,
        member_skills=0,
        needs=db.session.scalar(count.select_from(Need).where(Need.cluster_id == cluster.id)),
        offers=db.session.scalar(count.select_from(Offer).where(Offer.cluster_id == cluster.id)),
        sign_in_emails=[
            first_email(Member.is_correspondent.is_(True)),
            first_email(Member.is_hr_club.is_(True)),
        ],
    )


def _seed(label: str, members: int) -> SeedReport:
    reset_database()
    db.create_all()
    started = time.perf_counter()
    report = seed_synthetic(db.session, members, 10, password_hash=hash_password(DEMO_PASSWORD))
    ids = list(
        db.session.scalars(sa.select(Member.id).where(Member.cluster_id == report.cluster_id))
    )
    _add_consent(ids)
    correspondent = db.session.scalar(
        sa.select(Member).where(Member.email == report.sign_in_emails[0])
    )
    correspondent.is_correspondent = True
    hr = db.session.scalar(sa.select(Member).where(Member.email == report.sign_in_emails[1]))
    hr.is_hr_club = True
    db.session.commit()
    print(
        f"[{label}] seed --members {members} + consent: {time.perf_counter() - started:.1f} s "
        f"({report.needs} besoins, {report.offers} offres)"
    )
    return report


def run(
    label: str, url: str, members: int, runs: int, instance: Path, reuse: bool, indexes: bool
) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(instance),
            "MAIL_OUTBOX": str(instance / "outbox"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "bench-secret-key",
        }
    )
    with app.app_context():
        report = _seeded(members) if reuse else None
        if report is None:
            report = _seed(label, members)
        else:
            found = f"{report.needs} besoins, {report.offers} offres"
            print(f"[{label}] base existante réutilisée ({found})")
        if indexes:
            _ensure_indexes()
        if db.engine.dialect.name == "postgresql":
            # Steady state, as autovacuum leaves it: statistics and visibility map up to date
            # (index-only scans), not the state right after a bulk load.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        correspondent = db.session.scalar(
            sa.select(Member).where(Member.email == report.sign_in_emails[0])
        )
        need_ids = list(
            db.session.scalars(
                sa.select(Need.id)
                .where(Need.company_id == correspondent.company_id, Need.status == NeedStatus.OPEN)
                .order_by(Need.id)
                .limit(runs)
            )
        )
        counter = QueryCounter(db.engine)
        print(f"[{label}] {'opération':<38} {'p50 ms':>8} {'p95 ms':>8} {'requêtes':>8}")

        def suggest(i: int) -> None:
            db.session.expire_all()
            actor = db.session.get(Member, correspondent.id)
            need = matching.get_need_for_suggestions(db.session, actor, need_ids[i % len(need_ids)])
            matching.suggestions_for_need(db.session, actor, need)

        def candidates(i: int) -> None:
            db.session.expire_all()
            matching.pool_candidates(db.session, db.session.get(Member, correspondent.id))

        _measure(label, "service: suggestions_for_need", runs, suggest, counter)
        _measure(label, "service: pool_candidates", runs, candidates, counter)
        db.session.remove()

        pages = [
            (report.sign_in_emails[0], "/needs/{need}/suggestions"),
            (report.sign_in_emails[0], "/mutualisation"),
        ]
        rules = {r.rule for r in app.url_map.iter_rules()}
        if "/correspondant" in rules:
            pages.append((report.sign_in_emails[0], "/correspondant"))
        if "/club/carte-des-competences" in rules:
            pages.append((report.sign_in_emails[1], "/club/carte-des-competences"))
        clients = {}
        for email, path in pages:
            if email not in clients:
                clients[email] = app.test_client()
                response = clients[email].post(
                    "/login", data={"email": email, "password": DEMO_PASSWORD}
                )
                if response.status_code != 302:
                    raise SystemExit(f"[{label}] sign-in failed ({response.status_code})")
            client = clients[email]
            probe = client.get(path.format(need=need_ids[0])).status_code
            if probe != 200:  # a page another room has not finished: say so, do not fail
                print(f"[{label}] GET {path:<34} indisponible (HTTP {probe})")
                continue

            def get(i: int, client=client, path=path) -> None:  # type: ignore[no-untyped-def]
                target = path.format(need=need_ids[i % len(need_ids)])
                status = client.get(target).status_code
                assert status == 200, (target, status)

            _measure(label, f"GET {path}", runs, get, counter)
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=40, help="runs per operation")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("COOP_BENCH_DATABASE_URL"),
        help="PostgreSQL URL (its tables are dropped first); default $COOP_BENCH_DATABASE_URL",
    )
    parser.add_argument(
        "--pending-indexes",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="create the indexes on other rooms' tables that matching asks for (EXTRA_INDEXES)",
    )
    parser.add_argument(
        "--keep", type=Path, help="folder for the SQLite file; reuse databases already seeded"
    )
    args = parser.parse_args()
    if args.members < 20 or args.requests <= 0:
        print("Erreur : --members ≥ 20 et --requests > 0", file=sys.stderr)
        raise SystemExit(2)
    from coop_formation.config import normalise_database_url

    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp:
        root = Path(tmp)
        reuse = args.keep is not None
        folder = args.keep or root
        folder.mkdir(parents=True, exist_ok=True)
        sqlite = f"sqlite:///{folder.resolve() / f'bench-{args.members}.sqlite3'}"
        run("sqlite", sqlite, args.members, args.requests, root, reuse, args.pending_indexes)
        if args.postgres:
            url = normalise_database_url(args.postgres)
            run("postgresql", url, args.members, args.requests, root, reuse, args.pending_indexes)


if __name__ == "__main__":
    main()
