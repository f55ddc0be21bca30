"""Currency pages: wallet, sending credits, policy (coop admin), contributions and clearing.

Each view parses the request, calls one service, commits once, renders or redirects.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.errors import Conflict, InvalidInput, LimitExceeded
from coop_formation.extensions import db
from coop_formation.ledger import services
from coop_formation.ledger.forms import ClearingForm, ContributionForm, PolicyForm, SendCreditsForm
from coop_formation.money import format_plain, hours_text

bp = Blueprint("ledger", __name__, template_folder="templates")

KIND_LABELS = {
    "session_fee": _l("Session de formation"),
    "teaching": _l("Formation donnée"),
    "welcome": _l("Allocation de bienvenue"),
    "direct": _l("Transfert entre membres"),
    "allocation": _l("Attribution de points"),
    "contribution": _l("Points de formation"),
    "reversal": _l("Correction"),
}
STATE_LABELS = {
    "pending": _l("réservé"),
    "posted": _l("effectué"),
    "voided": _l("réservation libérée"),
}


def _reference_label(reference_type: str | None, reference_id: int | None) -> str:
    if reference_type == "training_session" and reference_id is not None:
        return _("Session n° %(id)s", id=reference_id)
    return ""


def _reference_link(reference_type: str | None, reference_id: int | None) -> str | None:
    if reference_type == "training_session" and reference_id is not None:
        try:
            return url_for("training.session_detail", session_id=reference_id)
        except BuildError:
            return None
    return None


def _attach_error(form: FlaskForm, error: InvalidInput | Conflict) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors), error.message]
    else:
        form.form_errors.append(error.message)


def _csv_response(rows: Iterable[list[str]], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# -- wallet ----------------------------------------------------------------------------------


@bp.get("/portefeuille")
@login_required
def wallet() -> str:
    services.open_wallet(db.session, current_user)
    db.session.commit()
    page = request.args.get("page", 1, type=int) or 1
    view = services.wallet(db.session, current_user, page=page, per_page=20)
    return render_template(
        "ledger/wallet.html",
        view=view,
        kinds=KIND_LABELS,
        states=STATE_LABELS,
        reference_label=_reference_label,
        reference_link=_reference_link,
    )


@bp.get("/portefeuille/export.csv")
@login_required
def wallet_csv() -> Response:
    lines = services.full_history(db.session, current_user)
    policy = services.current_policy(db.session, current_user.cluster_id)
    header = [
        "date",
        "type",
        "etat",
        "sens",
        "montant",
        "effet_sur_solde",
        "contrepartie",
        "reference",
        "message",
    ]
    rows: list[list[str]] = [header]
    for line in lines:
        rows.append(
            [
                line.created_at.strftime("%Y-%m-%d %H:%M"),
                str(KIND_LABELS.get(line.kind, line.kind)),
                str(STATE_LABELS.get(line.state, line.state)),
                _("reçu") if line.incoming else _("donné"),
                format_plain(line.amount, policy.minor_per_unit),
                format_plain(line.effect, policy.minor_per_unit),
                line.counterparty,
                _reference_label(line.reference_type, line.reference_id),
                line.memo,
            ]
        )
    return _csv_response(rows, "portefeuille.csv")


@bp.route("/portefeuille/envoyer", methods=["GET", "POST"])
@login_required
def send() -> str | WerkzeugResponse | tuple[str, int]:
    form = SendCreditsForm()
    if not form.form_token.data:
        form.form_token.data = secrets.token_hex(16)
    if form.validate_on_submit():
        try:
            services.send_credits(
                db.session,
                current_user,
                recipient_email=form.recipient_email.data or "",
                amount=form.amount.minor or 0,
                memo=form.memo.data or "",
                form_token=form.form_token.data or "",
            )
        except (InvalidInput, Conflict) as error:  # LimitExceeded is a Conflict
            db.session.rollback()
            _attach_error(form, error)
            if not isinstance(error, LimitExceeded) and not error.field:
                form.form_token.data = secrets.token_hex(16)
        else:
            db.session.commit()
            flash(_("Crédits envoyés."), "success")
            return redirect(url_for("ledger.wallet"))
    status = 422 if request.method == "POST" else 200
    balance = None
    account = services.find_member_account(db.session, current_user)
    if account is not None:
        balance = services.account_balance(account)
    policy = services.current_policy(db.session, current_user.cluster_id)
    return render_template("ledger/send.html", form=form, balance=balance, policy=policy), status


# -- policy (coop admin) ------------------------------------------------------------------------

_POLICY_AMOUNTS = ("price_per_hour", "trainer_rate_per_hour", "floor", "ceiling", "welcome_grant")


@bp.route("/gestion/monnaie", methods=["GET", "POST"])
@login_required
def policy() -> str | WerkzeugResponse | tuple[str, int]:
    history = services.policy_history(db.session, current_user)  # raises Forbidden first
    current = services.current_policy(db.session, current_user.cluster_id)
    form = PolicyForm()
    for name in _POLICY_AMOUNTS:
        getattr(form, name).minor_per_unit = current.minor_per_unit
    if request.method == "GET":
        form.unit_name.data = current.unit_name
        form.unit_code.data = current.unit_code
        form.preparation_minutes.data = current.preparation_minutes
        form.cancellation_deadline_hours.data = current.cancellation_deadline_hours
        form.no_show_rule.data = current.no_show_rule.value
        for name in _POLICY_AMOUNTS:
            getattr(form, name).set_minor(getattr(current, name))
    elif form.validate_on_submit():
        values = {name: getattr(form, name).minor for name in _POLICY_AMOUNTS}
        try:
            services.update_policy(
                db.session,
                current_user,
                unit_name=form.unit_name.data,
                unit_code=form.unit_code.data,
                preparation_minutes=form.preparation_minutes.data,
                cancellation_deadline_hours=form.cancellation_deadline_hours.data,
                no_show_rule=form.no_show_rule.data,
                note=form.note.data or "",
                **values,
            )
        except InvalidInput as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            db.session.commit()
            flash(_("La politique de la monnaie a été mise à jour."), "success")
            return redirect(url_for("ledger.policy"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "ledger/policy.html", form=form, current=current, history=history
    ), status


# -- contributions (HR club, coop admin) -------------------------------------------------------


@bp.route("/club/contributions", methods=["GET", "POST"])
@login_required
def contributions() -> str | WerkzeugResponse | tuple[str, int]:
    companies = services.contributing_companies(db.session, current_user)
    form = ContributionForm()
    form.company_id.choices = [(c.id, c.name) for c in companies]
    if not form.form_token.data:
        form.form_token.data = secrets.token_hex(16)
    if form.validate_on_submit():
        try:
            services.record_contribution(
                db.session,
                current_user,
                company_id=form.company_id.data,
                amount=form.amount.minor or 0,
                memo=form.memo.data or "",
                form_token=form.form_token.data or "",
            )
        except (InvalidInput, Conflict) as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Contribution enregistrée."), "success")
            return redirect(url_for("ledger.contributions"))
    status = 422 if request.method == "POST" else 200
    recent = services.recent_contributions(db.session, current_user)
    policy = services.current_policy(db.session, current_user.cluster_id)
    return render_template(
        "ledger/contributions.html", form=form, recent=recent, policy=policy
    ), status


# -- inter-company clearing (HR club, coop admin) -----------------------------------------------


def _clearing_from_request() -> tuple[ClearingForm, services.ClearingReport | None]:
    form = ClearingForm(formdata=request.args if request.args else None)
    if request.args and not form.validate():
        return form, None
    try:
        report = services.clearing_report(
            db.session, current_user, start=form.start.data, end=form.end.data
        )
    except InvalidInput as error:
        _attach_error(form, error)
        return form, None
    return form, report


@bp.get("/club/compensation")
@login_required
def clearing() -> tuple[str, int]:
    form, report = _clearing_from_request()
    return render_template("ledger/clearing.html", form=form, report=report), (
        200 if report is not None else 422
    )


@bp.get("/club/compensation.csv")
@login_required
def clearing_csv() -> Response | tuple[str, int]:
    form, report = _clearing_from_request()
    if report is None:
        return render_template("ledger/clearing.html", form=form, report=None), 422
    mpu = report.minor_per_unit
    rows = [
        [
            "entreprise",
            "heures_enseignees",
            "heures_recues",
            "solde_heures",
            "credits_enseignes",
            "credits_recus",
            "solde_credits",
        ]
    ]
    for line in report.companies:
        rows.append(
            [
                line.company,
                hours_text(line.taught_hours),
                hours_text(line.received_hours),
                hours_text(line.net_hours).replace("\u2212", "-"),
                format_plain(line.taught_amount, mpu),
                format_plain(line.received_amount, mpu),
                format_plain(line.net_amount, mpu),
            ]
        )
    rows.append([])
    rows.append(
        [
            "entreprise_a",
            "entreprise_b",
            "heures_a_vers_b",
            "heures_b_vers_a",
            "solde_heures_a_moins_b",
        ]
    )
    for pair in report.pairs:
        rows.append(
            [
                pair.first,
                pair.second,
                hours_text(pair.first_to_second_hours),
                hours_text(pair.second_to_first_hours),
                hours_text(pair.net_hours).replace("\u2212", "-"),
            ]
        )
    name = f"compensation_{report.start.isoformat()}_{report.end.isoformat()}.csv"
    return _csv_response(rows, name)
