"""Members' badge pages: their credentials (accept, hide, share, download), badges
imported from elsewhere, endorsements, and colleagues' public badges."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from badges import UnusableInput
from coop_formation.errors import Conflict, InvalidInput
from coop_formation.exchange import services as exchange
from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.forms import (
    ChoiceForm,
    ConfirmForm,
    EndorseForm,
    ImportForm,
)
from coop_formation.recognition.importing import MAX_IMPORT_BYTES
from coop_formation.recognition.models import RecipientChoice
from coop_formation.recognition.views import bp, public_json, read_upload


@bp.get("/me/badges")
@login_required
def my_badges() -> str:
    credentials = services.my_credentials(db.session, current_user)
    return render_template(
        "recognition/my_badges.html",
        credentials=credentials,
        imported=services.imported_badges(db.session, current_user),
        endorsements=services.endorsements_received(db.session, current_user),
        jury_votes=services.pending_votes(db.session, current_user),
        forms={c.public_id: ChoiceForm(public=c.is_public) for c in credentials},
        delete_form=ConfirmForm(),
    )


@bp.post("/me/badges/<public_id>/choix")
@login_required
def choose(public_id: str) -> Response:
    form = ChoiceForm()
    if not form.validate_on_submit():
        flash(_("Le formulaire a expiré. Recommencez."), "error")
        return redirect(url_for("recognition.my_badges"))
    try:
        choice = RecipientChoice(form.choice.data or "")
        services.set_recipient_choice(
            db.session, current_user, public_id, choice=choice, public=bool(form.public.data)
        )
    except (ValueError, InvalidInput):
        db.session.rollback()
        flash(_("Choix invalide."), "error")
        return redirect(url_for("recognition.my_badges"))
    db.session.commit()
    messages = {
        RecipientChoice.ACCEPTED: _("Badge accepté."),
        RecipientChoice.HIDDEN: _("Badge masqué : il n'est plus visible publiquement."),
    }
    flash(messages[choice], "success")
    return redirect(url_for("recognition.my_badges"))


@bp.route("/me/badges/importer", methods=["GET", "POST"])
@login_required
def import_badge() -> Any:
    form = ImportForm()
    error = None
    if form.validate_on_submit():
        try:
            data = read_upload(form.file.data, MAX_IMPORT_BYTES)
            if data is None:
                data = (form.text.data or "").encode("utf-8")
            imported = services.import_badge(db.session, current_user, data)
        except (InvalidInput, UnusableInput) as exc:
            db.session.rollback()
            error = getattr(exc, "message", None) or str(exc)
        else:
            db.session.commit()
            if imported.valid:
                flash(_("Badge importé et vérifié."), "success")
            else:
                flash(
                    _("Badge importé, mais la vérification a échoué : voyez le détail."), "warning"
                )
            return redirect(url_for("recognition.my_badges"))
    status = 422 if request.method == "POST" else 200
    return render_template("recognition/import.html", form=form, error=error), status


@bp.post("/me/badges/importes/<int:imported_id>/supprimer")
@login_required
def delete_imported(imported_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        services.delete_imported(db.session, current_user, imported_id)
        db.session.commit()
        flash(_("Badge importé retiré."), "success")
    return redirect(url_for("recognition.my_badges"))


@bp.get("/me/badges/recommandations/<public_id>.json")
@login_required
def endorsement_json(public_id: str) -> Response:
    import json

    endorsement = services.get_own_endorsement(db.session, current_user, public_id)
    response = public_json(json.loads(endorsement.document), "application/ld+json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="recommandation-{public_id}.json"'
    )
    return response


@bp.get("/members/<int:member_id>/badges")
@login_required
def member_badges(member_id: int) -> str:
    member, credentials = services.profile_badges(db.session, current_user, member_id)
    return render_template("recognition/member_badges.html", member=member, credentials=credentials)


@bp.route("/members/<int:member_id>/recommander", methods=["GET", "POST"])
@login_required
def endorse(member_id: int) -> Any:
    member, _credentials = services.profile_badges(db.session, current_user, member_id)
    form = EndorseForm()
    form.skill_id.choices = dict(exchange.skill_choices(db.session))
    error = None
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            services.endorse(
                db.session,
                current_user,
                endorsed_id=member.id,
                skill_id=int(form.skill_id.data or 0),
                comment=form.comment.data or "",
            )
        except (InvalidInput, Conflict) as exc:
            db.session.rollback()
            error, status = exc.message, exc.status
        else:
            db.session.commit()
            flash(_("Merci : votre recommandation est enregistrée."), "success")
            return redirect(url_for("recognition.member_badges", member_id=member.id))
    return render_template(
        "recognition/endorse.html", form=form, member=member, error=error
    ), status
