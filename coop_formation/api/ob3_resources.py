"""Open Badges API resources: ``getCredentials``, ``upsertCredential``, ``getProfile``,
``putProfile``; each needs an OAuth 2.0 access token with the operation's scope.

``getCredentials`` lists each credential the member holds once (issued here or
imported); ``upsertCredential`` keeps only the member's own credentials that verify.

A token only ever reaches its own member's credentials and profile. Errors are
``Imsx_StatusInfo`` bodies, as the specification requires for these endpoints.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Response, jsonify, request
from flask_babel import gettext as _

import badges
from coop_formation.api import oauth
from coop_formation.api.auth import (
    ImsxRefusal,
    answers_imsx,
    current_member,
    imsx_status,
    oauth_token_required,
)
from coop_formation.api.blueprints import base_url
from coop_formation.api.blueprints import ob3_bp as bp
from coop_formation.extensions import csrf, db
from coop_formation.people import services as people
from coop_formation.people.models import Member
from coop_formation.recognition import services as recognition
from coop_formation.recognition.importing import MAX_IMPORT_BYTES
from coop_formation.web import perform

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
JSON_TYPES = ("application/json", "application/ld+json", "application/vc+ld+json")
JWT_TYPES = ("text/plain", "application/vc+jwt", "application/jwt")
OB_CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class BadQuery(ImsxRefusal):
    """A query parameter or body the endpoint cannot use (400, or 413 when too large)."""


def _int_arg(name: str, default: int, minimum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery(_("« %(name)s » doit être un entier.", name=name)) from None
    if value < minimum:
        raise BadQuery(_("« %(name)s » doit valoir au moins %(min)s.", name=name, min=minimum))
    return value


def _since() -> datetime | None:
    raw = request.args.get("since")
    if raw is None:
        return None
    try:
        return badges.parse_datetime(raw)
    except (ValueError, TypeError, badges.BadgeError):
        raise BadQuery(_("« since » doit être une date ISO 8601.")) from None


def _page_link(limit: int, offset: int) -> str:
    base = base_url() + request.path
    return f"<{base}?{urlencode({'limit': limit, 'offset': offset})}>"


def _link_header(total: int, limit: int, offset: int) -> str:
    last = max(0, (total - 1) // limit * limit)
    links = []
    if offset + limit < total:
        links.append(f'{_page_link(limit, offset + limit)}; rel="next"')
    links.append(f'{_page_link(limit, last)}; rel="last"')
    links.append(f'{_page_link(limit, 0)}; rel="first"')
    if offset > 0:
        links.append(f'{_page_link(limit, max(0, offset - limit))}; rel="prev"')
    return ", ".join(links)


def _credentials_page(
    member: Member, since: datetime | None, limit: int, offset: int
) -> tuple[dict[str, list[Any]], int]:
    """One page of the member's credentials and how many there are: each listed once,
    in ``credential`` (JSON-LD with an embedded proof: those issued here, imported ones
    that came as JSON) or in ``compactJwsString`` (imported as a VC-JWT)."""
    held = recognition.backpack(db.session, member, since)
    page = held[offset : offset + limit]
    body = {
        "credential": [h.value for h in page if h.form == "json"],
        "compactJwsString": [h.value for h in page if h.form == "jwt"],
    }
    return body, len(held)


@bp.get("/credentials")
@oauth_token_required(oauth.SCOPE_CREDENTIAL_READ)
@answers_imsx()
def get_credentials() -> Response:
    """The token owner's issued credentials, newest first: JSON-LD and VC-JWT forms."""
    limit = min(_int_arg("limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = _int_arg("offset", 0, 0)
    since = _since()
    member = current_member()
    body, total = perform(lambda: _credentials_page(member, since, limit, offset))
    response = jsonify(body)
    response.headers["X-Total-Count"] = str(total)
    response.headers["Link"] = _link_header(total, limit, offset)
    return response


def _credential_body() -> tuple[bytes, bool]:
    """The posted credential's bytes and whether it is a compact JWS."""
    if request.content_length is not None and request.content_length > MAX_IMPORT_BYTES:
        raise BadQuery(_("Le corps de la requête dépasse 1 Mo."), status=413)
    data = request.get_data(cache=False)
    if len(data) > MAX_IMPORT_BYTES:
        raise BadQuery(_("Le corps de la requête dépasse 1 Mo."), status=413)
    if request.mimetype in JWT_TYPES:
        return data.strip(), True
    if request.mimetype in JSON_TYPES:
        return data, False
    raise BadQuery(_("Envoyez application/json (credential) ou text/plain (JWS compact)."))


@bp.post("/credentials")
@csrf.exempt
@oauth_token_required(oauth.SCOPE_CREDENTIAL_UPSERT)
@answers_imsx(domain_errors=True)
def upsert_credential() -> Response:
    """Import a credential earned elsewhere into the member's profile: 201 when new, 200
    when it replaces (or is) the copy already kept. Refused (400, nothing stored) when it
    is someone else's or fails verification; a kept copy is never replaced by such a one."""
    member = current_member()
    data, is_jws = _credential_body()
    result = perform(lambda: recognition.import_badge(db.session, member, data, require_valid=True))
    status = 201 if result.outcome == recognition.ImportOutcome.CREATED else 200
    if is_jws:
        return Response(data, status=status, mimetype="text/plain")
    return Response(data, status=status, mimetype="application/json")


def profile_document(member: Member) -> dict[str, Any]:
    """The member as an Open Badges ``Profile`` (only what the member may share with a
    client they authorised: their name, e-mail and phone)."""
    profile: dict[str, Any] = {
        "@context": OB_CONTEXTS,
        "id": f"{base_url()}/members/{member.id}",
        "type": ["Profile"],
        "name": member.display_name,
        "email": member.email,
    }
    if member.phone:
        profile["phone"] = member.phone
    return profile


@bp.get("/profile")
@oauth_token_required(oauth.SCOPE_PROFILE_READ)
def get_profile() -> Response:
    return jsonify(profile_document(current_member()))


@bp.put("/profile")
@csrf.exempt
@oauth_token_required(oauth.SCOPE_PROFILE_UPDATE)
@answers_imsx(domain_errors=True)
def put_profile() -> Response:
    """Update the member's name and phone; other Profile fields are not the member's to set."""
    member = current_member()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return imsx_status(400, _("Un objet Profile avec « name » est attendu."))
    phone = body.get("phone", member.phone or "")
    if not isinstance(phone, str):
        return imsx_status(400, _("« phone » doit être une chaîne."))
    perform(lambda: _rename(member, body["name"], phone))
    return jsonify(profile_document(member))


def _rename(member: Member, name: str, phone: str) -> None:
    """Change only the name and phone; every other profile setting (and the declared
    skills, which the exchange keeps) stays as it is."""
    changes = people.ProfileChanges(
        display_name=name,
        job_title=member.job_title or "",
        bio=member.bio or "",
        phone=phone,
        job_title_visibility=member.job_title_visibility.value,
        bio_visibility=member.bio_visibility.value,
        phone_visibility=member.phone_visibility.value,
        skills_visibility=member.skills_visibility.value,
        learning_visibility=member.learning_visibility.value,
        locale=member.locale or "",
    )
    people.update_profile(db.session, member, changes)
