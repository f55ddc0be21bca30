"""``/ims/ob/v3p0``: 1EdTech's Open Badges API v3.0 and its OAuth 2.0 authorization server.

Discovery (the Service Description Document), dynamic client registration, the consent
page a signed-in member approves (CSRF-protected), the token and revocation endpoints.
The resource endpoints (credentials, profile) are in :mod:`.ob3_resources`, on the same
blueprint (:data:`coop_formation.api.blueprints.ob3_bp`).
"""

from __future__ import annotations

from typing import Any, cast

from authlib.oauth2 import OAuth2Error
from flask import Flask, Response, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import SubmitField

from coop_formation.api import oauth
from coop_formation.api import ob3_resources as _ob3_resources  # noqa: F401  (resource routes)
from coop_formation.api.blueprints import base_url
from coop_formation.api.blueprints import ob3_bp as bp
from coop_formation.extensions import csrf, limiter
from coop_formation.web import acting_member, perform

__all__ = ["base_url", "bp", "service_description"]


@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    # The app registering the blueprint is a Flask app (``App`` is its sans-IO base).
    oauth.init_authorization_server(cast(Flask, state.app))


class ConsentForm(FlaskForm):
    approve = SubmitField(_l("Autoriser"))
    deny = SubmitField(_l("Refuser"))


def _url(path: str) -> str:
    return base_url() + bp.url_prefix + path  # type: ignore[operator]


def service_description() -> dict[str, Any]:
    """The Service Description Document (OpenAPI 3.0) a client reads before registering."""
    base = base_url()
    scopes = dict(oauth.SCOPES)
    secured: list[dict[str, list[str]]] = [{"OAuth2ACG": []}]

    def op(op_id: str, scope: str, summary: str) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "summary": summary,
            "security": [{"OAuth2ACG": [scope]}],
            "responses": {"200": {"description": "OK"}, "401": {"description": "Imsx_StatusInfo"}},
        }

    return {
        "openapi": "3.0.1",
        "info": {
            "title": "coop_formation — Open Badges API",
            "version": "3.0",
            "description": "Open Badges 3.0 API (1EdTech) de la coopérative de formation.",
            "termsOfService": base + "/charter",
            "x-imssf-privacyPolicyUrl": base + "/charter",
            "x-imssf-image": base + "/static/favicon.ico",
        },
        "servers": [{"url": base + bp.url_prefix}],  # type: ignore[operator]
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Profile"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": op("getCredentials", oauth.SCOPE_CREDENTIAL_READ, "Your credentials."),
                "post": op("upsertCredential", oauth.SCOPE_CREDENTIAL_UPSERT, "Import one."),
            },
            "/profile": {
                "get": op("getProfile", oauth.SCOPE_PROFILE_READ, "Your profile."),
                "put": op("putProfile", oauth.SCOPE_PROFILE_UPDATE, "Update your profile."),
            },
            "/discovery": {
                "get": {
                    "operationId": "getServiceDescription",
                    "responses": {"200": {"description": "ServiceDescriptionDocument"}},
                }
            },
        },
        "security": secured,
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 Authorization Code Grant authorization",
                    "x-imssf-name": "coop_formation",
                    "x-imssf-privacyPolicyUrl": base + "/charter",
                    "x-imssf-registrationUrl": _url("/register"),
                    "x-imssf-termsOfServiceUrl": base + "/charter",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": _url("/authorize"),
                            "tokenUrl": _url("/token"),
                            "refreshUrl": _url("/token"),
                            "x-imssf-revocationUrl": _url("/revoke"),
                            "scopes": scopes,
                        }
                    },
                }
            },
            "schemas": {},
        },
    }


@bp.get("/discovery")
def discovery() -> Response:
    response = jsonify(service_description())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.post("/register")
@csrf.exempt
@limiter.limit("20 per hour")
def register() -> Response:
    """Dynamic client registration (RFC 7591): 201 with ``client_id`` and ``client_secret``."""
    return perform(lambda: oauth.authorization.create_endpoint_response("client_registration"))


def _error_page(error: OAuth2Error) -> tuple[str, int]:
    return (
        render_template("api/oauth_error.html", error=error.error, description=error.description),
        400,
    )


@bp.route("/authorize", methods=["GET", "POST"])
@login_required
def authorize() -> Any:
    """The consent page: the signed-in member approves (or refuses) the client's request."""
    member = acting_member()
    try:
        grant = oauth.authorization.get_consent_grant(end_user=member)
    except OAuth2Error as error:  # a protocol error (bad client, redirect, PKCE): nothing written
        return _error_page(error)
    form = ConsentForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _error_page(OAuth2Error(description=_("Formulaire expiré, recommencez.")))
        grant_user = member if form.approve.data else None
        return perform(
            lambda: oauth.authorization.create_authorization_response(
                grant=grant, grant_user=grant_user
            )
        )
    requested = (grant.request.scope or "").split()
    return render_template(
        "api/consent.html",
        form=form,
        client=grant.client,
        scopes=[oauth.SCOPE_LABELS[s] for s in requested if s in oauth.SCOPE_LABELS],
        offline=oauth.OFFLINE_ACCESS in requested,
        action=request.full_path,
    )


@bp.post("/token")
@csrf.exempt
@limiter.limit("60 per minute")
def issue_token() -> Response:
    """Exchange a code (with its PKCE verifier) or a refresh token for tokens."""
    return perform(oauth.authorization.create_token_response)


@bp.post("/revoke")
@csrf.exempt
def revoke_token() -> Response:
    """RFC 7009 revocation of an access or refresh token."""
    return perform(lambda: oauth.authorization.create_endpoint_response("revocation"))
