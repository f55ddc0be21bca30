"""Assisted use pages: the member's consents and log, and the correspondent acting for them."""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.errors import InvalidInput, LimitExceeded
from coop_formation.exchange.models import Format, NeedVisibility, Urgency
from coop_formation.exchange.services import NeedData, OfferData
from coop_formation.extensions import db
from coop_formation.relations import services
from coop_formation.relations.forms import (
    AssistedEnrolForm,
    AssistedNeedForm,
    AssistedOfferForm,
    ConsentForm,
    EmptyForm,
    choices,
)
from coop_formation.relations.views import ResponseLike, bp


def _actor():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


@bp.route("/me/accompagnement", methods=["GET", "POST"])
@login_required
def my_assistance() -> ResponseLike:
    actor = _actor()
    correspondents = services.correspondents_of(db.session, actor)
    form = ConsentForm()
    form.correspondent_id.choices = choices(
        [(0, "—")] + [(c.id, c.display_name) for c in correspondents]
    )
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise InvalidInput(_("Choisissez un correspondant de la liste."))
            services.give_consent(db.session, actor, form.correspondent_id.data)
        except InvalidInput as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Votre accord est enregistré."), "success")
            return redirect(url_for("relations.my_assistance"))
    return render_template(
        "relations/my_assistance.html",
        form=form,
        consents=services.consents_of(db.session, actor),
        actions=services.actions_for(db.session, actor),
        withdraw_form=EmptyForm(formdata=None),
        error=error,
    ), (422 if error else 200)


@bp.post("/me/accompagnement/<int:consent_id>/retrait")
@login_required
def withdraw_consent(consent_id: int) -> WerkzeugResponse:
    if not EmptyForm().validate_on_submit():
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    services.withdraw_consent(db.session, _actor(), consent_id)
    db.session.commit()
    flash(_("Votre accord est retiré : plus rien ne peut être fait en votre nom."), "success")
    return redirect(url_for("relations.my_assistance"))


@bp.get("/accompagnement")
@login_required
def assisted_members() -> str:
    return render_template(
        "relations/assisted_members.html",
        members=services.assisted_members(db.session, _actor()),
    )


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


@bp.route("/accompagnement/<int:member_id>/besoin", methods=["GET", "POST"])
@login_required
def assisted_need(member_id: int) -> ResponseLike:
    actor = _actor()
    member, _consent = services.require_consent(db.session, actor, member_id)
    form = AssistedNeedForm()
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise InvalidInput(_("Donnez un titre au besoin."))
            data = NeedData(
                title=form.title.data or "",
                description=form.description.data or "",
                format=Format(form.format.data),
                urgency=Urgency(form.urgency.data),
                visibility=NeedVisibility(form.visibility.data),
                anonymous=bool(form.anonymous.data),
            )
            services.create_need_for(db.session, actor, member.id, data)
        except InvalidInput as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Le besoin est enregistré au nom de %(n)s.", n=member.display_name), "success")
            return redirect(url_for("relations.assisted_members"))
    return render_template("relations/assisted_need.html", member=member, form=form, error=error), (
        422 if error else 200
    )


@bp.route("/accompagnement/<int:member_id>/offre", methods=["GET", "POST"])
@login_required
def assisted_offer(member_id: int) -> ResponseLike:
    actor = _actor()
    member, _consent = services.require_consent(db.session, actor, member_id)
    form = AssistedOfferForm()
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise InvalidInput(_("Donnez un titre à l'offre."))
            data = OfferData(
                title=form.title.data or "",
                description=form.description.data or "",
                format=Format(form.format.data),
                duration_minutes=_int(form.duration_minutes.data),
                capacity=_int(form.capacity.data),
                remote=bool(form.remote.data),
                place_details=form.place_details.data or "",
                availability=form.availability.data or "",
            )
            services.create_offer_for(db.session, actor, member.id, data)
        except InvalidInput as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("L'offre est publiée au nom de %(n)s.", n=member.display_name), "success")
            return redirect(url_for("relations.assisted_members"))
    return render_template(
        "relations/assisted_offer.html", member=member, form=form, error=error
    ), (422 if error else 200)


@bp.get("/accompagnement/<int:member_id>/sessions")
@login_required
def assisted_sessions(member_id: int) -> str:
    actor = _actor()
    sessions = services.upcoming_sessions_for(db.session, actor, member_id)
    member, _consent = services.require_consent(db.session, actor, member_id)
    return render_template("relations/assisted_sessions.html", member=member, sessions=sessions)


@bp.route("/accompagnement/<int:member_id>/inscription/<int:session_id>", methods=["GET", "POST"])
@login_required
def assisted_enrol(member_id: int, session_id: int) -> ResponseLike:
    actor = _actor()
    training_session = services.session_for(db.session, actor, member_id, session_id)
    member, _consent = services.require_consent(db.session, actor, member_id)
    form = AssistedEnrolForm()
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise InvalidInput(
                    _("Le formulaire est incomplet. Rechargez la page et recommencez.")
                )
            services.enrol_for(db.session, actor, member.id, session_id, form.request_key.data)
        except (InvalidInput, LimitExceeded) as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("%(n)s est inscrit(e) à la session.", n=member.display_name), "success")
            return redirect(url_for("relations.assisted_members"))
    form.request_key.data = secrets.token_urlsafe(24)
    return render_template(
        "relations/assisted_enrol.html",
        member=member,
        training_session=training_session,
        form=form,
        error=error,
    ), (422 if error else 200)
