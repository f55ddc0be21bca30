"""Relations pages: introductions ("mises en relation") and relay messages.

Assisted use (``views_assisted``) and mobility wishes (``views_mobility``) add their routes to
the same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.relations import services
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

bp = Blueprint("relations", __name__, template_folder="templates")

ResponseLike = str | WerkzeugResponse | tuple[str, int]


def _actor():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


# Introductions --------------------------------------------------------------------------


@bp.get("/mises-en-relation")
@login_required
def list_introductions() -> str:
    views = services.list_introductions(db.session, _actor())
    return render_template("relations/introductions.html", views=views)


@bp.route("/mises-en-relation/nouvelle", methods=["GET", "POST"])
@login_required
def new_introduction() -> ResponseLike:
    actor = _actor()
    need_id = request.args.get("need", type=int) or 0
    need = services.load_need_for_introduction(db.session, actor, need_id)
    form = IntroductionForm()
    if request.method == "GET":
        form.offer_id.data = request.args.get("offer", type=int) or 0
    offers = services.candidate_offers(db.session, actor, need)
    form.offer_id.choices = choices([(0, "—")] + [(offer.id, offer.title) for offer in offers])
    error = None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                intro = services.introduce(
                    db.session, actor, need.id, form.offer_id.data, form.note.data or ""
                )
            except InvalidInput as exc:
                db.session.rollback()
                error = exc.message
            else:
                db.session.commit()
                flash(_("Les deux personnes ont été sollicitées."), "success")
                return redirect(url_for("relations.show_introduction", intro_id=intro.id))
        else:
            error = _("Choisissez une offre de la liste.")
    status = 422 if error else 200
    return render_template(
        "relations/introduction_new.html", need=need, form=form, error=error
    ), status


@bp.get("/mises-en-relation/<int:intro_id>")
@login_required
def show_introduction(intro_id: int) -> str:
    view = services.view_introduction(db.session, _actor(), intro_id)
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
    actor = _actor()
    services.view_introduction(db.session, actor, intro_id)  # 404 before reading the form
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Choisissez d'accepter ou de décliner."), "error")
        return redirect(url_for("relations.show_introduction", intro_id=intro_id))
    services.answer_introduction(
        db.session,
        actor,
        intro_id,
        accept=form.decision.data == "accept",
        show_name_to_correspondent=bool(form.show_name_to_correspondent.data),
    )
    db.session.commit()
    flash(_("Votre réponse est enregistrée."), "success")
    return redirect(url_for("relations.show_introduction", intro_id=intro_id))


@bp.post("/mises-en-relation/<int:intro_id>/bilan")
@login_required
def record_outcome(intro_id: int) -> WerkzeugResponse:
    actor = _actor()
    services.view_introduction(db.session, actor, intro_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(_("Indiquez si l'échange a eu lieu."), "error")
        return redirect(url_for("relations.show_introduction", intro_id=intro_id))
    try:
        services.record_outcome(
            db.session,
            actor,
            intro_id,
            held=form.held.data == "yes",
            reason=form.reason.data or None,
            text=form.text.data or "",
        )
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("relations.show_introduction", intro_id=intro_id))
    db.session.commit()
    flash(_("Le bilan est enregistré."), "success")
    return redirect(url_for("relations.show_introduction", intro_id=intro_id))


# Relay messages -------------------------------------------------------------------------


@bp.route("/messages", methods=["GET", "POST"])
@login_required
def messages() -> ResponseLike:
    actor = _actor()
    correspondents = services.correspondents_of(db.session, actor)
    form = CorrespondentMessageForm()
    form.correspondent_id.choices = choices(
        [(0, "—")] + [(c.id, c.display_name) for c in correspondents]
    )
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise InvalidInput(_("Choisissez un correspondant et écrivez un message."))
            thread = services.write_to_correspondent(
                db.session, actor, form.correspondent_id.data, form.body.data or ""
            )
        except InvalidInput as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Message envoyé."), "success")
            return redirect(url_for("relations.show_thread", thread_id=thread.id))
    lines = services.list_threads(db.session, actor)
    return render_template(
        "relations/messages.html",
        lines=lines,
        form=form,
        correspondents=correspondents,
        error=error,
    ), (422 if error else 200)


@bp.route("/besoins/<int:need_id>/ecrire", methods=["GET", "POST"])
@login_required
def write_about_need(need_id: int) -> ResponseLike:
    actor = _actor()
    need = services.load_need_for_writing(db.session, actor, need_id)
    form = MessageForm()
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise InvalidInput(_("Écrivez un message."))
            thread = services.write_about_need(db.session, actor, need.id, form.body.data or "")
        except InvalidInput as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Message envoyé à l'auteur du besoin."), "success")
            return redirect(url_for("relations.show_thread", thread_id=thread.id))
    return render_template("relations/write_need.html", need=need, form=form, error=error), (
        422 if error else 200
    )


@bp.route("/messages/<int:thread_id>", methods=["GET", "POST"])
@login_required
def show_thread(thread_id: int) -> ResponseLike:
    actor = _actor()
    thread = services.get_thread(db.session, actor, thread_id)
    form = MessageForm()
    error = None
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise InvalidInput(_("Écrivez un message."))
            services.reply(db.session, actor, thread.id, form.body.data or "")
        except InvalidInput as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Message envoyé."), "success")
            return redirect(url_for("relations.show_thread", thread_id=thread.id))
    from coop_formation.relations import permissions as perms

    can_reveal = (
        thread.need is not None
        and thread.need.anonymous
        and not thread.recipient_revealed
        and actor.id == thread.recipient_id
    )
    other_id = thread.recipient_id if actor.id == thread.starter_id else thread.starter_id
    return render_template(
        "relations/thread.html",
        thread=thread,
        other_name=services.display_name_in(thread, other_id, actor),
        shown=services.thread_messages(thread, actor),
        form=form,
        reveal_form=EmptyForm(formdata=None),
        can_reveal=can_reveal,
        hidden_to_other=perms.recipient_hidden_from(thread.starter, thread)
        if actor.id == thread.recipient_id
        else False,
        error=error,
    ), (422 if error else 200)


@bp.post("/messages/<int:thread_id>/reveler")
@login_required
def reveal_identity(thread_id: int) -> WerkzeugResponse:
    form = EmptyForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    services.reveal_identity(db.session, _actor(), thread_id)
    db.session.commit()
    flash(_("Votre nom est désormais visible dans cette conversation."), "success")
    return redirect(url_for("relations.show_thread", thread_id=thread_id))


from coop_formation.relations import views_assisted, views_mobility  # noqa: E402,F401
