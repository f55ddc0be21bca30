"""The OAuth 2.0 authorization server of the Open Badges 3.0 API (authlib).

Authorization code with PKCE (S256 required), refresh tokens (rotated on use), token
revocation (RFC 7009) and open dynamic client registration (RFC 7591) as 1EdTech's
specification asks. Codes, tokens and client secrets are stored as SHA-256 digests.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import sqlalchemy as sa
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7591 import ClientRegistrationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Flask
from flask_babel import lazy_gettext as _l

from coop_formation.api.models import (
    OAuthAuthorizationCode,
    OAuthClient,
    OAuthToken,
    digest,
)
from coop_formation.api.tokens import revoke_oauth_token
from coop_formation.extensions import db
from coop_formation.people.models import Member

OB_SCOPE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
SCOPE_CREDENTIAL_READ = OB_SCOPE + "credential.readonly"
SCOPE_CREDENTIAL_UPSERT = OB_SCOPE + "credential.upsert"
SCOPE_PROFILE_READ = OB_SCOPE + "profile.readonly"
SCOPE_PROFILE_UPDATE = OB_SCOPE + "profile.update"
SCOPES = {
    SCOPE_CREDENTIAL_READ: "Read the member's Open Badges credentials",
    SCOPE_CREDENTIAL_UPSERT: "Add credentials to the member's profile",
    SCOPE_PROFILE_READ: "Read the member's profile",
    SCOPE_PROFILE_UPDATE: "Update the member's profile",
}
#: What the consent page tells the member each scope allows.
SCOPE_LABELS = {
    SCOPE_CREDENTIAL_READ: _l("Lire vos badges"),
    SCOPE_CREDENTIAL_UPSERT: _l("Ajouter des badges à votre profil"),
    SCOPE_PROFILE_READ: _l("Lire votre profil (nom, adresse e-mail, téléphone)"),
    SCOPE_PROFILE_UPDATE: _l("Modifier votre nom et votre téléphone"),
}
OFFLINE_ACCESS = "offline_access"
ACCESS_TOKEN_SECONDS = 3600
MAX_REDIRECT_URIS = 5
REFRESH_HINT = "refresh_token"


def _query_client(client_id: str) -> OAuthClient | None:
    return db.session.scalar(sa.select(OAuthClient).where(OAuthClient.client_id == client_id))


def _save_token(token: dict[str, Any], request: Any) -> None:
    refresh = token.get("refresh_token")
    db.session.add(
        OAuthToken(
            client_id=request.client.get_client_id(),
            member_id=request.user.id,
            access_token_hash=digest(token["access_token"]),
            refresh_token_hash=digest(refresh) if refresh else None,
            scope=token.get("scope", ""),
            expires_in=int(token.get("expires_in", ACCESS_TOKEN_SECONDS)),
        )
    )
    db.session.flush()


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    """Authorization code grant that insists on PKCE with S256 (1EdTech: PKCE MUST)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def validate_authorization_request(self) -> str:
        data = self.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: missing 'code_challenge'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE 'code_challenge_method' must be S256.")
        return super().validate_authorization_request()

    def save_authorization_code(self, code: str, request: Any) -> OAuthAuthorizationCode:
        data = request.payload.data
        item = OAuthAuthorizationCode(
            code_hash=digest(code),
            client_id=request.client.get_client_id(),
            member_id=request.user.id,
            redirect_uri=request.payload.redirect_uri or "",
            scope=request.scope or "",
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
        )
        db.session.add(item)
        db.session.flush()
        return item

    def query_authorization_code(self, code: str, client: OAuthClient) -> Any:
        item = db.session.scalar(
            sa.select(OAuthAuthorizationCode).where(
                OAuthAuthorizationCode.code_hash == digest(code),
                OAuthAuthorizationCode.client_id == client.get_client_id(),
            )
        )
        if item is not None and not item.is_expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code: OAuthAuthorizationCode) -> None:
        db.session.delete(authorization_code)
        db.session.flush()

    def authenticate_user(self, authorization_code: OAuthAuthorizationCode) -> Member | None:
        member = db.session.get(Member, authorization_code.member_id)
        return None if member is None or member.is_closed else member


