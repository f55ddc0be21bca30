"""Recognition pages open to everyone (no login): credentials and their forms, issuer
profiles, keys, status lists, achievements and the verifier.

Members' pages live in ``views_member`` and management pages in ``views_manage``; all
three add their routes to the room's blueprint ``bp`` (:mod:`coop_formation.recognition`).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, render_template, request

from badges import UnusableInput, VerificationReport
from coop_formation.extensions import db, limiter
from coop_formation.recognition import bp, services
from coop_formation.recognition import views_manage as _views_manage  # noqa: F401
from coop_formation.recognition import views_member as _views_member  # noqa: F401
from coop_formation.recognition.forms import KIND_LABELS, VerifyForm
from coop_formation.recognition.models import CredentialStatus, RecipientChoice
from coop_formation.recognition.verification import CHECK_LABELS
from coop_formation.recognition.view_helpers import (
    JSON_LD,
    VC_JWT,
    public_file,
    public_json,
    read_upload,
)
from coop_formation.web import acting_member_or_none

__all__ = ["bp"]


@bp.app_context_processor
def recognition_labels() -> dict[str, Any]:
    return {
        "badge_kind_labels": KIND_LABELS,
        "check_labels": CHECK_LABELS,
        "CredentialStatus": CredentialStatus,
        "RecipientChoice": RecipientChoice,
    }


# --- keys and status lists -------------------------------------------------------------


@bp.get("/.well-known/did.json")
def did_document() -> Response:
    return public_json(services.did_document(db.session), "application/did+json")


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    return public_json(services.jwks_document(db.session), "application/jwk-set+json")


@bp.get("/status/<int:list_id>")
def status_list(list_id: int) -> Response:
    return public_json(services.status_list_document(db.session, list_id), JSON_LD)


# --- credentials -----------------------------------------------------------------------


@bp.get("/credentials/<public_id>")
def credential(public_id: str) -> Response:
    """One URL, three forms: HTML page, JSON-LD, or VC-JWT depending on ``Accept``."""
    viewer = acting_member_or_none()
    found = services.visible_credential(db.session, public_id, viewer)
    best = request.accept_mimetypes.best_match(
        ["text/html", JSON_LD, "application/json", VC_JWT], default="text/html"
    )
    if best == VC_JWT:
        response = public_file(found.jwt.encode("ascii"), VC_JWT)
    elif best in (JSON_LD, "application/json"):
        response = public_json(json.loads(found.document), best)
    else:
        page = services.credential_page(found, viewer)
        response = Response(render_template("recognition/credential.html", p=page))
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/credentials/<public_id>.json")
def credential_json(public_id: str) -> Response:
    found = services.visible_credential(db.session, public_id, acting_member_or_none())
    response = public_json(json.loads(found.document), JSON_LD)
    response.headers["Content-Disposition"] = f'attachment; filename="badge-{public_id}.json"'
    return response


@bp.get("/credentials/<public_id>.jwt")
def credential_jwt(public_id: str) -> Response:
    found = services.visible_credential(db.session, public_id, acting_member_or_none())
    return public_file(found.jwt.encode("ascii"), VC_JWT, f"badge-{public_id}.jwt")


@bp.get("/credentials/<public_id>.png")
def credential_png(public_id: str) -> Response:
    found = services.visible_credential(db.session, public_id, acting_member_or_none())
    return public_file(services.baked_png(found), "image/png", f"badge-{public_id}.png")


@bp.get("/credentials/<public_id>.svg")
def credential_svg(public_id: str) -> Response:
    found = services.visible_credential(db.session, public_id, acting_member_or_none())
    return public_file(services.baked_svg(found), "image/svg+xml", f"badge-{public_id}.svg")


@bp.get("/credentials/<public_id>/qr.svg")
def credential_qr(public_id: str) -> Response:
    viewer = acting_member_or_none()
    found = services.visible_credential(db.session, public_id, viewer)
    page_url = services.credential_page(found, viewer).url
    return public_file(services.qr_code_svg(page_url), "image/svg+xml")


# --- issuers and achievements ----------------------------------------------------------


@bp.get("/issuers/<public_id>")
def issuer(public_id: str) -> Response:
    found = services.get_issuer(db.session, public_id)
    best = request.accept_mimetypes.best_match(
        ["text/html", JSON_LD, "application/json"], default="text/html"
    )
    if best in (JSON_LD, "application/json"):
        response = public_json(services.issuer_json(found), best)
    else:
        response = Response(
            render_template(
                "recognition/issuer.html", issuer=found, profile=services.issuer_json(found)
            )
        )
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/achievements/<public_id>")
def achievement(public_id: str) -> str:
    found = services.get_public_achievement(db.session, public_id)
    return render_template("recognition/achievement_public.html", achievement=found)


@bp.get("/achievements/<public_id>/image")
def achievement_image(public_id: str) -> Response:
    found = services.get_public_achievement(db.session, public_id)
    kind = found.image_type or "image/svg+xml"
    return public_file(services.achievement_picture(found, kind), kind)


# --- verification ----------------------------------------------------------------------


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def verify_page() -> tuple[str, int]:
    """Verification never writes: nothing here is committed, the request's session is
    discarded at its end."""
    form = VerifyForm()
    report: VerificationReport | None = None
    error = None
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        member = acting_member_or_none()
        try:
            data: str | bytes | None = read_upload(form.file.data)
            if data is None:
                data = (form.text.data or "").strip()
            report = services.verify_input(
                db.session, data, cluster_id=member.cluster_id if member else None
            )
        except UnusableInput as exc:
            error, status = str(exc), 422
    elif request.method == "POST":
        status = 400
    return render_template("recognition/verify.html", form=form, report=report, error=error), status
