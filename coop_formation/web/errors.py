"""Errors mapped once: HTML error pages for browsers, ``application/problem+json`` for the
API, titles translated in both catalogues, and the field at fault when an input is."""

from __future__ import annotations

from typing import Any

import sqlalchemy.exc
from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from coop_formation.errors import DomainError
from coop_formation.extensions import db

PROBLEM_BASE = "https://coop-formation.example/problems/"


def wants_json_response() -> bool:
    if request.path.startswith("/api/") or request.path.startswith("/ims/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def problem_response(
    status: int, type_slug: str, title: str, detail: str = "", **extra: Any
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + type_slug,
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


_TITLES = {
    400: _l("Requête incorrecte"),
    401: _l("Connexion nécessaire"),
    403: _l("Accès refusé"),
    404: _l("Page introuvable"),
    405: _l("Méthode non autorisée"),
    409: _l("Conflit"),
    413: _l("Fichier trop volumineux"),
    422: _l("Données invalides"),
    429: _l("Trop de tentatives"),
    500: _l("Erreur interne"),
}

_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    422: "invalid-input",
    429: "too-many-requests",
    500: "internal-error",
}


def _title(status: int) -> str:
    title = _TITLES.get(status)
    return str(title) if title is not None else _("Erreur")


def _render_error(
    status: int, message: str = "", slug: str | None = None, field: str | None = None
) -> Response:
    if wants_json_response():
        return problem_response(
            status, slug or _SLUGS.get(status, "error"), _title(status), message, field=field
        )
    html = render_template(
        "errors/error.html", status=status, title=_title(status), message=message
    )
    return Response(html, status=status, mimetype="text/html")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError) -> Response:
        db.session.rollback()
        return _render_error(error.status, error.message, error.type_slug, error.field)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError) -> Response:
        return _render_error(
            400,
            _(
                "Le formulaire a expiré ou n'a pas été envoyé depuis cette page. "
                "Rechargez la page et recommencez."
            ),
            "csrf-failed",
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = ""
        if status == 413:
            message = _("Le fichier envoyé dépasse la taille autorisée.")
        elif status == 429:
            message = _(
                "Trop de tentatives en peu de temps. Patientez quelques minutes avant de réessayer."
            )
        response = _render_error(status, message)
        if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(OverflowError)
    @app.errorhandler(sqlalchemy.exc.DataError)
    def handle_out_of_range(error: Exception) -> Response:
        # A number or text the database cannot hold (e.g. ?skill=99999999999999999999).
        db.session.rollback()
        return _render_error(400, _("Une valeur envoyée est hors des limites acceptées."))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render_error(
            500, _("Une erreur inattendue s'est produite. L'équipe a été prévenue.")
        )
