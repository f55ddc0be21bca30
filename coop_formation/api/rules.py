"""Access rules of the API room, registered in :mod:`coop_formation.authz`.

Only permissions live here; OAuth 2.0 and personal-token *scopes* are protocol, checked
when a bearer token is authenticated (:mod:`coop_formation.api.tokens`).
"""

from __future__ import annotations

from coop_formation.api.models import PersonalToken
from coop_formation.authz import Decision, Permission, rule
from coop_formation.people.models import Member


@rule(Permission.API_TOKEN_REVOKE)
def revoke_personal_token(actor: Member, target: PersonalToken | None) -> Decision:
    """Its owner or the coop admin revokes a token; to anyone else it does not exist."""
    if isinstance(target, PersonalToken) and (target.member_id == actor.id or actor.is_admin):
        return Decision.ALLOWED
    return Decision.HIDDEN
