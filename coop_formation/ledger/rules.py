"""Who may do what with the currency, registered in :mod:`coop_formation.authz`.

Every permission here is decided on the actor's role within their own cluster (services
only ever read and write the actor's cluster); none takes a target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from coop_formation.authz import Permission, rule

if TYPE_CHECKING:
    from coop_formation.people.models import Member


def refusal() -> str:
    """The message of a refused currency action (403)."""
    return _("Vous n'avez pas accès à cette fonction de la monnaie de formation.")


@rule(Permission.WALLET_READ, Permission.SEND_CREDITS)
def own_wallet(actor: Member, target: Any = None) -> bool:
    """Every active member has a wallet, reads it and sends from it."""
    return True


@rule(Permission.EDIT_POLICY, Permission.CORRECT_TRANSFER)
def coop_admin(actor: Member, target: Any = None) -> bool:
    """The currency's policy and corrections are the coop admin's."""
    return bool(actor.is_admin)


@rule(Permission.RECORD_CONTRIBUTION, Permission.READ_CLEARING)
def hr_club_or_admin(actor: Member, target: Any = None) -> bool:
    """Company contributions and the inter-company clearing: HR club and coop admin."""
    return bool(actor.is_admin or actor.is_hr_club)
