"""Transfer hashes: each row's sha256 over its canonical fields and both previous hashes.

Shared by the transfer engine (which writes them) and the audit (which recomputes them).
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import RowMapping

from coop_formation.ledger.models import Transfer

HASH_FIELDS = (
    "cluster_id",
    "debit_account_id",
    "credit_account_id",
    "amount",
    "kind",
    "reference_type",
    "reference_id",
    "idempotency_key",
    "memo",
    "state",
    "pending_id",
    "reversal_of_id",
    "actor_id",
    "created_at",
    "prev_debit_hash",
    "prev_credit_hash",
)
BALANCE_COLUMNS = ("debits_pending", "debits_posted", "credits_pending", "credits_posted")


# One encoder built once (json.dumps with options builds a new one per call).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical_time(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (isoformat: same text as strftime, faster)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def compute_hash(values: Mapping[str, Any] | RowMapping | Transfer) -> str:
    """sha256 over the canonical JSON of a transfer's fields and both previous hashes."""
    get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name)
    canonical: dict[str, Any] = {"v": 1}
    for name in HASH_FIELDS:
        value = get(name)
        if isinstance(value, enum.Enum):
            value = value.value
        elif isinstance(value, datetime):
            value = _canonical_time(value)
        canonical[name] = value
    return hashlib.sha256(_ENCODER.encode(canonical).encode("utf-8")).hexdigest()
