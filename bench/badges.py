"""Benchmark of the badges library against Digital Bazaar's JavaScript verifier.

Run: ``python bench/badges.py [N] [--profile]``. Signs N Open Badges 3.0 credentials
(eddsa-rdfc-2022 proof and VC-JWT), verifies them with our verifier, then has node verify
the very same credentials with Digital Bazaar's ``@digitalbazaar/vc`` (proof) and panva's
``jose`` (VC-JWT) through ``tests/external/bench-verify.mjs``, and prints rates and ratios
(goal: ours >= JS). Rates are wall-clock; CPU-time rates are printed too, since a shared
machine's wall-clock depends on its load. Not part of pytest.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# this file is itself called badges.py: keep its folder from shadowing the package
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import badges  # noqa: E402
import badges.image  # noqa: E402

NOW = datetime(2025, 6, 1, tzinfo=UTC)
EXTERNAL = _HERE.parent / "tests" / "external"
DID = "did:web:coop.example"
STATUS_URL = "https://coop.example/status/1"


class Rate:
    """Operations per second, wall-clock and CPU."""

    def __init__(self, count: int, seconds: float, cpu_seconds: float) -> None:
        self.count, self.seconds, self.cpu_seconds = count, seconds, cpu_seconds

    @property
    def per_second(self) -> float:
        return self.count / self.seconds

    @property
    def cpu_per_second(self) -> float:
        return self.count / self.cpu_seconds if self.cpu_seconds else float("inf")


def measure(items: Sequence[Any], operation: Callable[[Any], Any]) -> tuple[Rate, list[Any]]:
    operation(items[0])  # warm-up, as the JS side does (context caches, imports)
    cpu, wall = time.process_time(), time.perf_counter()
    results = [operation(item) for item in items]
    return Rate(len(items), time.perf_counter() - wall, time.process_time() - cpu), results


def setup(count: int) -> dict[str, Any]:
    key = badges.IssuerKey(f"{DID}#key-1", badges.generate_ed25519_key())
    status = badges.build_status_list_credential(
        list_url=STATUS_URL,
        issuer_id=DID,
        status_list=badges.StatusList(),
        valid_from=NOW - timedelta(days=1),
    )
    did_document = badges.build_did_document(DID, [key])
    resolver = badges.StaticResolver(
        dids={DID: did_document}, documents={STATUS_URL: badges.sign_credential(status, key)}
    )
    profile = badges.IssuerProfile(id=DID, name="Coop", url="https://coop.example")
    achievement = badges.AchievementDefinition(
        id="https://coop.example/a/1",
        name="Soudure",
        description="Souder.",
        criteria_narrative="Trois soudures.",
        alignments=[badges.Alignment("souder", "http://data.europa.eu/esco/skill/x")],
    )

    def build(i: int, with_status: bool) -> dict[str, Any]:
        options = badges.CredentialOptions(
            credential_status=badges.status_entry(STATUS_URL, i) if with_status else None
        )
        return badges.build_open_badge_credential(
            issuer=profile,
            achievement=achievement,
            recipient=badges.Recipient(email=f"membre{i}@example.fr"),
            valid_from=NOW,
            options=options,
        )

    return {
        "key": key,
        "did_document": did_document,
        "resolver": resolver,
        "with_status": [build(i, True) for i in range(count)],
        "proof_only": [build(i, False) for i in range(count)],
    }


def run_node(payload: dict[str, Any]) -> dict[str, Any] | None:
    node = shutil.which("node")
    if node is None or not (EXTERNAL / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        print("node or tests/external/node_modules missing: run `npm ci` in tests/external")
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(payload, handle)
    try:
        result = subprocess.run(
            [node, "bench-verify.mjs", handle.name],
            cwd=EXTERNAL,
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        )
    finally:
        Path(handle.name).unlink(missing_ok=True)
    return json.loads(result.stdout)


def line(name: str, rate: Rate) -> None:
    print(
        f"  {name:44s} {rate.per_second:9.1f} /s  (CPU {rate.cpu_per_second:9.1f} /s, "
        f"{rate.count} ops)"
    )


def main(count: int = 200, profile: bool = False) -> None:
    data = setup(count)
    key, resolver = data["key"], data["resolver"]

    def verify(document: Any) -> bool:
        return badges.verify(document, resolver=resolver, now=NOW).valid

    print(f"Open Badges 3.0, {count} credentials, Python {sys.version.split()[0]}")
    print("ours (badges/, Python):")
    sign_di, signed = measure(data["with_status"], lambda c: badges.sign_credential(c, key))
    line("sign eddsa-rdfc-2022", sign_di)
    sign_jwt, tokens = measure(data["with_status"], lambda c: badges.sign_jwt(c, key))
    line("sign VC-JWT", sign_jwt)
    _r, proof_only = measure(data["proof_only"], lambda c: badges.sign_credential(c, key))
    proof_only_jwts = [badges.sign_jwt(c, key) for c in data["proof_only"]]

    ours: dict[str, Rate] = {}
    for name, items in (
        ("verify JSON-LD proof (no status)", proof_only),
        ("verify VC-JWT (no status)", proof_only_jwts),
        ("verify JSON-LD proof + status list", signed),
        ("verify VC-JWT + status list", tokens),
    ):
        ours[name], results = measure(items, verify)
        assert all(results), f"{name}: some credentials did not verify"
        line(name, ours[name])

    png = badges.image.default_badge_png("Soudure")
    bake, _baked = measure(signed, lambda s: badges.bake_png(png, json.dumps(s)))
    line("bake PNG", bake)

    js = run_node(
        {
            "credentials": proof_only,
            "jwts": proof_only_jwts,
            "documents": {DID: data["did_document"]},
            "jwks": badges.jwks([key]),
            "issuer": DID,
            "now": badges.format_datetime(NOW),
        }
    )
    if js is not None:
        print("independent JavaScript verifiers (node, same credentials, no status check):")
        pairs = [
            (
                "Digital Bazaar @digitalbazaar/vc",
                "data_integrity",
                "verify JSON-LD proof (no status)",
            ),
            ("jose jwtVerify", "jwt", "verify VC-JWT (no status)"),
        ]
        for label, field, our_name in pairs:
            result = js[field]
            theirs = Rate(result["count"], result["seconds"], result["cpu_seconds"])
            line(f"{label} ({'ok' if result['all_verified'] else 'FAILED'})", theirs)
            mine = ours[our_name]
            print(
                f"  ratio ours/JS {our_name:33s} {mine.per_second / theirs.per_second:6.2f} "
                f"(CPU {mine.cpu_per_second / theirs.cpu_per_second:6.2f})  goal >= 1"
            )

    if profile:
        print("\nprofile of 20 JSON-LD verifications with status (cumulative time):")
        profiler = cProfile.Profile()
        profiler.enable()
        for document in signed[:20]:
            verify(document)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(arguments[0]) if arguments else 200, profile="--profile" in sys.argv)
