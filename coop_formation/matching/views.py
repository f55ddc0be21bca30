"""Matching pages: suggestions for a need, consent, pools, calls to the cluster.

Each handler parses the request and runs one service as one transaction
(:mod:`coop_formation.web`); the services decide who may do what (404/403 raised there).
A pool also becomes a session through training's new-session page
(``/sessions/nouvelle?pool=<id>``): the "pool" origin is registered there below.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.matching import bp, services
from coop_formation.matching.forms import ConfirmForm, PoolForm, PreferenceForm
from coop_formation.matching.models import Pool
from coop_formation.training.origins import SessionOrigin, register_origin
from coop_formation.web import acting_member, post_action, submit_form

__all__ = ["bp"]


def _pool_lead(pool: Pool) -> str:
    return _("Session commune pour les besoins mutualisés « %(title)s ».", title=pool.title)


register_origin(
    SessionOrigin(
        arg="pool",
        load=services.pool_for_session,
        plan=services.plan_pool_session,
        title=lambda pool: pool.title,
        lead=_pool_lead,
    )
)


@bp.get("/needs/<int:need_id>/suggestions")
@login_required
def need_suggestions(need_id: int) -> str:
    actor = acting_member()
    need = services.get_need_for_suggestions(db.session, actor, need_id)
    suggestions = services.suggestions_for_need(db.session, actor, need)
    state = services.call_state(db.session, actor, need)
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
    actor = acting_member()
    services.get_need_for_call(db.session, actor, need_id)
    if not ConfirmForm().validate_on_submit():
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    return post_action(
        lambda: services.open_call(db.session, actor, need_id),
        success=lambda call: _(
            "Le besoin est maintenant visible par toute la grappe. "
            "%(n)s personne(s) qui peuvent aider en ont été informées.",
            n=call.notified,
        ),
        next_url=url_for("matching.need_suggestions", need_id=need_id),
    )


@bp.route("/me/suggestions", methods=["GET", "POST"])
@login_required
def preferences() -> Any:
    actor = acting_member()
    form = PreferenceForm(obj=services.preference_for(db.session, actor))
    return submit_form(
        form,
        lambda: services.set_preference(
            db.session,
            actor,
            suggest_me=bool(form.suggest_me.data),
            accept_calls=bool(form.accept_calls.data),
            availability=form.availability.data or "",
        ),
        done=lambda _pref: (_("Vos choix sont enregistrés."), url_for("matching.preferences")),
        template="matching/preferences.html",
    )


@bp.route("/mutualisation", methods=["GET", "POST"])
@login_required
def pools() -> Any:
    actor = acting_member()
    groups = services.pool_candidates(db.session, actor)
    form = PoolForm()
    return submit_form(
        form,
        lambda: services.create_pool(
            db.session, actor, form.title.data or "", list(form.need_ids.data or [])
        ),
        done=lambda pool: (
            _("La mutualisation est créée ; les auteurs des besoins sont prévenus."),
            url_for("matching.pool_detail", pool_id=pool.id),
        ),
        template="matching/pools.html",
        groups=groups,
        pools=services.list_pools(db.session, actor),
    )


@bp.get("/mutualisation/<int:pool_id>")
@login_required
def pool_detail(pool_id: int) -> str:
    page = services.pool_page(db.session, acting_member(), pool_id)
    return render_template("matching/pool.html", page=page)
