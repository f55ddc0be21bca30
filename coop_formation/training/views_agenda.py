"""Training pages, continued: agendas and iCalendar feeds, trainer time, venues.

Routes are added to the room's blueprint (``coop_formation.training.bp``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.extensions import db
from coop_formation.training import bp, ical
from coop_formation.training import services as training
from coop_formation.training.forms import ActionForm, VenueForm
from coop_formation.training.models import TrainingSession
from coop_formation.training.view_helpers import session_url
from coop_formation.web import (
    acting_member,
    acting_member_or_none,
    perform,
    post_action,
    submit_form,
)

# Agendas and feeds -----------------------------------------------------------------------


@bp.get("/agenda")
@login_required
def agenda() -> str:
    page = training.public_agenda(
        db.session, actor=acting_member(), page=request.args.get("page", 1, type=int)
    )
    return render_template("training/agenda.html", page=page)


@bp.get("/agenda/moi")
@login_required
def my_agenda() -> str:
    actor = acting_member()
    token = perform(lambda: training.feed_token(db.session, actor).token)  # made on first visit
    upcoming, past = training.split_by_time(training.my_sessions(db.session, member=actor))
    return render_template(
        "training/my_agenda.html",
        upcoming=upcoming,
        past=past[:20],
        feed_url=url_for("training.my_feed", token=token, _external=True),
        cluster_feed_url=url_for("training.cluster_feed", jeton=token, _external=True),
        action_form=ActionForm(),
    )


@bp.post("/agenda/moi/nouvelle-adresse")
@login_required
def regenerate_feed() -> WerkzeugResponse:
    if not ActionForm().validate_on_submit():
        abort(400)
    return post_action(
        lambda: training.regenerate_feed_token(db.session, acting_member()),
        success=_(
            "Nouvelle adresse créée : l'ancienne ne fonctionne plus. Mettez à jour votre agenda."
        ),
        next_url=url_for("training.my_agenda"),
    )


def _ics(sessions: list[TrainingSession], name: str) -> Response:
    host = urlsplit(current_app.config.get("BASE_URL") or request.host_url).hostname or "localhost"
    body = ical.build_calendar(
        sessions, name=name, url_for_session=session_url, uid_domain=host, now=datetime.now(UTC)
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = "inline; filename=agenda.ics"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/agenda.ics")
def cluster_feed() -> Response | WerkzeugResponse:
    """The cluster's agenda; for a calendar app, the personal token stands in for a login."""
    member = training.member_for_feed_token(db.session, request.args.get("jeton", ""))
    if member is None:
        member = acting_member_or_none()
    if member is None:
        if request.args.get("jeton"):
            abort(404)
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    sessions = training.upcoming_cluster_sessions(db.session, cluster_id=member.cluster_id)
    return _ics(sessions, _("Agenda de la coopérative"))


@bp.get("/agenda/moi/<token>.ics")
def my_feed(token: str) -> Response:
    member = training.member_for_feed_token(db.session, token)
    if member is None:
        abort(404)
    entries = training.my_sessions(db.session, member=member)
    return _ics([e.session for e in entries], _("Mon agenda de formation"))


# Trainer time ----------------------------------------------------------------------------


@bp.get("/moi/temps-formateur")
@login_required
def trainer_time() -> str:
    record = training.trainer_time(db.session, member=acting_member())
    return render_template("training/trainer_time.html", record=record)


@bp.get("/moi/temps-formateur/attestation")
@login_required
def trainer_attestation() -> str:
    record = training.trainer_time(db.session, member=acting_member())
    return render_template("training/attestation.html", record=record, today=datetime.now(UTC))


# Venues ----------------------------------------------------------------------------------


@bp.get("/lieux")
@login_required
def venues() -> str:
    return render_template(
        "training/venues.html", venues=training.list_venues(db.session, actor=acting_member())
    )


def _venue_form_page(venue_id: int | None) -> Any:
    actor = acting_member()
    venue = (
        training.get_venue_for_edit(db.session, actor=actor, venue_id=venue_id)
        if venue_id
        else None
    )
    if venue is None:
        training.require_venue_manager(actor)
    form = VenueForm(obj=venue)

    def save() -> object:
        data = training.VenueInput(
            name=form.name.data or "",
            capacity=int(form.capacity.data or 0),
            address=form.address.data or "",
            accessibility=form.accessibility.data or "",
            opening_hours=form.opening_hours.data or "",
        )
        return training.save_venue(db.session, actor=actor, data=data, venue=venue)

    return submit_form(
        form,
        save,
        done=lambda _saved: (_("Lieu enregistré."), url_for("training.venues")),
        template="training/venue_form.html",
        venue=venue,
    )


@bp.route("/lieux/nouveau", methods=["GET", "POST"])
@login_required
def new_venue() -> Any:
    return _venue_form_page(None)


@bp.route("/lieux/<int:venue_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_venue(venue_id: int) -> Any:
    return _venue_form_page(venue_id)
