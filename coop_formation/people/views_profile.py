"""A member's own data: the export and the closure of their account.

The profile form and the member page show declared skills, which are the exchange's:
they live in ``coop_formation/exchange/profile_views.py`` (same endpoints, on ``people.bp``).
"""

from __future__ import annotations

import json

from flask import Response, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.extensions import db
from coop_formation.people import bp, services
from coop_formation.people.forms import CloseAccountForm
from coop_formation.web import acting_member, submit_form


@bp.get("/me/export")
@login_required
def export_data() -> Response:
    actor = acting_member()
    data = services.export_member_data(db.session, actor)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="coop-formation-mes-donnees-{actor.id}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _closed(_result: None) -> WerkzeugResponse:
    logout_user()
    session.clear()
    flash(
        _("Votre compte est fermé. Vos contributions restent, sous le nom « Ancien membre »."),
        "info",
    )
    return redirect(url_for("site.home"))


@bp.route("/me/close", methods=["GET", "POST"])
@login_required
def close_account() -> WerkzeugResponse | str | tuple[str, int]:
    actor = acting_member()
    form = CloseAccountForm()
    return submit_form(
        form,
        lambda: services.close_account(db.session, actor, form.password.data or ""),
        done=_closed,
        template="people/close.html",
    )
