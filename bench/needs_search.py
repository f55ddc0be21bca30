"""Benchmark: latency of ``GET /needs?q=<word>`` on a synthetic cluster.

    python bench/needs_search.py [--members 50000] [--requests 60] [--postgres URL]

Builds a fresh SQLite file (and, with ``--postgres URL`` or ``COOP_BENCH_DATABASE_URL``,
empties that PostgreSQL database and uses it too), brings the schema up to date, runs the
synthetic seed (``coop-formation seed``) and prints its duration, then signs in as a member
through the test client and prints p50/p95 of the needs search for a few words.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coop_formation import create_app
from coop_formation.demo.data import DEMO_PASSWORD
from coop_formation.demo.server import reset_database, upgrade_schema
from coop_formation.demo.synthetic import seed_synthetic
from coop_formation.extensions import db
from coop_formation.people.auth import hash_password

WORDS = ("tableur", "soudure", "sécurité", "anglais", "commande numérique")


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def run(label: str, url: str, members: int, requests: int, instance: Path) -> None:
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
        reset_database()
        upgrade_schema(lambda line: print(f"[{label}] {line}"))
        started = time.perf_counter()
        report = seed_synthetic(db.session, members, 10, password_hash=hash_password(DEMO_PASSWORD))
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))  # as `coop-formation seed` does after its load
        db.session.commit()
        seeded = time.perf_counter() - started
        db.session.remove()
    print(
        f"[{label}] seed --members {members}: {seeded:.1f} s "
        f"({report.needs} besoins, {report.offers} offres, {report.member_skills} compétences)"
    )

    client = app.test_client()
    response = client.post(
        "/login", data={"email": report.sign_in_emails[0], "password": DEMO_PASSWORD}
    )
    if response.status_code != 302:
        raise SystemExit(f"[{label}] sign-in failed ({response.status_code})")
    print(f"[{label}] {'requête':<32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for query in ("", *WORDS):
        path = f"/needs?q={query}" if query else "/needs"
        assert client.get(path).status_code == 200  # warm-up (and correctness)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            status = client.get(path).status_code
            samples.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
        print(
            f"[{label}] {path:<32} {statistics.median(samples):8.1f} "
            f"{_percentile(samples, 0.95):8.1f} {max(samples):8.1f}"
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=60, help="requests per search word")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("COOP_BENCH_DATABASE_URL"),
        help="PostgreSQL URL (its tables are dropped first); default $COOP_BENCH_DATABASE_URL",
    )
    args = parser.parse_args()
    if args.members <= 0 or args.requests <= 0:
        print("Erreur : --members et --requests doivent être strictement positifs", file=sys.stderr)
        raise SystemExit(2)
    from coop_formation.config import normalise_database_url

    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp:
        root = Path(tmp)
        run("sqlite", f"sqlite:///{root / 'bench.sqlite3'}", args.members, args.requests, root)
        if args.postgres:
            run(
                "postgresql",
                normalise_database_url(args.postgres),
                args.members,
                args.requests,
                root,
            )


if __name__ == "__main__":
    main()
