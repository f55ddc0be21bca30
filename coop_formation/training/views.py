"""Training pages: sessions, enrolment, attendance and settlement, agendas and feeds, venues.

Each handler parses the request, calls one service, commits once, then sends any e-mail.
"""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation import money
from coop_formation.errors import InvalidInput, LimitExceeded
from coop_formation.exchange.models import Format
from coop_formation.extensions import db
from coop_formation.ledger import services as ledger
from coop_formation.mail import send_mail
from coop_formation.matching import services as matching
from coop_formation.people.models import Member
from coop_formation.recognition import services as recognition
from coop_formation.training import services as training
from coop_formation.training.forms import (
    FORMAT_LABELS,
    LANGUAGE_LABELS,
    ActionForm,
    CancelSessionForm,
    EnrolForm,
    FeedbackForm,
    SessionForm,
)
from coop_formation.training.models import TrainingSession

bp = Blueprint("training", __name__, template_folder="templates")


# Template helpers ------------------------------------------------------------------------


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {"format_labels": FORMAT_LABELS, "language_labels": LANGUAGE_LABELS}


def _amount(cluster_id: int):  # type: ignore[no-untyped-def]
    policy = ledger.current_policy(db.session, cluster_id)
    return lambda value: money.format_amount(value, policy.minor_per_unit, policy.unit_code)


def _actor() -> Member:
    return current_user._get_current_object()  # type: ignore[attr-defined, no-any-return]


def _load(session_id: int) -> TrainingSession:
    return training.get_session(db.session, actor=_actor(), session_id=session_id)


def _notify(members: list[Member], subject: str, body: str) -> None:
    """Sent after the commit, so that a rolled-back action never sends mail."""
    for member in members:
        send_mail(member.email, subject, body)


def _session_url(training_session: TrainingSession) -> str:
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return base + url_for("training.session_detail", session_id=training_session.id)


# Session pages ---------------------------------------------------------------------------


@bp.get("/sessions/<int:session_id>")
@login_required
def session_detail(session_id: int) -> str:
    training_session = _load(session_id)
    page = training.session_page(db.session, actor=_actor(), training_session=training_session)
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


def _session_form(need: bool) -> SessionForm:
    actor = _actor()
    form = SessionForm()
    venues = training.list_venues(db.session, actor=actor)
    form.venue_id.choices = [(0, _("À distance (pas de lieu)"))] + [
        (v.id, f"{v.name} ({_('%(n)s places', n=v.capacity)})") for v in venues
    ]
    if need:
        form.trainer_id.choices = [(0, _("Choisir…"))] + [
            (m.id, f"{m.display_name} — {m.company.name if m.company else ''}")
            for m in training.possible_trainers(db.session, actor=actor)
        ]
    else:
        del form.trainer_id
    return form


@bp.route("/sessions/nouvelle", methods=["GET", "POST"])
@login_required
def new_session() -> str | WerkzeugResponse:
    actor = _actor()
    offer_id = request.args.get("offre", type=int)
    need_id = request.args.get("besoin", type=int)
    pool_id = request.args.get("pool", type=int)
    if sum(x is not None for x in (offer_id, need_id, pool_id)) != 1:
        abort(404)
    offer = training.get_offer(db.session, actor=actor, offer_id=offer_id) if offer_id else None
    need = training.get_need(db.session, actor=actor, need_id=need_id) if need_id else None
    pool = matching.pool_for_session(db.session, actor, pool_id) if pool_id else None
    form = _session_form(need=need is not None or pool is not None)
    if request.method == "GET" and offer is not None:
        form.title.data = offer.title
        form.description.data = offer.description
        form.format.data = offer.format.value
        form.capacity.data = offer.capacity
        if offer.venue_id:
            form.venue_id.data = offer.venue_id
    elif request.method == "GET" and need is not None:
        form.title.data = need.title
        form.format.data = need.format.value
    elif request.method == "GET" and pool is not None:
        form.title.data = pool.title
    status = 200
    general_errors: list[str] = []
    if form.validate_on_submit():
        data = training.SessionInput(
            title=form.title.data or "",
            description=form.description.data or "",
            format=Format(form.format.data),
            language=form.language.data or "fr",
            capacity=int(form.capacity.data or 0),
            venue_id=form.venue_id.data or None,
            remote_url=form.remote_url.data or None,
            on_work_time=form.time_kind.data != "personal",
            trainer_id=(form.trainer_id.data or None) if offer is None else None,
            slots=[
                training.SlotInput(training.paris_to_utc(a), training.paris_to_utc(b))
                for a, b in form.filled_slots()
            ],
        )
        try:
            created = training.create_session(
                db.session,
                actor=actor,
                data=data,
                offer=offer,
                need=need,
                pool_id=pool.id if pool is not None else None,
            )
            if pool is not None:
                matching.mark_pool_scheduled(db.session, actor, pool)
        except InvalidInput as error:
            db.session.rollback()
            target = getattr(form, error.field or "", None)
            if target is not None and error.field != "slots":
                target.errors = [*target.errors, error.message]
            else:
                general_errors.append(error.message)
            status = 422
        else:
            db.session.commit()
            flash(
                _("La session est prévue. Les membres de la grappe peuvent s'y inscrire."),
                "success",
            )
            return redirect(url_for("training.session_detail", session_id=created.id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "training/session_form.html",
        form=form,
        offer=offer,
        need=need,
        pool=pool,
        general_errors=general_errors,
    ), status


@bp.post("/sessions/<int:session_id>/enrol")
@login_required
def enrol(session_id: int) -> WerkzeugResponse:
    training_session = _load(session_id)
    form = EnrolForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("Le formulaire est incomplet. Rechargez la page et recommencez."))
    try:
        enrollment = training.enrol(
            db.session,
            actor=_actor(),
            training_session=training_session,
            request_key=form.request_key.data,
        )
    except (LimitExceeded, InvalidInput) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("training.session_detail", session_id=session_id))
    waitlisted = enrollment.position is not None
    db.session.commit()
    if waitlisted:
        flash(
            _(
                "La session est complète : vous êtes sur la liste d'attente. "
                "Si une place se libère, elle vous sera attribuée automatiquement."
            ),
            "info",
        )
    else:
        flash(
            _("Vous êtes inscrit. Le prix est réservé sur votre compte jusqu'à la session."),
            "success",
        )
    return redirect(url_for("training.session_detail", session_id=session_id))


