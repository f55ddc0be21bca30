"""``/api/v1``: the badge verifier as a JSON API, described by ``/api/v1/openapi.json``.

``POST /api/v1/verify`` accepts a JSON body (``{"credential": ...}``, ``{"url": ...}`` or
the raw JSON-LD credential), a compact JWT as ``text/plain`` (or ``application/vc+jwt``),
a multipart upload ``file`` (baked PNG/SVG, JSON or JWT), or a raw PNG/SVG body. Input
that holds no credential gets a 4xx ``application/problem+json`` with a stable ``type``.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from badges import UnusableInput
from coop_formation import jsoninput
from coop_formation.api import v1_me as _v1_me  # noqa: F401  (the /me routes)
from coop_formation.api.blueprints import v1_bp as bp
from coop_formation.extensions import db, limiter
from coop_formation.recognition import services
from coop_formation.recognition.verification import MAX_INPUT_BYTES
from coop_formation.web.errors import problem_response

__all__ = ["bp", "openapi_document"]

JSON_TYPES = ("application/json", "application/ld+json")
JWT_TYPES = ("text/plain", "application/vc+jwt", "application/jwt")
IMAGE_TYPES = ("image/png", "image/svg+xml")


class BadRequestBody(Exception):
    """The request body cannot be read as one of the accepted forms."""

    def __init__(self, status: int, slug: str, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail


def _body() -> bytes:
    if request.content_length is not None and request.content_length > MAX_INPUT_BYTES:
        raise BadRequestBody(
            413,
            "payload-too-large",
            "Fichier trop volumineux",
            "Le corps de la requête dépasse 2 Mo.",
        )
    data = request.get_data(cache=False)
    if len(data) > MAX_INPUT_BYTES:
        raise BadRequestBody(
            413,
            "payload-too-large",
            "Fichier trop volumineux",
            "Le corps de la requête dépasse 2 Mo.",
        )
    return data


def _from_json(raw: bytes) -> Any:
    try:
        body = jsoninput.loads(raw)
    except jsoninput.UnusableJSON as exc:
        raise BadRequestBody(
            400,
            "malformed-json",
            "JSON illisible",
            f"Le corps de la requête n'est pas du JSON utilisable : {exc.reason}.",
        ) from exc
    if not isinstance(body, dict):
        raise BadRequestBody(422, "unusable-input", "Badge illisible", "Un objet JSON est attendu.")
    if "credential" in body:
        credential = body["credential"]
        if not isinstance(credential, dict | str):
            raise BadRequestBody(
                422,
                "unusable-input",
                "Badge illisible",
                "« credential » doit être un objet JSON ou un jeton JWT.",
            )
        return credential
    if "url" in body:
        if not isinstance(body["url"], str):
            raise BadRequestBody(
                422, "unusable-input", "Badge illisible", "« url » doit être une adresse."
            )
        return body["url"]
    return body


def _input() -> Any:
    """The credential carried by the request, in whatever form it came."""
    mimetype = request.mimetype
    if mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise BadRequestBody(
                400, "missing-file", "Fichier manquant", "Envoyez le badge dans le champ « file »."
            )
        data = upload.stream.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise BadRequestBody(
                413, "payload-too-large", "Fichier trop volumineux", "Le fichier dépasse 2 Mo."
            )
        return data
    raw = _body()
    if not raw.strip():
        raise BadRequestBody(400, "empty-body", "Requête vide", "Aucun badge à vérifier.")
    if mimetype in JSON_TYPES:
        return _from_json(raw)
    if mimetype in JWT_TYPES:
        try:
            return raw.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            raise BadRequestBody(
                400, "bad-encoding", "Encodage illisible", "Le texte doit être en UTF-8."
            ) from exc
    if mimetype in IMAGE_TYPES:
        return raw
    raise BadRequestBody(
        415,
        "unsupported-media-type",
        "Type de contenu non pris en charge",
        "Envoyez application/json, text/plain (JWT), image/png, image/svg+xml "
        "ou multipart/form-data (champ « file »).",
    )


@bp.post("/verify")
@limiter.limit("60 per minute")
def verify() -> Response:
    """Verify one credential and answer the report (200 whether valid or not).

    Verification only reads: nothing is committed."""
    try:
        data = _input()
        report = services.verify_input(db.session, data)
    except BadRequestBody as exc:
        return problem_response(exc.status, exc.slug, exc.title, exc.detail)
    except UnusableInput as exc:
        return problem_response(422, "unusable-input", "Badge illisible", str(exc))
    return jsonify(services.report_json(report))


CHECK_SCHEMA = {
    "type": "object",
    "required": ["name", "ok", "message"],
    "properties": {
        "name": {
            "type": "string",
            "enum": ["structure", "signature", "issuer", "status", "expiry"],
        },
        "ok": {"type": "boolean"},
        "message": {"type": "string", "description": "Plain-language reason (French)."},
    },
}
REPORT_SCHEMA = {
    "type": "object",
    "required": ["valid", "checks", "issuer", "issuer_known"],
    "properties": {
        "valid": {"type": "boolean", "description": "True only when every check is ok."},
        "revocation_reason": {
            "type": ["string", "null"],
            "description": "Why the issuer revoked it (a credential of this platform), or null.",
        },
        "revoked_at": {
            "type": ["string", "null"],
            "description": "When it was revoked (ISO 8601), or null.",
        },
        "checks": {"type": "array", "items": CHECK_SCHEMA},
        "issuer": {
            "type": "object",
            "properties": {
                "id": {"type": ["string", "null"]},
                "name": {"type": ["string", "null"]},
            },
        },
        "issuer_known": {
            "type": "boolean",
            "description": "The issuer is the cluster's cooperative or one of its companies.",
        },
        "format": {"type": "string", "enum": ["json-ld", "jwt", "ob2-hosted", "ob2-signed"]},
        "credential_id": {"type": ["string", "null"]},
        "achievement": {"type": ["string", "null"]},
        "team": {"type": ["string", "null"]},
        "valid_from": {"type": ["string", "null"]},
        "valid_until": {"type": ["string", "null"]},
    },
}
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _bearer_get(operation_id: str, scope: str, summary: str) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "summary": f"{summary} Scope: {scope}.",
            "security": [{"personalToken": []}],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {}}},
                "401": _problem("Missing, unknown, expired or revoked token."),
                "403": _problem(f"The token lacks the scope {scope}."),
            },
        }
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of this API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "coop_formation API",
            "version": "1.0.0",
            "description": "Vérification de badges Open Badges 3.0 (et 2.0) de la coopérative.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/verify": {
                "post": {
                    "operationId": "verifyCredential",
                    "summary": "Verify a credential (JSON-LD, VC-JWT, baked PNG/SVG, or its URL).",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {
                                            "type": "object",
                                            "required": ["credential"],
                                            "properties": {
                                                "credential": {"type": ["object", "string"]}
                                            },
                                        },
                                        {
                                            "type": "object",
                                            "required": ["url"],
                                            "properties": {
                                                "url": {"type": "string", "format": "uri"}
                                            },
                                        },
                                        {
                                            "type": "object",
                                            "description": "The raw JSON-LD credential.",
                                        },
                                    ]
                                }
                            },
                            "application/ld+json": {"schema": {"type": "object"}},
                            "text/plain": {
                                "schema": {"type": "string", "description": "Compact VC-JWT."}
                            },
                            "application/vc+jwt": {"schema": {"type": "string"}},
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {"file": {"type": "string", "format": "binary"}},
                                }
                            },
                            "image/png": {"schema": {"type": "string", "format": "binary"}},
                            "image/svg+xml": {"schema": {"type": "string", "format": "binary"}},
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The verification report (valid or not).",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Report"}
                                }
                            },
                        },
                        "400": _problem(
                            "Malformed body (type …/malformed-json, …/empty-body, …/missing-file)."
                        ),
                        "413": _problem("Body over 2 MB (type …/payload-too-large)."),
                        "415": _problem(
                            "Unsupported content type (type …/unsupported-media-type)."
                        ),
                        "422": _problem("The input holds no credential (type …/unusable-input)."),
                        "429": _problem("Too many requests."),
                    },
                }
            },
            "/me": _bearer_get("getMe", "profile:read", "The token owner's account."),
            "/me/credentials": _bearer_get(
                "getMyCredentials", "credentials:read", "The token owner's credentials."
            ),
        },
        "components": {
            "schemas": {"Report": REPORT_SCHEMA, "Check": CHECK_SCHEMA, "Problem": PROBLEM_SCHEMA},
            "securitySchemes": {
                "personalToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Personal token from `coop-formation token create EMAIL`; "
                    "scopes credentials:read, profile:read.",
                }
            },
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    response = jsonify(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
