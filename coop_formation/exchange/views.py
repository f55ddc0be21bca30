"""Exchange pages: needs and offers (skills pages live in skill_views.py).

Each handler parses the request, calls one service, commits once, then renders or
redirects. Permission decisions come from the services (404/403 raised there).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from coop_formation.errors import Conflict, InvalidInput
from coop_formation.exchange import services
from coop_formation.exchange.forms import (
    ConfirmForm,
    JoinForm,
    NeedForm,
    OfferForm,
    StatusForm,
)
from coop_formation.exchange.labels import LABELS, NEED_STATUS_LABELS, OFFER_STATUS_LABELS
from coop_formation.exchange.models import (
    Format,
    NeedStatus,
    NeedVisibility,
    OfferStatus,
    Urgency,
)
from coop_formation.extensions import db

bp = Blueprint("exchange", __name__, template_folder="templates")


@bp.app_context_processor
def exchange_labels() -> dict[str, Any]:
    return {"exchange_labels": LABELS}


# helpers -------------------------------------------------------------------------------


def _int_arg(name: str) -> int | None:
    try:
        value = int(request.args.get(name, ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _enum_arg(name: str, enum_cls: Any) -> Any:
    try:
        return enum_cls(request.args.get(name, ""))
    except ValueError:
        return None


def _page_size() -> int:
    return int(current_app.config.get("PAGE_SIZE", 20))


def _show_input_error(form: FlaskForm, error: InvalidInput) -> str | None:
    """Attach a service error to its field; return it when it belongs to no field."""
    field = {"duration_minutes": "duration"}.get(error.field or "", error.field)
    if field and field in form:
        form[field].errors = [*form[field].errors, error.message]
        return None
    return error.message


def _filter_context() -> dict[str, Any]:
    return {
        "skill_groups": services.skill_choices(db.session),
        "companies": services.company_choices(db.session, current_user),
    }


# needs ---------------------------------------------------------------------------------


@bp.get("/needs")
@login_required
def list_needs() -> str:
    filters = services.NeedFilters(
        q=request.args.get("q", "").strip()[:200],
        skill_id=_int_arg("skill"),
        format=_enum_arg("format", Format),
        company_id=_int_arg("company"),
        status=_enum_arg("status", NeedStatus),
    )
    page = services.list_needs(
        db.session, current_user, filters, _int_arg("page") or 1, _page_size()
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "exchange/needs_list.html",
        page=page,
        filters=filters,
        args=args,
        statuses=NEED_STATUS_LABELS,
        **_filter_context(),
    )


def _need_form(form: NeedForm) -> NeedForm:
    form.skill_ids.choices = dict(services.skill_choices(db.session))
    return form


def _need_data(form: NeedForm) -> services.NeedData:
    return services.NeedData(
        title=form.title.data or "",
        description=form.description.data or "",
        skill_ids=list(form.skill_ids.data or []),
        urgency=Urgency(form.urgency.data),
        wanted_from=form.wanted_from.data,
        wanted_until=form.wanted_until.data,
        format=Format(form.format.data),
        visibility=NeedVisibility(form.visibility.data),
        anonymous=bool(form.anonymous.data),
    )


@bp.route("/needs/new", methods=["GET", "POST"])
@login_required
def new_need() -> Any:
    form = _need_form(NeedForm())
    error = None
    if form.validate_on_submit():
        try:
            need = services.create_need(db.session, current_user, _need_data(form))
        except InvalidInput as exc:
            db.session.rollback()
            error = _show_input_error(form, exc)
        else:
            db.session.commit()
            flash(_("Votre besoin est publié."), "success")
            return redirect(url_for("exchange.show_need", need_id=need.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "exchange/need_form.html",
        form=form,
        error=error,
        need=None,
        can_declare=current_user.company_id is not None,
    ), status


@bp.get("/needs/<int:need_id>")
@login_required
def show_need(need_id: int) -> str:
    detail = services.need_detail(db.session, current_user, need_id)
    status_form = StatusForm()
    status_form.status.choices = [(s.value, NEED_STATUS_LABELS[s]) for s in detail.next_statuses]
    return render_template(
        "exchange/need_detail.html",
        d=detail,
        need=detail.need,
        join_form=JoinForm(),
        leave_form=ConfirmForm(),
        status_form=status_form,
    )


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit_need(need_id: int) -> Any:
    need = services.get_need(db.session, current_user, need_id, "need:edit")
    if request.method == "GET":
        form = _need_form(NeedForm(obj=need))
        form.skill_ids.data = [skill.id for skill in need.skills]
        form.urgency.data = need.urgency.value
        form.format.data = need.format.value
        form.visibility.data = need.visibility.value
    else:
        form = _need_form(NeedForm())
    error = None
    if form.validate_on_submit():
        try:
            services.update_need(db.session, current_user, need_id, _need_data(form))
        except InvalidInput as exc:
            db.session.rollback()
            error = _show_input_error(form, exc)
        else:
            db.session.commit()
            flash(_("Besoin mis à jour."), "success")
            return redirect(url_for("exchange.show_need", need_id=need_id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "exchange/need_form.html", form=form, error=error, need=need, can_declare=True
    ), status


@bp.post("/needs/<int:need_id>/status")
@login_required
def need_status(need_id: int) -> Response:
    services.get_need(db.session, current_user, need_id, "need:set_status")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        status = NeedStatus(request.form.get("status", ""))
    except ValueError:
        flash(_("Choisissez un statut."), "error")
        return redirect(url_for("exchange.show_need", need_id=need_id))
    try:
        services.set_need_status(db.session, current_user, need_id, status)
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Statut mis à jour : %(status)s.", status=NEED_STATUS_LABELS[status]), "success")
    return redirect(url_for("exchange.show_need", need_id=need_id))


@bp.post("/needs/<int:need_id>/join")
@login_required
def join_need(need_id: int) -> Response:
    services.get_need(db.session, current_user, need_id)
    form = JoinForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.join_need(db.session, current_user, need_id, bool(form.anonymous.data))
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("C'est noté : ce besoin est aussi le vôtre."), "success")
    return redirect(url_for("exchange.show_need", need_id=need_id))


@bp.post("/needs/<int:need_id>/leave")
@login_required
def leave_need(need_id: int) -> Response:
    services.get_need(db.session, current_user, need_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.leave_need(db.session, current_user, need_id)
    db.session.commit()
    flash(_("Vous ne soutenez plus ce besoin."), "success")
    return redirect(url_for("exchange.show_need", need_id=need_id))


# offers --------------------------------------------------------------------------------


@bp.get("/offers")
@login_required
def list_offers() -> str:
    status_arg = request.args.get("status", "active")
    filters = services.OfferFilters(
        q=request.args.get("q", "").strip()[:200],
        skill_id=_int_arg("skill"),
        format=_enum_arg("format", Format),
        company_id=_int_arg("company"),
        status=None
        if status_arg == "all"
        else (_enum_arg("status", OfferStatus) or OfferStatus.ACTIVE),
    )
    page = services.list_offers(
        db.session, current_user, filters, _int_arg("page") or 1, _page_size()
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "exchange/offers_list.html",
        page=page,
        filters=filters,
        args=args,
        status_arg=status_arg,
        statuses=OFFER_STATUS_LABELS,
        **_filter_context(),
    )


def _offer_form(form: OfferForm) -> OfferForm:
    form.skill_ids.choices = dict(services.skill_choices(db.session))
    venues = services.venues_of(db.session, current_user)
    form.venue_id.choices = [("", _("— Aucun lieu de la liste —"))] + [
        (venue.id, f"{venue.name} ({venue.address})" if venue.address else venue.name)
        for venue in venues
    ]
    return form


def _offer_data(form: OfferForm) -> services.OfferData:
    return services.OfferData(
        title=form.title.data or "",
        description=form.description.data or "",
        skill_ids=list(form.skill_ids.data or []),
        format=Format(form.format.data),
        duration_minutes=form.duration_minutes(),
        capacity=form.capacity.data,
        remote=bool(form.remote.data),
        venue_id=form.venue_id.data,
        place_details=form.place_details.data or "",
        availability=form.availability.data or "",
    )


def _save_offer(form: OfferForm, offer_id: int | None) -> tuple[int | None, str | None]:
    try:
        if offer_id is None:
            offer = services.create_offer(db.session, current_user, _offer_data(form))
        else:
            offer = services.update_offer(db.session, current_user, offer_id, _offer_data(form))
    except InvalidInput as exc:
        db.session.rollback()
        return None, _show_input_error(form, exc)
    db.session.commit()
    return offer.id, None


@bp.route("/offers/new", methods=["GET", "POST"])
@login_required
def new_offer() -> Any:
    form = _offer_form(OfferForm())
    error = None
    if form.validate_on_submit():
        offer_id, error = _save_offer(form, None)
        if offer_id is not None:
            flash(_("Merci ! Votre offre est visible par toute la grappe."), "success")
            return redirect(url_for("exchange.show_offer", offer_id=offer_id))
    status = 422 if request.method == "POST" else 200
    return render_template("exchange/offer_form.html", form=form, error=error, offer=None), status


@bp.get("/offers/<int:offer_id>")
@login_required
def show_offer(offer_id: int) -> str:
    offer = services.get_offer(db.session, current_user, offer_id)
    return render_template(
        "exchange/offer_detail.html",
        offer=offer,
        action_form=ConfirmForm(),
        can_edit=offer.trainer_id == current_user.id,
    )


@bp.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@login_required
def edit_offer(offer_id: int) -> Any:
    offer = services.get_offer(db.session, current_user, offer_id, "offer:edit")
    if request.method == "GET":
        form = _offer_form(OfferForm(obj=offer))
        form.skill_ids.data = [skill.id for skill in offer.skills]
        form.format.data = offer.format.value
        hours, minutes = divmod(offer.duration_minutes, 60)
        form.duration.data, form.duration_unit.data = (
            (hours, "hours") if not minutes else (offer.duration_minutes, "minutes")
        )
    else:
        form = _offer_form(OfferForm())
    error = None
    if form.validate_on_submit():
        saved, error = _save_offer(form, offer_id)
        if saved is not None:
            flash(_("Offre mise à jour."), "success")
            return redirect(url_for("exchange.show_offer", offer_id=offer_id))
    status = 422 if request.method == "POST" else 200
    return render_template("exchange/offer_form.html", form=form, error=error, offer=offer), status


def _offer_status(offer_id: int, status: OfferStatus, message: str) -> Response:
    services.get_offer(db.session, current_user, offer_id, "offer:edit")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_offer_status(db.session, current_user, offer_id, status)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("exchange.show_offer", offer_id=offer_id))


@bp.post("/offers/<int:offer_id>/archive")
@login_required
def archive_offer(offer_id: int) -> Response:
    return _offer_status(offer_id, OfferStatus.ARCHIVED, _("Offre archivée."))


@bp.post("/offers/<int:offer_id>/restore")
@login_required
def restore_offer(offer_id: int) -> Response:
    return _offer_status(offer_id, OfferStatus.ACTIVE, _("Offre de nouveau active."))


from coop_formation.exchange import skill_views  # noqa: E402,F401  (registers /skills routes)
