"""The currency's services, in one import place: what other rooms and the views call.

Engine functions (no actor: other domains call them after checking their own permissions)
live in :mod:`.accounts`, :mod:`.transfers` and :mod:`.policy`; their guarantees (row locks,
limits, idempotency, hash chains) are stated in the docstrings of :mod:`.transfers` and
:mod:`.accounts`. Services that act for a member take ``actor`` and ask
:mod:`coop_formation.authz` (rules in :mod:`.rules`). All flush; none commits.
"""

from __future__ import annotations

from coop_formation.ledger.accounts import (
    Balance,
    account_balance,
    company_account,
    find_member_account,
    fund_account,
    issuance_account,
    member_account,
)
from coop_formation.ledger.audit import AuditResult, check_ledger
from coop_formation.ledger.clearing import (
    ClearingReport,
    clearing_report,
    clearing_report_or_refusal,
)
from coop_formation.ledger.contributions import (
    contributing_companies,
    correct_transfer,
    recent_contributions,
    record_contribution,
)
from coop_formation.ledger.policy import current_policy, policy_at, policy_history, update_policy
from coop_formation.ledger.transfers import (
    create_transfer,
    post_pending_transfer,
    reverse_transfer,
    void_pending_transfer,
)
from coop_formation.ledger.wallet import (
    full_history,
    grant_welcome,
    open_wallet,
    send_credits,
    wallet,
    welcome_key,
)
from coop_formation.money import format_amount, parse_amount

__all__ = [
    "AuditResult",
    "Balance",
    "ClearingReport",
    "account_balance",
    "check_ledger",
    "clearing_report",
    "clearing_report_or_refusal",
    "company_account",
    "contributing_companies",
    "correct_transfer",
    "create_transfer",
    "current_policy",
    "find_member_account",
    "format_amount",
    "full_history",
    "fund_account",
    "grant_welcome",
    "issuance_account",
    "member_account",
    "open_wallet",
    "parse_amount",
    "policy_at",
    "policy_history",
    "post_pending_transfer",
    "recent_contributions",
    "record_contribution",
    "reverse_transfer",
    "send_credits",
    "update_policy",
    "void_pending_transfer",
    "wallet",
    "welcome_key",
]