class RefreshTokenGrant(grants.RefreshTokenGrant):
    """Refresh tokens rotate: each use revokes the old pair and issues a new one."""

    INCLUDE_NEW_REFRESH_TOKEN = True
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def authenticate_refresh_token(self, refresh_token: str) -> OAuthToken | None:
        item = db.session.scalar(
            sa.select(OAuthToken).where(OAuthToken.refresh_token_hash == digest(refresh_token))
        )
        return item if item is not None and item.refresh_usable() else None

    def authenticate_user(self, refresh_token: OAuthToken) -> Member | None:
        member = db.session.get(Member, refresh_token.member_id)
        return None if member is None or member.is_closed else member

    def revoke_old_credential(self, refresh_token: OAuthToken) -> None:
        revoke_oauth_token(refresh_token)
        db.session.flush()


class TokenRevocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> OAuthToken | None:
        hashed = digest(token_string)
        by_access = sa.select(OAuthToken).where(OAuthToken.access_token_hash == hashed)
        by_refresh = sa.select(OAuthToken).where(OAuthToken.refresh_token_hash == hashed)
        order = (
            [by_refresh, by_access] if token_type_hint == REFRESH_HINT else [by_access, by_refresh]
        )
        for query in order:
            item = db.session.scalar(query)
            if item is not None:
                return item
        return None

    def revoke_token(self, token: OAuthToken, request: Any) -> None:
        access_only = request.form.get("token_type_hint") == "access_token"
        revoke_oauth_token(token, access_only=access_only)
        db.session.flush()


class ClientRegistration(ClientRegistrationEndpoint):
    """Open registration (no initial access token), as the Open Badges API expects."""

    def authenticate_token(self, request: Any) -> bool:
        return True

    def get_server_metadata(self) -> dict[str, Any]:
        return {
            "scopes_supported": [*SCOPES, OFFLINE_ACCESS],
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
        }

    def save_client(
        self, client_info: dict[str, Any], client_metadata: dict[str, Any], request: Any
    ) -> OAuthClient:
        uris = client_metadata.get("redirect_uris") or []
        if not uris or len(uris) > MAX_REDIRECT_URIS:
            raise InvalidRequestError("Between 1 and 5 'redirect_uris' are required.")
        client_metadata.setdefault("grant_types", ["authorization_code", "refresh_token"])
        client_metadata.setdefault("response_types", ["code"])
        client_metadata.setdefault("token_endpoint_auth_method", "client_secret_basic")
        client = OAuthClient(
            client_id=client_info["client_id"],
            client_secret_hash=digest(client_info["client_secret"]),
            client_id_issued_at=client_info["client_id_issued_at"],
            client_metadata=json.dumps(client_metadata),
        )
        db.session.add(client)
        db.session.flush()
        return client

    def generate_client_id(self, request: Any) -> str:
        return secrets.token_urlsafe(24)


authorization = AuthorizationServer()


def init_authorization_server(app: Flask) -> None:
    """Configure the server for ``app`` (called when the ``ob3`` blueprint is registered)."""
    app.config.setdefault("OAUTH2_REFRESH_TOKEN_GENERATOR", True)
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"authorization_code": ACCESS_TOKEN_SECONDS})
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", [*SCOPES, OFFLINE_ACCESS])
    authorization.init_app(app, query_client=_query_client, save_token=_save_token)
    if not getattr(authorization, "_coop_grants", False):
        authorization.register_grant(AuthorizationCodeGrant, [CodeChallenge(required=True)])
        authorization.register_grant(RefreshTokenGrant)
        authorization.register_endpoint(TokenRevocation)
        authorization.register_endpoint(ClientRegistration)
        authorization._coop_grants = True
