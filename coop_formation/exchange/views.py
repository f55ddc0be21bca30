"""Exchange pages: needs and offers (skills pages live in skill_views.py, the profile
form and member page in profile_views.py).

Each handler parses the request and calls one service through the shared web layer
(one transaction); permission decisions come from the services and ``exchange/rules.py``.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from coop_formation.exchange import bp, services
from coop_formation.exchange import profile_views as _profile_views  # noqa: F401  (routes)
from coop_formation.exchange import skill_views as _skill_views  # noqa: F401  (routes on bp)
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
from coop_formation.web import acting_member, post_action, submit_form

__all__ = ["bp"]


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


def _filter_context() -> dict[str, Any]:
    return {
        "skill_groups": services.skill_choices(db.session),
        "companies": services.company_choices(db.session, acting_member()),
    }


def _skill_options() -> list[SelectChoice]:
    """The approved skills, grouped by domain, as options of a skills select."""
    return [
        SelectChoice(skill_id, label, optgroup=group)
        for group, items in services.skill_choices(db.session)
        for skill_id, label in items
    ]


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
        db.session, acting_member(), filters, _int_arg("page") or 1, _page_size()
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
    form.skill_ids.choices = _skill_options()
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
    actor = acting_member()
    form = _need_form(NeedForm())
    return submit_form(
        form,
        lambda: services.create_need(db.session, actor, _need_data(form)),
        done=lambda need: (
            _("Votre besoin est publié."),
            url_for("exchange.show_need", need_id=need.id),
        ),
        template="exchange/need_form.html",
        need=None,
    )


@bp.get("/needs/<int:need_id>")
@login_required
def show_need(need_id: int) -> str:
    detail = services.need_detail(db.session, acting_member(), need_id)
    status_form = StatusForm()
    status_form.status.choices = [
        SelectChoice(s.value, NEED_STATUS_LABELS[s]) for s in detail.next_statuses
    ]
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
    actor = acting_member()
    need = services.get_need(db.session, actor, need_id, "need:edit")
    if request.method == "GET":
        form = _need_form(NeedForm(obj=need))
        form.skill_ids.data = [skill.id for skill in need.skills]
        form.urgency.data = need.urgency.value
        form.format.data = need.format.value
        form.visibility.data = need.visibility.value
    else:
        form = _need_form(NeedForm())
    return submit_form(
        form,
        lambda: services.update_need(db.session, actor, need_id, _need_data(form)),
        done=lambda _need: (
            _("Besoin mis à jour."),
            url_for("exchange.show_need", need_id=need_id),
        ),
        template="exchange/need_form.html",
        need=need,
    )


@bp.post("/needs/<int:need_id>/status")
@login_required
def need_status(need_id: int) -> Response:
    actor = acting_member()
    services.get_need(db.session, actor, need_id, "need:set_status")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = url_for("exchange.show_need", need_id=need_id)
    try:
        status = NeedStatus(request.form.get("status", ""))
    except ValueError:
        status = None
    if status is None:
        flash(_("Choisissez un statut."), "error")
        return redirect(back)
    return post_action(
        lambda: services.set_need_status(db.session, actor, need_id, status),
        success=_("Statut mis à jour : %(status)s.", status=NEED_STATUS_LABELS[status]),
        next_url=back,
    )


@bp.post("/needs/<int:need_id>/join")
@login_required
def join_need(need_id: int) -> Response:
    actor = acting_member()
    services.get_need(db.session, actor, need_id)
    form = JoinForm()
    if not form.validate_on_submit():
        abort(400)
    return post_action(
        lambda: services.join_need(db.session, actor, need_id, bool(form.anonymous.data)),
        success=_("C'est noté : ce besoin est aussi le vôtre."),
        next_url=url_for("exchange.show_need", need_id=need_id),
    )


@bp.post("/needs/<int:need_id>/leave")
@login_required
def leave_need(need_id: int) -> Response:
    actor = acting_member()
    services.get_need(db.session, actor, need_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return post_action(
        lambda: services.leave_need(db.session, actor, need_id),
        success=_("Vous ne soutenez plus ce besoin."),
        next_url=url_for("exchange.show_need", need_id=need_id),
    )


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
        db.session, acting_member(), filters, _int_arg("page") or 1, _page_size()
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
    form.skill_ids.choices = _skill_options()
    venues = services.venues_of(db.session, acting_member())
    form.venue_id.choices = [SelectChoice("", _("— Aucun lieu de la liste —"))] + [
        SelectChoice(venue.id, f"{venue.name} ({venue.address})" if venue.address else venue.name)
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


@bp.route("/offers/new", methods=["GET", "POST"])
@login_required
def new_offer() -> Any:
    actor = acting_member()
    form = _offer_form(OfferForm())
    return submit_form(
        form,
        lambda: services.create_offer(db.session, actor, _offer_data(form)),
        done=lambda offer: (
            _("Merci ! Votre offre est visible par toute la grappe."),
            url_for("exchange.show_offer", offer_id=offer.id),
        ),
        template="exchange/offer_form.html",
        offer=None,
    )


@bp.get("/offers/<int:offer_id>")
@login_required
def show_offer(offer_id: int) -> str:
    offer = services.get_offer(db.session, acting_member(), offer_id)
    return render_template("exchange/offer_detail.html", offer=offer, action_form=ConfirmForm())


@bp.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@login_required
def edit_offer(offer_id: int) -> Any:
    actor = acting_member()
    offer = services.get_offer(db.session, actor, offer_id, "offer:edit")
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
    return submit_form(
        form,
        lambda: services.update_offer(db.session, actor, offer_id, _offer_data(form)),
        done=lambda _offer: (
            _("Offre mise à jour."),
            url_for("exchange.show_offer", offer_id=offer_id),
        ),
        template="exchange/offer_form.html",
        offer=offer,
    )


def _offer_status(offer_id: int, status: OfferStatus, message: str) -> Response:
    actor = acting_member()
    services.get_offer(db.session, actor, offer_id, "offer:edit")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return post_action(
        lambda: services.set_offer_status(db.session, actor, offer_id, status),
        success=message,
        next_url=url_for("exchange.show_offer", offer_id=offer_id),
    )


@bp.post("/offers/<int:offer_id>/archive")
@login_required
def archive_offer(offer_id: int) -> Response:
    return _offer_status(offer_id, OfferStatus.ARCHIVED, _("Offre archivée."))


@bp.post("/offers/<int:offer_id>/restore")
@login_required
def restore_offer(offer_id: int) -> Response:
    return _offer_status(offer_id, OfferStatus.ACTIVE, _("Offre de nouveau active."))
