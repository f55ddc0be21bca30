"""API credentials: personal API tokens and the OAuth 2.0 authorization server's clients,
authorization codes and tokens (Open Badges 3.0 API).

Secrets are never stored in clear: tokens, codes and client secrets are kept as their
SHA-256 hex digest, so a leaked database gives no usable bearer token.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime

import sqlalchemy as sa
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop_formation.db import utcnow
from coop_formation.extensions import Model
from coop_formation.people.models import Member


def digest(secret: str) -> str:
    """The stored form of a secret: its SHA-256 hex digest."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class PersonalToken(Model):
    """A member's personal API token for ``/api/v1`` (created by ``token create``)."""

    __tablename__ = "api_personal_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    scopes: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)

    member: Mapped[Member] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class OAuthClient(Model, ClientMixin):
    """A client registered through dynamic client registration (RFC 7591)."""

    __tablename__ = "api_oauth_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    client_secret_hash: Mapped[str] = mapped_column(sa.String(64))
    client_id_issued_at: Mapped[int] = mapped_column(default=0)
    client_metadata: Mapped[str] = mapped_column(sa.Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def metadata_dict(self) -> dict:
        return json.loads(self.client_metadata)

    @property
    def client_name(self) -> str:
        return str(self.metadata_dict.get("client_name") or self.client_id)

    @property
    def client_uri(self) -> str | None:
        return self.metadata_dict.get("client_uri")

    # authlib's ClientMixin
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        uris = self.metadata_dict.get("redirect_uris") or []
        return uris[0] if uris else None

    def get_allowed_scope(self, scope: str) -> str:
        if not scope:
            return ""
        allowed = set((self.metadata_dict.get("scope") or "").split())
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in (self.metadata_dict.get("redirect_uris") or [])

    def check_client_secret(self, client_secret: str) -> bool:
        import hmac

        return hmac.compare_digest(self.client_secret_hash, digest(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint == "token":
            wanted = self.metadata_dict.get("token_endpoint_auth_method", "client_secret_basic")
            return method == wanted
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type in (self.metadata_dict.get("response_types") or ["code"])

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in (self.metadata_dict.get("grant_types") or ["authorization_code"])


class OAuthAuthorizationCode(Model, AuthorizationCodeMixin):
    """A one-time authorization code (PKCE S256), kept hashed, valid a few minutes."""

    __tablename__ = "api_oauth_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    client_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"))
    redirect_uri: Mapped[str] = mapped_column(sa.Text, default="")
    scope: Mapped[str] = mapped_column(sa.Text, default="")
    code_challenge: Mapped[str] = mapped_column(sa.String(128))
    code_challenge_method: Mapped[str] = mapped_column(sa.String(10))
    auth_time: Mapped[int] = mapped_column(default=lambda: int(time.time()))

    member: Mapped[Member] = relationship()

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_auth_time(self) -> int:
        return self.auth_time

    def is_expired(self) -> bool:
        return self.auth_time + 300 < time.time()


class OAuthToken(Model, TokenMixin):
    """An access token and its refresh token, both stored hashed; revocable."""

    __tablename__ = "api_oauth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"))
    access_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    refresh_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True, default=None)
    scope: Mapped[str] = mapped_column(sa.Text, default="")
    issued_at: Mapped[int] = mapped_column(default=lambda: int(time.time()))
    expires_in: Mapped[int] = mapped_column(default=3600)
    refresh_expires_in: Mapped[int] = mapped_column(default=30 * 86400)
    access_token_revoked_at: Mapped[int | None] = mapped_column(default=None)
    refresh_token_revoked_at: Mapped[int | None] = mapped_column(default=None)

    member: Mapped[Member] = relationship()

    def check_client(self, client: OAuthClient) -> bool:
        return self.client_id == client.get_client_id()

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return self.issued_at + self.expires_in < time.time()

    def is_revoked(self) -> bool:
        return self.access_token_revoked_at is not None

    def refresh_usable(self) -> bool:
        return (
            self.refresh_token_revoked_at is None
            and self.issued_at + self.refresh_expires_in >= time.time()
        )

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scope.split())
