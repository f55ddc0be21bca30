"""Bearer-token protection of API views, and the two error shapes they answer.

``/api/v1`` takes personal tokens and answers ``application/problem+json``; the Open
Badges API takes OAuth 2.0 access tokens and answers 1EdTech's ``Imsx_StatusInfo``.
Both say 401 for a missing, unknown, expired or revoked token and 403 for a missing scope.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, g, jsonify, request
from flask_babel import gettext as _

from coop_formation.api import tokens
from coop_formation.api.tokens import Bearer, TokenRejected
from coop_formation.errors import DomainError
from coop_formation.extensions import db
from coop_formation.people.models import Member
from coop_formation.web.errors import problem_response

F = TypeVar("F", bound=Callable[..., Any])

IMSX_MINOR = {
    400: "invalid_data",
    401: "unauthorizedrequest",
    403: "forbidden",
    404: "not_found",
    405: "not_allowed",
    413: "invalid_data",
    415: "invalid_data",
    500: "internal_server_error",
}


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _challenge(status: int, scope: str) -> str:
    if status == 403:
        return f'Bearer error="insufficient_scope", scope="{scope}"'
    if bearer_token() is None:
        return "Bearer"
    return 'Bearer error="invalid_token"'


def current_member() -> Member:
    """The member the request's bearer token speaks for (inside a protected view)."""
    bearer: Bearer = g.api_bearer
    return bearer.member


def imsx_status(status: int, description: str) -> Response:
    """An ``Imsx_StatusInfo`` error body, as the Open Badges API specifies."""
    response = jsonify(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {
                        "imsx_codeMinorFieldName": "TargetEndSystem",
                        "imsx_codeMinorFieldValue": IMSX_MINOR.get(status, "unknown"),
                    }
                ]
            },
        }
    )
    response.status_code = status
    return response


def _protect(
    scope: str,
    authenticate: Callable[[Any, str, str], Bearer],
    render: Callable[[int, str], Response],
) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            token = bearer_token()
            try:
                if token is None:
                    raise TokenRejected(
                        _("Jeton d'accès manquant (en-tête Authorization: Bearer).")
                    )
                g.api_bearer = authenticate(db.session, token, scope)
            except TokenRejected as exc:  # refused before anything was written
                response = render(exc.status, exc.reason)
                response.headers["WWW-Authenticate"] = _challenge(exc.status, scope)
                return response
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def _problem(status: int, reason: str) -> Response:
    slug = "insufficient-scope" if status == 403 else "invalid-token"
    title = _("Portée insuffisante") if status == 403 else _("Jeton d'accès refusé")
    return problem_response(status, slug, title, reason)


def personal_token_required(scope: str) -> Callable[[F], F]:
    """Protect a ``/api/v1`` view: a valid personal token holding ``scope``."""
    return _protect(scope, tokens.authenticate_personal, _problem)


def oauth_token_required(scope: str) -> Callable[[F], F]:
    """Protect an Open Badges API view: a valid OAuth 2.0 access token holding ``scope``."""
    return _protect(scope, tokens.authenticate_oauth, imsx_status)


class ImsxRefusal(Exception):
    """A request an Open Badges resource endpoint cannot use (bad query, body too large)."""

    def __init__(self, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.description, self.status = description, status


def answers_imsx(*, domain_errors: bool = False) -> Callable[[F], F]:
    """Answer an Open Badges resource view's refusals as ``Imsx_StatusInfo``, as the
    specification requires: an :class:`ImsxRefusal` with its status and, when
    ``domain_errors``, a refused import or profile change as a 400 (the transaction the
    view ran through ``web.perform`` is already rolled back)."""
    caught: tuple[type[Exception], ...] = (
        (ImsxRefusal, DomainError) if domain_errors else (ImsxRefusal,)
    )

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except caught as exc:
                if isinstance(exc, ImsxRefusal):
                    return imsx_status(exc.status, exc.description)
                return imsx_status(400, exc.message or str(exc))  # type: ignore[attr-defined]

        return wrapper  # type: ignore[return-value]

    return decorator
