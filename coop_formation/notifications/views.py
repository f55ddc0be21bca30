"""Notification pages: the member's list (mark read), their preferences, the cluster policy.

Each handler parses the request and hands one service call to the web layer, which commits
once, then renders or redirects.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from coop_formation.extensions import db
from coop_formation.notifications import bp, preferences, services
from coop_formation.notifications.forms import WEEKDAYS, ConfirmForm, PolicyForm, preferences_form
from coop_formation.notifications.queue import init_inline_delivery
from coop_formation.web import acting_member, acting_member_or_none, post_action, submit_form

__all__ = ["bp"]

bp.record_once(lambda state: init_inline_delivery(state.app))


@bp.app_context_processor
def notification_helpers() -> dict[str, Any]:
    """``{{ unread_notifications() }}`` in any template: the signed-in member's unread count
    (one query, only when the template calls it)."""
    return {
        "unread_notifications": lambda: services.unread_count(acting_member_or_none(), db.session)
    }


def _page_arg() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def _expired() -> Response:
    flash(_("Le formulaire a expiré. Rechargez la page et recommencez."), "error")
    return redirect(url_for("notifications.index"))


@bp.get("/notifications")
@login_required
def index() -> str:
    actor = acting_member()
    page = services.list_notifications(
        db.session,
        actor,
        page=_page_arg(),
        per_page=int(current_app.config.get("PAGE_SIZE", 20)),
    )
    return render_template(
        "notifications/list.html",
        page=page,
        unread=services.unread_count(actor, db.session),
        form=ConfirmForm(),
        kind_labels=preferences.KIND_LABELS,
    )


@bp.post("/notifications/<int:notification_id>/lue")
@login_required
def mark_read(notification_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        return _expired()
    actor = acting_member()
    return post_action(
        lambda: services.mark_read(db.session, actor, notification_id),
        success=None,
        next_url=url_for("notifications.index", page=_page_arg()),
    )


@bp.post("/notifications/tout-lu")
@login_required
def mark_all_read() -> Response:
    if not ConfirmForm().validate_on_submit():
        return _expired()
    actor = acting_member()
    return post_action(
        lambda: services.mark_all_read(db.session, actor),
        success=lambda count: _("%(count)s notification(s) marquée(s) comme lue(s).", count=count),
        next_url=url_for("notifications.index"),
    )


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences_page() -> Any:
    actor = acting_member()
    kinds = services.KINDS
    if request.method == "POST":
        form = preferences_form(kinds, formdata=request.form)
    else:
        current = preferences.choices_of(db.session, actor)
        form = preferences_form(kinds, **{kind: choice.code for kind, choice in current.items()})
    return submit_form(
        form,
        lambda: preferences.save_choices(
            db.session, actor, {kind: form[kind].data for kind in kinds}
        ),
        done=lambda _saved: (
            _("Vos choix sont enregistrés."),
            url_for("notifications.preferences_page"),
        ),
        template="notifications/preferences.html",
        kinds=kinds,
    )


@bp.route("/notifications/horaires", methods=["GET", "POST"])
@login_required
def policy_page() -> Any:
    actor = acting_member()
    window = preferences.policy_view(db.session, actor)  # 403 unless coop admin
    form = PolicyForm()
    if request.method == "GET":
        form.timezone.data = window.timezone
        form.days.data = sorted(window.days)
        form.start.data, form.end.data, form.digest.data = window.start, window.end, window.digest

    def save() -> Any:
        data = preferences.PolicyInput(
            timezone=form.timezone.data,
            days=frozenset(form.days.data or ()),
            start=form.start.data,
            end=form.end.data,
            digest=form.digest.data,
        )
        return preferences.save_policy(db.session, actor, data)

    return submit_form(
        form,
        save,
        done=lambda _policy: (
            _("Les heures ouvrées sont enregistrées."),
            url_for("notifications.policy_page"),
        ),
        template="notifications/policy.html",
        weekdays=WEEKDAYS,
    )
