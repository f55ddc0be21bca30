"""Members' badge pages: their credentials (accept, hide, share, download), badges
imported from elsewhere, endorsements, and colleagues' public badges."""

from __future__ import annotations

import json
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from coop_formation import web
from coop_formation.errors import Conflict, InvalidInput
from coop_formation.exchange import services as exchange
from coop_formation.extensions import db
from coop_formation.recognition import bp, services
from coop_formation.recognition.forms import (
    ChoiceForm,
    ConfirmForm,
    EndorseForm,
    ImportForm,
)
from coop_formation.recognition.importing import MAX_IMPORT_BYTES
from coop_formation.recognition.models import Credential, RecipientChoice
from coop_formation.recognition.view_helpers import (
    SVG_CSP,
    grouped_choices,
    public_json,
    upload_bytes,
)


@bp.get("/me/badges")
@login_required
def my_badges() -> str:
    actor = web.acting_member()
    credentials = services.my_credentials(db.session, actor)
    return render_template(
        "recognition/my_badges.html",
        credentials=credentials,
        imported=services.imported_badges(db.session, actor),
        endorsements=services.endorsements_received(db.session, actor),
        jury_votes=services.pending_votes(db.session, actor),
        forms={c.public_id: ChoiceForm(public=c.is_public) for c in credentials},
        delete_form=ConfirmForm(),
    )


_CHOICES = {choice.value: choice for choice in RecipientChoice}


def _choice_made(credential: Credential) -> str:
    messages = {
        RecipientChoice.ACCEPTED: _("Badge accepté."),
        RecipientChoice.HIDDEN: _("Badge masqué : il n'est plus visible publiquement."),
    }
    return messages[credential.recipient_choice]


@bp.post("/me/badges/<public_id>/choix")
@login_required
def choose(public_id: str) -> Response:
    my_badges_url = url_for("recognition.my_badges")
    form = ChoiceForm()
    if not form.validate_on_submit():
        flash(_("Le formulaire a expiré. Recommencez."), "error")
        return redirect(my_badges_url)
    choice = _CHOICES.get(form.choice.data or "")
    if choice is None:
        flash(_("Choix invalide."), "error")
        return redirect(my_badges_url)
    return web.post_action(
        lambda: services.set_recipient_choice(
            db.session, web.acting_member(), public_id, choice=choice, public=bool(form.public.data)
        ),
        success=_choice_made,
        next_url=my_badges_url,
    )


def _imported(result: services.BadgeImport) -> Response:
    if result.outcome == services.ImportOutcome.UNCHANGED:
        flash(_("Ce badge figure déjà parmi vos badges importés."), "info")
    elif result.outcome == services.ImportOutcome.REPLACED:
        flash(_("Vous aviez déjà importé ce badge : cette copie vérifiée la remplace."), "success")
    elif result.badge.valid:
        flash(_("Badge importé et vérifié."), "success")
    else:
        flash(_("Badge importé, mais la vérification a échoué : voyez le détail."), "warning")
    return redirect(url_for("recognition.my_badges"))


@bp.route("/me/badges/importer", methods=["GET", "POST"])
@login_required
def import_badge() -> Any:
    """A file is kept byte for byte; pasted text without its surrounding blanks."""
    form = ImportForm()
    upload = upload_bytes(form.file.data, MAX_IMPORT_BYTES) if request.method == "POST" else None
    return web.submit_form(
        form,
        lambda: services.import_badge(
            db.session,
            web.acting_member(),
            upload if upload is not None else (form.text.data or "").strip().encode("utf-8"),
        ),
        done=_imported,
        template="recognition/import.html",
    )


@bp.get("/me/badges/importes/<int:imported_id>/fichier")
@login_required
def imported_file(imported_id: int) -> Response:
    """The imported badge exactly as it was uploaded (only to the member who imported it)."""
    imported = services.own_imported(db.session, web.acting_member(), imported_id)
    response = Response(imported.original, mimetype=imported.media_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{services.download_name(imported)}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if imported.media_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_CSP
    return response


@bp.post("/me/badges/importes/<int:imported_id>/supprimer")
@login_required
def delete_imported(imported_id: int) -> Response:
    my_badges_url = url_for("recognition.my_badges")
    if not ConfirmForm().validate_on_submit():
        return redirect(my_badges_url)
    return web.post_action(
        lambda: services.delete_imported(db.session, web.acting_member(), imported_id),
        success=_("Badge importé retiré."),
        next_url=my_badges_url,
    )


@bp.get("/me/badges/recommandations/<public_id>.json")
@login_required
def endorsement_json(public_id: str) -> Response:
    endorsement = services.get_own_endorsement(db.session, web.acting_member(), public_id)
    response = public_json(json.loads(endorsement.document), "application/ld+json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="recommandation-{public_id}.json"'
    )
    return response


@bp.get("/members/<int:member_id>/badges")
@login_required
def member_badges(member_id: int) -> str:
    member, credentials = services.profile_badges(db.session, web.acting_member(), member_id)
    return render_template("recognition/member_badges.html", member=member, credentials=credentials)


@bp.route("/members/<int:member_id>/recommander", methods=["GET", "POST"])
@login_required
def endorse(member_id: int) -> Any:
    """Unlike :func:`web.submit_form`, a refusal keeps its own status: 409 for a duplicate
    or the daily limit, 422 for an input (until ``submit_form`` can do so itself)."""
    actor = web.acting_member()
    member, _credentials = services.profile_badges(db.session, actor, member_id)
    form = EndorseForm()
    form.skill_id.choices = grouped_choices(exchange.skill_choices(db.session))
    error = None
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            web.perform(
                lambda: services.endorse(
                    db.session,
                    actor,
                    endorsed_id=member.id,
                    skill_id=int(form.skill_id.data or 0),
                    comment=form.comment.data or "",
                )
            )
        except (InvalidInput, Conflict) as exc:
            error, status = web.show_error(form, exc), exc.status
        else:
            flash(_("Merci : votre recommandation est enregistrée."), "success")
            return redirect(url_for("recognition.member_badges", member_id=member.id))
    return render_template(
        "recognition/endorse.html", form=form, member=member, error=error
    ), status
