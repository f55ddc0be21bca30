"""``/api/v1/me``: the bearer of a personal API token reads their own account and badges."""

from __future__ import annotations

from flask import Response, jsonify

import badges
from coop_formation.api.auth import current_member, personal_token_required
from coop_formation.api.blueprints import v1_bp as bp
from coop_formation.api.tokens import SCOPE_CREDENTIALS_READ, SCOPE_PROFILE_READ
from coop_formation.db import utcnow
from coop_formation.extensions import db
from coop_formation.recognition import services as recognition
from coop_formation.recognition.issuing import credential_url
from coop_formation.web import perform


@bp.get("/me")
@personal_token_required(SCOPE_PROFILE_READ)
def me() -> Response:
    """The bearer's account; answering also records the token's last use."""
    member = current_member()
    body = perform(
        lambda: {
            "id": member.id,
            "email": member.email,
            "display_name": member.display_name,
            "company": member.company.name if member.company else None,
        }
    )
    return jsonify(body)


@bp.get("/me/credentials")
@personal_token_required(SCOPE_CREDENTIALS_READ)
def my_credentials() -> Response:
    """The bearer's own credentials (every status), newest first (recording the token's use)."""
    return jsonify({"credentials": perform(_credentials_of_bearer)})


def _credentials_of_bearer() -> list[dict[str, object]]:
    now = utcnow()
    items: list[dict[str, object]] = []
    for credential in recognition.my_credentials(db.session, current_member()):
        status = credential.status.value
        if status == "issued" and credential.is_expired(now):
            status = "expired"
        items.append(
            {
                "id": credential.public_id,
                "url": credential_url(credential.public_id),
                "achievement": credential.achievement.name,
                "issuer": credential.issuer.name,
                "status": status,
                "issued_at": badges.format_datetime(credential.issued_at),
                "valid_until": (
                    badges.format_datetime(credential.valid_until)
                    if credential.valid_until
                    else None
                ),
                "recipient_choice": credential.recipient_choice.value,
            }
        )
    return items
