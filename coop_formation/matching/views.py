"""Matching pages: suggestions for a need, consent, pools, calls to the cluster.

Each handler parses the request, calls one service, commits once, then renders or
redirects; the services decide who may do what (404/403 raised there).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coop_formation.errors import Conflict, InvalidInput
from coop_formation.extensions import db
from coop_formation.matching import services
from coop_formation.matching.forms import ConfirmForm, PoolForm, PreferenceForm

bp = Blueprint("matching", __name__, template_folder="templates")


@bp.get("/needs/<int:need_id>/suggestions")
@login_required
def need_suggestions(need_id: int) -> str:
    need = services.get_need_for_suggestions(db.session, current_user, need_id)
    suggestions = services.suggestions_for_need(db.session, current_user, need)
    state = services.call_state(db.session, current_user, need)
    return render_template(
        "matching/suggestions.html",
        need=need,
        suggestions=suggestions,
        state=state,
        form=ConfirmForm(),
    )


@bp.post("/needs/<int:need_id>/appel")
@login_required
def open_call(need_id: int) -> Response:
    services.get_need_for_call(db.session, current_user, need_id)
    if not ConfirmForm().validate_on_submit():
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    try:
        call = services.open_call(db.session, current_user, need_id)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("matching.need_suggestions", need_id=need_id))
    db.session.commit()
    flash(
        _(
            "Le besoin est maintenant visible par toute la grappe. "
            "%(n)s personne(s) qui peuvent aider en ont été informées.",
            n=call.notified,
        ),
        "success",
    )
    return redirect(url_for("matching.need_suggestions", need_id=need_id))


@bp.route("/me/suggestions", methods=["GET", "POST"])
@login_required
def preferences() -> str | Response:
    pref = services.preference_for(db.session, current_user)
    form = PreferenceForm(obj=pref)
    status = 200
    if form.validate_on_submit():
        services.set_preference(
            db.session,
            current_user,
            suggest_me=bool(form.suggest_me.data),
            accept_calls=bool(form.accept_calls.data),
            availability=form.availability.data or "",
        )
        db.session.commit()
        flash(_("Vos choix sont enregistrés."), "success")
        return redirect(url_for("matching.preferences"))
    if form.errors:
        status = 422
    return render_template("matching/preferences.html", form=form), status  # type: ignore[return-value]


@bp.route("/mutualisation", methods=["GET", "POST"])
@login_required
def pools() -> str | Response:
    groups = services.pool_candidates(db.session, current_user)
    form = PoolForm()
    status = 200
    error = None
    if form.validate_on_submit():
        try:
            pool = services.create_pool(
                db.session, current_user, form.title.data or "", list(form.need_ids.data or [])
            )
        except InvalidInput as exc:
            db.session.rollback()
            error, status = exc.message, 422
        else:
            db.session.commit()
            flash(
                _("La mutualisation est créée ; les auteurs des besoins sont prévenus."), "success"
            )
            return redirect(url_for("matching.pool_detail", pool_id=pool.id))
    elif form.errors:
        status = 422
    return render_template(
        "matching/pools.html",
        groups=groups,
        pools=services.list_pools(db.session, current_user),
        form=form,
        error=error,
    ), status  # type: ignore[return-value]


@bp.get("/mutualisation/<int:pool_id>")
@login_required
def pool_detail(pool_id: int) -> str:
    page = services.pool_page(db.session, current_user, pool_id)
    return render_template("matching/pool.html", page=page)