def _send_seat_notices(training_session: TrainingSession, changes: training.SeatChanges) -> None:
    # Promotions are notified by the notifications room (working hours, digest choice);
    # the "balance too low" notice has no notification kind yet and is e-mailed here.
    url = _session_url(training_session)
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
    training_session = _load(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        changes = training.cancel_enrollment(
            db.session, actor=_actor(), training_session=training_session
        )
    except InvalidInput as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("training.session_detail", session_id=session_id))
    db.session.commit()
    _send_seat_notices(training_session, changes)
    flash(_("Votre inscription est annulée et le montant réservé vous est rendu."), "success")
    return redirect(url_for("training.session_detail", session_id=session_id))


@bp.post("/sessions/<int:session_id>/presences")
@login_required
def take_attendance(session_id: int) -> WerkzeugResponse:
    training_session = _load(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    raw = request.form.getlist("attended")
    if not all(value.isdigit() for value in raw):
        raise InvalidInput(_("Liste de présence illisible. Rechargez la page et recommencez."))
    try:
        training.record_attendance(
            db.session,
            actor=_actor(),
            training_session=training_session,
            attended_member_ids={int(value) for value in raw},
        )
    except InvalidInput as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("training.session_detail", session_id=session_id))
    db.session.commit()
    flash(_("Présences enregistrées. Vous pouvez maintenant clôturer la session."), "success")
    return redirect(url_for("training.session_detail", session_id=session_id))


@bp.post("/sessions/<int:session_id>/cloture")
@login_required
def settle(session_id: int) -> WerkzeugResponse:
    training_session = _load(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = training.settle_session(
            db.session, actor=_actor(), training_session=training_session
        )
        # Recognition is part of the same action: badges for attendees and the trainer.
        recognition.award_for_settled_session(db.session, training_session=training_session)
    except (InvalidInput, LimitExceeded) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("training.session_detail", session_id=session_id))
    db.session.commit()
    if result.already_settled:
        flash(_("Cette session était déjà clôturée : rien n'a changé."), "info")
    else:
        flash(
            _(
                "Session clôturée : les participations sont réglées "
                "et le temps d'animation crédité."
            ),
            "success",
        )
    return redirect(url_for("training.session_detail", session_id=session_id))


@bp.post("/sessions/<int:session_id>/annulation")
@login_required
def cancel_session(session_id: int) -> WerkzeugResponse:
    training_session = _load(session_id)
    form = CancelSessionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        training.cancel_session(
            db.session,
            actor=_actor(),
            training_session=training_session,
            reason=form.reason.data or "",
        )
    except InvalidInput as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("training.session_detail", session_id=session_id))
    db.session.commit()  # participants are notified by the notifications room
    flash(_("La session est annulée ; chaque montant réservé est rendu."), "success")
    return redirect(url_for("training.session_detail", session_id=session_id))


@bp.post("/sessions/<int:session_id>/retour")
@login_required
def leave_feedback(session_id: int) -> WerkzeugResponse:
    training_session = _load(session_id)
    form = FeedbackForm()
    if not form.validate_on_submit():
        flash(_("Écrivez votre retour (5 000 caractères au plus)."), "error")
        return redirect(url_for("training.session_detail", session_id=session_id))
    training.leave_feedback(
        db.session, actor=_actor(), training_session=training_session, text=form.text.data
    )
    db.session.commit()
    flash(
        _("Merci : votre retour est transmis à la personne qui a animé, et à elle seule."),
        "success",
    )
    return redirect(url_for("training.session_detail", session_id=session_id))


# Agenda, feeds, trainer time and venue pages add their routes to the same blueprint.
from coop_formation.training import views_agenda  # noqa: E402,F401
