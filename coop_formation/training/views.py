"""Training pages: sessions, enrolment, attendance and settlement.

Agendas, feeds, trainer time and venues are in :mod:`.views_agenda`, on the same blueprint
(``coop_formation.training.bp``). Each handler parses the request and runs one service
as one transaction (:mod:`coop_formation.web`), then sends any e-mail.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from coop_formation import money
from coop_formation.errors import InvalidInput
from coop_formation.exchange.models import Format, Need, Offer
from coop_formation.extensions import db
from coop_formation.ledger import services as ledger
from coop_formation.mail import send_mail
from coop_formation.people.models import Member
from coop_formation.training import bp
from coop_formation.training import services as training
from coop_formation.training import views_agenda as _views_agenda  # noqa: F401  (its routes)
from coop_formation.training.forms import (
    FORMAT_LABELS,
    LANGUAGE_LABELS,
    ActionForm,
    CancelSessionForm,
    EnrolForm,
    FeedbackForm,
    SessionForm,
)
from coop_formation.training.models import Enrollment, TrainingSession
from coop_formation.training.origins import SessionOrigin, registered_origins
from coop_formation.training.view_helpers import load_session, session_url
from coop_formation.web import acting_member, perform, post_action, submit_form

__all__ = ["bp"]


# Template helpers ------------------------------------------------------------------------


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {"format_labels": FORMAT_LABELS, "language_labels": LANGUAGE_LABELS}


def _amount(cluster_id: int) -> Callable[[int], str]:
    policy = ledger.current_policy(db.session, cluster_id)
    return lambda value: money.format_amount(value, policy.minor_per_unit, policy.unit_code)


def _notify(members: list[Member], subject: str, body: str) -> None:
    """Sent after the commit, so that a rolled-back action never sends mail."""
    for member in members:
        send_mail(member.email, subject, body)


def _info(message: str) -> str:
    """Flash ``message`` as information rather than success (``post_action`` adds nothing)."""
    flash(message, "info")
    return ""


def _detail(session_id: int) -> str:
    return url_for("training.session_detail", session_id=session_id)


# Session pages ---------------------------------------------------------------------------


@bp.get("/sessions/<int:session_id>")
@login_required
def session_detail(session_id: int) -> str:
    training_session = load_session(session_id)
    page = training.session_page(
        db.session, actor=acting_member(), training_session=training_session
    )
    return render_template(
        "training/session.html",
        page=page,
        s=training_session,
        enrol_form=EnrolForm(request_key=secrets.token_urlsafe(24)),
        action_form=ActionForm(),
        cancel_form=CancelSessionForm(),
        feedback_form=FeedbackForm(),
        amount=_amount(training_session.cluster_id),
    )


def _session_form(actor: Member, *, choose_trainer: bool) -> SessionForm:
    form = SessionForm()
    venues = training.list_venues(db.session, actor=actor)
    form.venue_id.choices = [SelectChoice(0, _("À distance (pas de lieu)"))] + [
        SelectChoice(v.id, f"{v.name} ({_('%(n)s places', n=v.capacity)})") for v in venues
    ]
    if choose_trainer:
        form.trainer_id.choices = [SelectChoice(0, _("Choisir…"))] + [
            SelectChoice(m.id, f"{m.display_name} — {m.company.name if m.company else ''}")
            for m in training.possible_trainers(db.session, actor=actor)
        ]
    else:
        del form.trainer_id
    return form


def _prefill(form: SessionForm, offer: Offer | None, need: Need | None, title: str | None) -> None:
    if offer is not None:
        form.title.data = offer.title
        form.description.data = offer.description
        form.format.data = offer.format.value
        form.capacity.data = offer.capacity
        if offer.venue_id:
            form.venue_id.data = offer.venue_id
    elif need is not None:
        form.title.data = need.title
        form.format.data = need.format.value
    elif title is not None:
        form.title.data = title


def _session_input(form: SessionForm, *, with_trainer: bool) -> training.SessionInput:
    return training.SessionInput(
        title=form.title.data or "",
        description=form.description.data or "",
        format=Format(form.format.data),
        language=form.language.data or "fr",
        capacity=int(form.capacity.data or 0),
        venue_id=form.venue_id.data or None,
        remote_url=form.remote_url.data or None,
        on_work_time=form.time_kind.data != "personal",
        trainer_id=(form.trainer_id.data or None) if with_trainer else None,
        slots=[
            training.SlotInput(training.paris_to_utc(a), training.paris_to_utc(b))
            for a, b in form.filled_slots()
        ],
    )


def _named_origins() -> list[tuple[SessionOrigin, int]]:
    """The registered origins named in the query string, with their (integer) id."""
    named = ((origin, request.args.get(origin.arg, type=int)) for origin in registered_origins())
    return [(origin, value) for origin, value in named if value is not None]


@bp.route("/sessions/nouvelle", methods=["GET", "POST"])
@login_required
def new_session() -> Any:
    """Plan a session from an offer (``?offre=``), a need (``?besoin=``) or a registered origin."""
    actor = acting_member()
    offer_id = request.args.get("offre", type=int)
    need_id = request.args.get("besoin", type=int)
    named = _named_origins()
    if sum(x is not None for x in (offer_id, need_id)) + len(named) != 1:
        abort(404)
    offer = training.get_offer(db.session, actor=actor, offer_id=offer_id) if offer_id else None
    need = training.get_need(db.session, actor=actor, need_id=need_id) if need_id else None
    origin: SessionOrigin | None = None
    source: Any = None
    if named and named[0][1]:
        origin, source_id = named[0]
        source = origin.load(db.session, actor, source_id)
    form = _session_form(actor, choose_trainer=need is not None or source is not None)
    if request.method == "GET":
        _prefill(form, offer, need, origin.title(source) if origin is not None else None)

    def plan() -> TrainingSession:
        data = _session_input(form, with_trainer=offer is None)
        if origin is not None:
            return origin.plan(db.session, actor, source, data)
        return training.create_session(db.session, actor=actor, data=data, offer=offer, need=need)

    return submit_form(
        form,
        plan,
        done=lambda created: (
            _("La session est prévue. Les membres de la grappe peuvent s'y inscrire."),
            _detail(created.id),
        ),
        template="training/session_form.html",
        offer=offer,
        need=need,
        origin_lead=origin.lead(source) if origin is not None else None,
    )


@bp.post("/sessions/<int:session_id>/enrol")
@login_required
def enrol(session_id: int) -> WerkzeugResponse:
    training_session = load_session(session_id)
    form = EnrolForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("Le formulaire est incomplet. Rechargez la page et recommencez."))

    def enrolled(enrollment: Enrollment) -> str:
        if enrollment.position is not None:
            return _info(
                _(
                    "La session est complète : vous êtes sur la liste d'attente. "
                    "Si une place se libère, elle vous sera attribuée automatiquement."
                )
            )
        return _("Vous êtes inscrit. Le prix est réservé sur votre compte jusqu'à la session.")

    return post_action(
        lambda: training.enrol(
            db.session,
            actor=acting_member(),
            training_session=training_session,
            request_key=form.request_key.data,
        ),
        success=enrolled,
        next_url=_detail(session_id),
    )


def _send_seat_notices(training_session: TrainingSession, changes: training.SeatChanges) -> None:
    # Promotions are notified by the notifications room (working hours, digest choice);
    # the "balance too low" notice has no notification kind yet and is e-mailed here.
    url = session_url(training_session)
    _notify(
        changes.skipped,
        _("Place libérée, solde insuffisant : %(title)s", title=training_session.title),
        _(
            "Une place s'est libérée mais votre solde disponible "
            "ne permet pas de réserver le prix. "
            "Vous restez sur la liste d'attente : %(url)s",
            url=url,
        ),
    )


@bp.post("/sessions/<int:session_id>/desinscription")
@login_required
def cancel_enrollment(session_id: int) -> WerkzeugResponse:
    training_session = load_session(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)

    def cancelled(changes: training.SeatChanges) -> str:
        _send_seat_notices(training_session, changes)  # after the commit
        return _("Votre inscription est annulée et le montant réservé vous est rendu.")

    return post_action(
        lambda: training.cancel_enrollment(
            db.session, actor=acting_member(), training_session=training_session
        ),
        success=cancelled,
        next_url=_detail(session_id),
    )


@bp.post("/sessions/<int:session_id>/presences")
@login_required
def take_attendance(session_id: int) -> WerkzeugResponse:
    training_session = load_session(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    raw = request.form.getlist("attended")
    if not all(value.isdigit() for value in raw):
        raise InvalidInput(_("Liste de présence illisible. Rechargez la page et recommencez."))
    training.refuse_closing_early(acting_member(), training_session)
    return post_action(
        lambda: training.record_attendance(
            db.session,
            actor=acting_member(),
            training_session=training_session,
            attended_member_ids={int(value) for value in raw},
        ),
        success=_("Présences enregistrées. Vous pouvez maintenant clôturer la session."),
        next_url=_detail(session_id),
    )


@bp.post("/sessions/<int:session_id>/cloture")
@login_required
def settle(session_id: int) -> WerkzeugResponse:
    """Settle the session; recognition awards its badges in the same transaction (event)."""
    training_session = load_session(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)

    training.refuse_closing_early(acting_member(), training_session)

    def settled(result: training.SettlementResult) -> str:
        if result.already_settled:
            return _info(_("Cette session était déjà clôturée : rien n'a changé."))
        return _(
            "Session clôturée : les participations sont réglées et le temps d'animation crédité."
        )

    return post_action(
        lambda: training.settle_session(
            db.session, actor=acting_member(), training_session=training_session
        ),
        success=settled,
        next_url=_detail(session_id),
    )


@bp.post("/sessions/<int:session_id>/invitation")
@login_required
def answer_invitation(session_id: int) -> WerkzeugResponse:
    """The named trainer accepts or declines; only they may (checked by the service)."""
    training_session = load_session(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    answer = request.form.get("answer")
    if answer not in ("accept", "decline"):
        raise InvalidInput(_("Choisissez d'accepter ou de refuser."))
    accept = answer == "accept"
    return post_action(
        lambda: training.answer_invitation(
            db.session, actor=acting_member(), training_session=training_session, accept=accept
        ),
        success=_("Merci : la session est ouverte aux inscriptions.")
        if accept
        else _("Refus enregistré : la personne qui organise est prévenue."),
        next_url=_detail(session_id),
    )


@bp.post("/sessions/<int:session_id>/annulation")
@login_required
def cancel_session(session_id: int) -> WerkzeugResponse:
    training_session = load_session(session_id)
    form = CancelSessionForm()
    if not form.validate_on_submit():
        abort(400)
    return post_action(  # participants are notified by the notifications room
        lambda: training.cancel_session(
            db.session,
            actor=acting_member(),
            training_session=training_session,
            reason=form.reason.data or "",
        ),
        success=_("La session est annulée ; chaque montant réservé est rendu."),
        next_url=_detail(session_id),
    )


@bp.post("/sessions/<int:session_id>/retour")
@login_required
def leave_feedback(session_id: int) -> WerkzeugResponse:
    training_session = load_session(session_id)
    form = FeedbackForm()
    if not form.validate_on_submit():
        flash(_("Écrivez votre retour (5 000 caractères au plus)."), "error")
        return redirect(_detail(session_id))
    perform(
        lambda: training.leave_feedback(
            db.session,
            actor=acting_member(),
            training_session=training_session,
            text=form.text.data,
        )
    )
    flash(
        _("Merci : votre retour est transmis à la personne qui a animé, et à elle seule."),
        "success",
    )
    return redirect(_detail(session_id))
