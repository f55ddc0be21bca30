"""Relations pages: introductions ("mises en relation") and relay messages.

Assisted use (``views_assisted``) and mobility wishes (``views_mobility``) add their routes to
the same blueprint (``coop_formation.relations.bp``).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.relations import bp, services
from coop_formation.relations import views_assisted as _views_assisted  # noqa: F401
from coop_formation.relations import views_mobility as _views_mobility  # noqa: F401
from coop_formation.relations.forms import (
    NOT_HELD_LABELS,
    AnswerForm,
    CorrespondentMessageForm,
    EmptyForm,
    IntroductionForm,
    MessageForm,
    OutcomeForm,
    choices,
)
from coop_formation.web import acting_member, post_action, submit_form

__all__ = ["bp"]


def _introduction_url(intro_id: int) -> str:
    return url_for("relations.show_introduction", intro_id=intro_id)


def _thread_url(thread_id: int) -> str:
    return url_for("relations.show_thread", thread_id=thread_id)


# Introductions --------------------------------------------------------------------------


@bp.get("/mises-en-relation")
@login_required
def list_introductions() -> str:
    views = services.list_introductions(db.session, acting_member())
    return render_template("relations/introductions.html", views=views)


@bp.route("/mises-en-relation/nouvelle", methods=["GET", "POST"])
@login_required
def new_introduction() -> Any:
    actor = acting_member()
    need_id = request.args.get("need", type=int) or 0
    need = services.load_need_for_introduction(db.session, actor, need_id)
    form = IntroductionForm()
    if request.method == "GET":
        form.offer_id.data = request.args.get("offer", type=int) or 0
    offers = services.candidate_offers(db.session, actor, need)
    form.offer_id.choices = choices([(0, "—")] + [(offer.id, offer.title) for offer in offers])
    return submit_form(
        form,
        lambda: services.introduce(
            db.session, actor, need.id, form.offer_id.data, form.note.data or ""
        ),
        done=lambda intro: (
            _("Les deux personnes ont été sollicitées."),
            _introduction_url(intro.id),
        ),
        template="relations/introduction_new.html",
        need=need,
        author_name=services.need_author_name(need),
    )


@bp.get("/mises-en-relation/<int:intro_id>")
@login_required
def show_introduction(intro_id: int) -> str:
    view = services.view_introduction(db.session, acting_member(), intro_id)
    return render_template(
        "relations/introduction.html",
        v=view,
        answer_form=AnswerForm(formdata=None),
        outcome_form=OutcomeForm(formdata=None),
        reasons=NOT_HELD_LABELS,
    )


@bp.post("/mises-en-relation/<int:intro_id>/reponse")
@login_required
def answer_introduction(intro_id: int) -> WerkzeugResponse:
    actor = acting_member()
    services.view_introduction(db.session, actor, intro_id)  # 404 before reading the form
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Choisissez d'accepter ou de décliner."), "error")
        return redirect(_introduction_url(intro_id))
    return post_action(
        lambda: services.answer_introduction(
            db.session,
            actor,
            intro_id,
            accept=form.decision.data == "accept",
            show_name_to_correspondent=bool(form.show_name_to_correspondent.data),
        ),
        success=_("Votre réponse est enregistrée."),
        next_url=_introduction_url(intro_id),
    )


@bp.post("/mises-en-relation/<int:intro_id>/bilan")
@login_required
def record_outcome(intro_id: int) -> WerkzeugResponse:
    actor = acting_member()
    services.view_introduction(db.session, actor, intro_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(_("Indiquez si l'échange a eu lieu."), "error")
        return redirect(_introduction_url(intro_id))
    return post_action(
        lambda: services.record_outcome(
            db.session,
            actor,
            intro_id,
            held=form.held.data == "yes",
            reason=form.reason.data or None,
            text=form.text.data or "",
        ),
        success=_("Le bilan est enregistré."),
        next_url=_introduction_url(intro_id),
    )


# Relay messages -------------------------------------------------------------------------


@bp.route("/messages", methods=["GET", "POST"])
@login_required
def messages() -> Any:
    actor = acting_member()
    correspondents = services.correspondents_of(db.session, actor)
    form = CorrespondentMessageForm()
    form.correspondent_id.choices = choices(
        [(0, "—")] + [(c.id, c.display_name) for c in correspondents]
    )
    return submit_form(
        form,
        lambda: services.write_to_correspondent(
            db.session, actor, form.correspondent_id.data, form.body.data or ""
        ),
        done=lambda thread: (_("Message envoyé."), _thread_url(thread.id)),
        template="relations/messages.html",
        lines=services.list_threads(db.session, actor),
        correspondents=correspondents,
    )


@bp.route("/besoins/<int:need_id>/ecrire", methods=["GET", "POST"])
@login_required
def write_about_need(need_id: int) -> Any:
    actor = acting_member()
    need = services.load_need_for_writing(db.session, actor, need_id)
    form = MessageForm()
    return submit_form(
        form,
        lambda: services.write_about_need(db.session, actor, need.id, form.body.data or ""),
        done=lambda thread: (_("Message envoyé à l'auteur du besoin."), _thread_url(thread.id)),
        template="relations/write_need.html",
        need=need,
    )


@bp.route("/messages/<int:thread_id>", methods=["GET", "POST"])
@login_required
def show_thread(thread_id: int) -> Any:
    actor = acting_member()
    thread = services.get_thread(db.session, actor, thread_id)
    form = MessageForm()
    return submit_form(
        form,
        lambda: services.reply(db.session, actor, thread.id, form.body.data or ""),
        done=lambda _message: (_("Message envoyé."), _thread_url(thread.id)),
        template="relations/thread.html",
        thread=thread,
        other_name=services.display_name_in(thread, services.other_side(thread, actor).id, actor),
        shown=services.thread_messages(thread, actor),
        reveal_form=EmptyForm(formdata=None),
        hidden_to_other=services.hidden_from_other_side(thread, actor),
    )


@bp.post("/messages/<int:thread_id>/reveler")
@login_required
def reveal_identity(thread_id: int) -> WerkzeugResponse:
    if not EmptyForm().validate_on_submit():
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    actor = acting_member()
    return post_action(
        lambda: services.reveal_identity(db.session, actor, thread_id),
        success=_("Votre nom est désormais visible dans cette conversation."),
        next_url=_thread_url(thread_id),
    )
