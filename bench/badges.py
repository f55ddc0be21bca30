"""Benchmark of the badges library: signing and verifying Open Badges 3.0 credentials.

Run: ``python bench/badges.py [N]``; prints per-operation timings. Not part of pytest.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# this file is itself called badges.py: keep its folder from shadowing the package
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import badges  # noqa: E402
import badges.image  # noqa: E402

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def main(count: int = 200) -> None:
    did = "did:web:coop.example"
    key = badges.IssuerKey(f"{did}#key-1", badges.generate_ed25519_key())
    status_url = "https://coop.example/status/1"
    status = badges.build_status_list_credential(
        list_url=status_url,
        issuer_id=did,
        status_list=badges.StatusList(),
        valid_from=NOW - timedelta(days=1),
    )
    resolver = badges.StaticResolver(
        dids={did: badges.build_did_document(did, [key])},
        documents={status_url: badges.sign_credential(status, key)},
    )
    profile = badges.IssuerProfile(id=did, name="Coop", url="https://coop.example")
    achievement = badges.AchievementDefinition(
        id="https://coop.example/a/1",
        name="Soudure",
        description="Souder.",
        criteria_narrative="Trois soudures.",
        alignments=[badges.Alignment("souder", "http://data.europa.eu/esco/skill/x")],
    )
    credentials = [
        badges.build_open_badge_credential(
            issuer=profile,
            achievement=achievement,
            recipient=badges.Recipient(email=f"membre{i}@example.fr"),
            valid_from=NOW,
            options=badges.CredentialOptions(credential_status=badges.status_entry(status_url, i)),
        )
        for i in range(count)
    ]
    timings: dict[str, float] = {}

    start = time.perf_counter()
    signed = [badges.sign_credential(c, key) for c in credentials]
    timings["sign (eddsa-rdfc-2022)"] = time.perf_counter() - start

    start = time.perf_counter()
    tokens = [badges.sign_jwt(c, key) for c in credentials]
    timings["sign (VC-JWT)"] = time.perf_counter() - start

    start = time.perf_counter()
    assert all(badges.verify(s, resolver=resolver, now=NOW).valid for s in signed)
    timings["verify (data integrity + status)"] = time.perf_counter() - start

    start = time.perf_counter()
    assert all(badges.verify(t, resolver=resolver, now=NOW).valid for t in tokens)
    timings["verify (VC-JWT + status)"] = time.perf_counter() - start

    png = badges.image.default_badge_png("Soudure")
    start = time.perf_counter()
    baked = [badges.bake_png(png, json.dumps(s)) for s in signed]
    timings["bake PNG"] = time.perf_counter() - start
    assert all(badges.extract_png(b) for b in baked)

    for name, seconds in timings.items():
        print(f"{name:36s} {seconds / count * 1000:8.2f} ms/op  ({count} ops)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
