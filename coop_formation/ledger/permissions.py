"""Who may do what with the currency, decided here and nowhere else.

Views and services ask :func:`can` / :func:`require` with one of the named permissions.
"""

from __future__ import annotations

from flask_babel import gettext as _

from coop_formation.errors import Forbidden
from coop_formation.people.models import Member

WALLET_READ = "ledger:wallet"
SEND_CREDITS = "ledger:send"
EDIT_POLICY = "ledger:policy"
RECORD_CONTRIBUTION = "ledger:contribute"
READ_CLEARING = "ledger:clearing"
CORRECT_TRANSFER = "ledger:correct"


def _is_active(actor: Member | None) -> bool:
    return actor is not None and actor.closed_at is None


def can(actor: Member | None, permission: str) -> bool:
    """True when ``actor`` holds ``permission`` (always within the actor's own cluster)."""
    if not _is_active(actor):
        return False
    assert actor is not None
    if permission in (WALLET_READ, SEND_CREDITS):
        return True
    if permission in (EDIT_POLICY, CORRECT_TRANSFER):
        return bool(actor.is_admin)
    if permission in (RECORD_CONTRIBUTION, READ_CLEARING):
        return bool(actor.is_admin or actor.is_hr_club)
    return False


def require(actor: Member | None, permission: str) -> None:
    """Raise :class:`Forbidden` unless ``actor`` holds ``permission``."""
    if not can(actor, permission):
        raise Forbidden(_("Vous n'avez pas accès à cette fonction de la monnaie de formation."))
