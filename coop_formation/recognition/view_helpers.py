"""What the recognition view modules share: public JSON and file responses, uploads,
and the choices of the member selects."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Response
from werkzeug.datastructures import FileStorage
from wtforms.fields.choices import SelectChoice

from badges import UnusableInput
from coop_formation.people.models import Member
from coop_formation.recognition.verification import MAX_INPUT_BYTES

JSON_LD = "application/ld+json"
VC_JWT = "application/vc+jwt"
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def public_json(data: Any, mimetype: str = "application/json") -> Response:
    """A public JSON document any verifier (or browser script) may read."""
    response = Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def public_file(data: bytes, mimetype: str, filename: str | None = None) -> Response:
    """A public file (image, JWT); an SVG is sandboxed so it runs no script."""
    response = Response(data, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    if mimetype == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_CSP
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def upload_bytes(upload: FileStorage | None, limit: int) -> bytes | None:
    """At most ``limit + 1`` bytes of an uploaded file (None when no file was chosen)."""
    if upload is None or not upload.filename:
        return None
    return upload.stream.read(limit + 1)


def read_upload(upload: FileStorage | None, limit: int = MAX_INPUT_BYTES) -> bytes | None:
    """The bytes of an uploaded file (None when no file was chosen); refuses big ones."""
    data = upload_bytes(upload, limit)
    if data is not None and len(data) > limit:
        raise UnusableInput("Fichier trop volumineux.")
    return data


def member_choices(members: Iterable[Member]) -> list[SelectChoice]:
    return [
        SelectChoice(m.id, f"{m.display_name} — {m.company.name if m.company else ''}")
        for m in members
    ]


def grouped_choices(groups: Iterable[tuple[str, Iterable[tuple[int, str]]]]) -> list[SelectChoice]:
    """``[(group label, [(id, label)])]`` (e.g. the skills by domain) as optgroup choices."""
    return [
        SelectChoice(value, label, optgroup=group)
        for group, items in groups
        for value, label in items
    ]
