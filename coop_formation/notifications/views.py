"""Notification pages: the member's list (mark read), their preferences, the cluster policy.

Each handler parses the request, calls one service, commits once, then renders or redirects.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.notifications import preferences, services
from coop_formation.notifications.forms import WEEKDAYS, ConfirmForm, PolicyForm, preferences_form
from coop_formation.notifications.queue import init_inline_delivery

bp = Blueprint("notifications", __name__, template_folder="templates")
bp.record_once(lambda state: init_inline_delivery(state.app))


@bp.app_context_processor
def notification_helpers() -> dict[str, Any]:
    """``{{ unread_notifications() }}`` in any template: the signed-in member's unread count
    (one query, only when the template calls it)."""
    return {"unread_notifications": lambda: services.unread_count(current_user, db.session)}


def _page_arg() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.get("/notifications")
@login_required
def index() -> str:
    page = services.list_notifications(
        db.session,
        current_user,
        page=_page_arg(),
        per_page=int(current_app.config.get("PAGE_SIZE", 20)),
    )
    return render_template(
        "notifications/list.html",
        page=page,
        unread=services.unread_count(current_user, db.session),
        form=ConfirmForm(),
        kind_labels=preferences.KIND_LABELS,
    )


@bp.post("/notifications/<int:notification_id>/lue")
@login_required
def mark_read(notification_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        flash(_("Le formulaire a expiré. Rechargez la page et recommencez."), "error")
        return redirect(url_for("notifications.index"))
    services.mark_read(db.session, current_user, notification_id)
    db.session.commit()
    return redirect(url_for("notifications.index", page=_page_arg()))


@bp.post("/notifications/tout-lu")
@login_required
def mark_all_read() -> Response:
    if not ConfirmForm().validate_on_submit():
        flash(_("Le formulaire a expiré. Rechargez la page et recommencez."), "error")
        return redirect(url_for("notifications.index"))
    count = services.mark_all_read(db.session, current_user)
    db.session.commit()
    flash(_("%(count)s notification(s) marquée(s) comme lue(s).", count=count), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences_page() -> str | Response | tuple[str, int]:
    kinds = services.KINDS
    if request.method == "POST":
        form = preferences_form(kinds, formdata=request.form)
        if form.validate():
            try:
                preferences.save_choices(
                    db.session, current_user, {kind: form[kind].data for kind in kinds}
                )
            except InvalidInput as error:
                db.session.rollback()
                flash(error.message, "error")
            else:
                db.session.commit()
                flash(_("Vos choix sont enregistrés."), "success")
                return redirect(url_for("notifications.preferences_page"))
        return render_template("notifications/preferences.html", form=form, kinds=kinds), 422
    current = preferences.choices_of(db.session, current_user)
    form = preferences_form(kinds, **{kind: choice.code for kind, choice in current.items()})
    return render_template("notifications/preferences.html", form=form, kinds=kinds)


@bp.route("/notifications/horaires", methods=["GET", "POST"])
@login_required
def policy_page() -> str | Response | tuple[str, int]:
    window = preferences.policy_view(db.session, current_user)  # 403 unless coop admin
    form = PolicyForm()
    if request.method == "GET":
        form.timezone.data = window.timezone
        form.days.data = sorted(window.days)
        form.start.data, form.end.data, form.digest.data = window.start, window.end, window.digest
    elif form.validate_on_submit():
        data = preferences.PolicyInput(
            timezone=form.timezone.data,
            days=frozenset(form.days.data or ()),
            start=form.start.data,
            end=form.end.data,
            digest=form.digest.data,
        )
        try:
            preferences.save_policy(db.session, current_user, data)
        except InvalidInput as error:
            db.session.rollback()
            target = error.field if error.field in form else "start"
            form[target].errors = [*form[target].errors, error.message]
        else:
            db.session.commit()
            flash(_("Les heures ouvrées sont enregistrées."), "success")
            return redirect(url_for("notifications.policy_page"))
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/policy.html", form=form, weekdays=WEEKDAYS), status
