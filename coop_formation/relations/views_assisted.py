"""Assisted use pages: the member's consents and log, and the correspondent acting for them."""

from __future__ import annotations

import secrets
from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.errors import InvalidInput
from coop_formation.exchange.models import Format, NeedVisibility, Urgency
from coop_formation.exchange.services import NeedData, OfferData
from coop_formation.extensions import db
from coop_formation.relations import bp, services
from coop_formation.relations.forms import (
    AssistedEnrolForm,
    AssistedNeedForm,
    AssistedOfferForm,
    ConsentForm,
    EmptyForm,
    choices,
)
from coop_formation.web import acting_member, post_action, submit_form


def _to_assisted_members(message: str) -> tuple[str, str]:
    return message, url_for("relations.assisted_members")


@bp.route("/me/accompagnement", methods=["GET", "POST"])
@login_required
def my_assistance() -> Any:
    actor = acting_member()
    correspondents = services.correspondents_of(db.session, actor)
    form = ConsentForm()
    form.correspondent_id.choices = choices(
        [(0, "—")] + [(c.id, c.display_name) for c in correspondents]
    )
    return submit_form(
        form,
        lambda: services.give_consent(db.session, actor, form.correspondent_id.data),
        done=lambda _consent: (
            _("Votre accord est enregistré."),
            url_for("relations.my_assistance"),
        ),
        template="relations/my_assistance.html",
        consents=services.consents_of(db.session, actor),
        actions=services.actions_for(db.session, actor),
        withdraw_form=EmptyForm(formdata=None),
    )


@bp.post("/me/accompagnement/<int:consent_id>/retrait")
@login_required
def withdraw_consent(consent_id: int) -> WerkzeugResponse:
    if not EmptyForm().validate_on_submit():
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    actor = acting_member()
    return post_action(
        lambda: services.withdraw_consent(db.session, actor, consent_id),
        success=_("Votre accord est retiré : plus rien ne peut être fait en votre nom."),
        next_url=url_for("relations.my_assistance"),
    )


@bp.get("/accompagnement")
@login_required
def assisted_members() -> str:
    return render_template(
        "relations/assisted_members.html",
        members=services.assisted_members(db.session, acting_member()),
    )


def _int(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


@bp.route("/accompagnement/<int:member_id>/besoin", methods=["GET", "POST"])
@login_required
def assisted_need(member_id: int) -> Any:
    actor = acting_member()
    member, _consent = services.require_consent(db.session, actor, member_id)
    form = AssistedNeedForm()

    def create() -> Any:
        data = NeedData(
            title=form.title.data or "",
            description=form.description.data or "",
            format=Format(form.format.data),
            urgency=Urgency(form.urgency.data),
            visibility=NeedVisibility(form.visibility.data),
            anonymous=bool(form.anonymous.data),
        )
        return services.create_need_for(db.session, actor, member.id, data)

    return submit_form(
        form,
        create,
        done=lambda _need: _to_assisted_members(
            _("Le besoin est enregistré au nom de %(n)s.", n=member.display_name)
        ),
        template="relations/assisted_need.html",
        member=member,
    )


@bp.route("/accompagnement/<int:member_id>/offre", methods=["GET", "POST"])
@login_required
def assisted_offer(member_id: int) -> Any:
    actor = acting_member()
    member, _consent = services.require_consent(db.session, actor, member_id)
    form = AssistedOfferForm()

    def create() -> Any:
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
        return services.create_offer_for(db.session, actor, member.id, data)

    return submit_form(
        form,
        create,
        done=lambda _offer: _to_assisted_members(
            _("L'offre est publiée au nom de %(n)s.", n=member.display_name)
        ),
        template="relations/assisted_offer.html",
        member=member,
    )


@bp.get("/accompagnement/<int:member_id>/sessions")
@login_required
def assisted_sessions(member_id: int) -> str:
    actor = acting_member()
    sessions = services.upcoming_sessions_for(db.session, actor, member_id)
    member, _consent = services.require_consent(db.session, actor, member_id)
    return render_template("relations/assisted_sessions.html", member=member, sessions=sessions)


@bp.route("/accompagnement/<int:member_id>/inscription/<int:session_id>", methods=["GET", "POST"])
@login_required
def assisted_enrol(member_id: int, session_id: int) -> Any:
    actor = acting_member()
    training_session = services.session_for(db.session, actor, member_id, session_id)
    member, _consent = services.require_consent(db.session, actor, member_id)
    form = AssistedEnrolForm()
    return submit_form(
        form,
        lambda: services.enrol_for(db.session, actor, member.id, session_id, form.request_key.data),
        done=lambda _enrollment: _to_assisted_members(
            _("%(n)s est inscrit(e) à la session.", n=member.display_name)
        ),
        template="relations/assisted_enrol.html",
        member=member,
        training_session=training_session,
        request_key=secrets.token_urlsafe(24),  # a fresh key for the next attempt
    )
