"""Currency pages: wallet, sending credits, policy (coop admin), contributions and clearing.

Each view parses the request and calls one service through the web layer (which commits
once), then renders or redirects.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.ledger import bp, exports, services
from coop_formation.ledger.forms import ClearingForm, ContributionForm, PolicyForm, SendCreditsForm
from coop_formation.ledger.labels import KIND_LABELS, STATE_LABELS, reference_label, reference_link
from coop_formation.web import acting_member, perform, show_error, submit_form

if TYPE_CHECKING:
    from coop_formation.people.models import Member

__all__ = ["bp"]

PageResult = str | WerkzeugResponse | tuple[str, int]


def _form_token() -> str:
    """A fresh token: a form submitted twice with the same one applies once."""
    return secrets.token_hex(16)


# -- wallet ----------------------------------------------------------------------------------


@bp.get("/portefeuille")
@login_required
def wallet() -> str:
    actor = acting_member()
    perform(lambda: services.open_wallet(db.session, actor))
    page = request.args.get("page", 1, type=int) or 1
    view = services.wallet(db.session, actor, page=page, per_page=20)
    return render_template(
        "ledger/wallet.html",
        view=view,
        kinds=KIND_LABELS,
        states=STATE_LABELS,
        reference_label=reference_label,
        reference_link=reference_link,
    )


@bp.get("/portefeuille/export.csv")
@login_required
def wallet_csv() -> Response:
    actor = acting_member()
    lines = services.full_history(db.session, actor)
    policy = services.current_policy(db.session, actor.cluster_id)
    return exports.csv_response(
        exports.wallet_rows(lines, policy.minor_per_unit), "portefeuille.csv"
    )


@bp.route("/portefeuille/envoyer", methods=["GET", "POST"])
@login_required
def send() -> PageResult:
    actor = acting_member()
    form = SendCreditsForm()
    if not form.form_token.data:
        form.form_token.data = _form_token()
    account = services.find_member_account(db.session, actor)

    def send_credits() -> Any:
        return services.send_credits(
            db.session,
            actor,
            recipient_email=form.recipient_email.data or "",
            amount=form.amount.minor or 0,
            memo=form.memo.data or "",
            form_token=form.form_token.data or "",
        )

    return submit_form(
        form,
        send_credits,
        done=lambda _transfer: (_("Crédits envoyés."), url_for("ledger.wallet")),
        template="ledger/send.html",
        balance=services.account_balance(account) if account is not None else None,
        policy=services.current_policy(db.session, actor.cluster_id),
        # A refusal not tied to a field (expired form, reused token) is retried with a new token.
        fresh_token=_form_token(),
    )


# -- policy (coop admin) ------------------------------------------------------------------------

_POLICY_AMOUNTS = ("price_per_hour", "trainer_rate_per_hour", "floor", "ceiling", "welcome_grant")


def _fill_policy_form(form: PolicyForm, current: Any) -> None:
    form.unit_name.data = current.unit_name
    form.unit_code.data = current.unit_code
    form.preparation_minutes.data = current.preparation_minutes
    form.cancellation_deadline_hours.data = current.cancellation_deadline_hours
    form.no_show_rule.data = current.no_show_rule.value
    for name in _POLICY_AMOUNTS:
        getattr(form, name).set_minor(getattr(current, name))


@bp.route("/gestion/monnaie", methods=["GET", "POST"])
@login_required
def policy() -> PageResult:
    actor = acting_member()
    history = services.policy_history(db.session, actor)  # raises Forbidden first
    current = services.current_policy(db.session, actor.cluster_id)
    form = PolicyForm()
    for name in _POLICY_AMOUNTS:
        getattr(form, name).minor_per_unit = current.minor_per_unit
    if request.method == "GET":
        _fill_policy_form(form, current)

    def update_policy() -> Any:
        return services.update_policy(
            db.session,
            actor,
            unit_name=form.unit_name.data,
            unit_code=form.unit_code.data,
            preparation_minutes=form.preparation_minutes.data,
            cancellation_deadline_hours=form.cancellation_deadline_hours.data,
            no_show_rule=form.no_show_rule.data,
            note=form.note.data or "",
            **{name: getattr(form, name).minor for name in _POLICY_AMOUNTS},
        )

    return submit_form(
        form,
        update_policy,
        done=lambda _policy: (
            _("La politique de la monnaie a été mise à jour."),
            url_for("ledger.policy"),
        ),
        template="ledger/policy.html",
        current=current,
        history=history,
    )


# -- contributions (HR club, coop admin) -------------------------------------------------------


@bp.route("/club/contributions", methods=["GET", "POST"])
@login_required
def contributions() -> PageResult:
    actor = acting_member()
    companies = services.contributing_companies(db.session, actor)
    form = ContributionForm()
    form.company_id.choices = [SelectChoice(c.id, c.name) for c in companies]
    if not form.form_token.data:
        form.form_token.data = _form_token()

    def record_contribution() -> Any:
        return services.record_contribution(
            db.session,
            actor,
            company_id=form.company_id.data,
            amount=form.amount.minor or 0,
            memo=form.memo.data or "",
            form_token=form.form_token.data or "",
        )

    return submit_form(
        form,
        record_contribution,
        done=lambda _transfer: (_("Contribution enregistrée."), url_for("ledger.contributions")),
        template="ledger/contributions.html",
        recent=services.recent_contributions(db.session, actor),
        policy=services.current_policy(db.session, actor.cluster_id),
    )


# -- inter-company clearing (HR club, coop admin) -----------------------------------------------


def _clearing_from_request(
    actor: Member,
) -> tuple[ClearingForm, services.ClearingReport | None, str | None]:
    """The period form, the report when the period is acceptable, and a message otherwise."""
    form = ClearingForm(formdata=request.args if request.args else None)
    if request.args and not form.validate():
        return form, None, None
    outcome = services.clearing_report_or_refusal(
        db.session, actor, start=form.start.data, end=form.end.data
    )
    if isinstance(outcome, InvalidInput):
        return form, None, show_error(form, outcome)
    return form, outcome, None


@bp.get("/club/compensation")
@login_required
def clearing() -> tuple[str, int]:
    form, report, error = _clearing_from_request(acting_member())
    page = render_template("ledger/clearing.html", form=form, report=report, error=error)
    return page, 200 if report is not None else 422


@bp.get("/club/compensation.csv")
@login_required
def clearing_csv() -> Response | tuple[str, int]:
    form, report, error = _clearing_from_request(acting_member())
    if report is None:
        page = render_template("ledger/clearing.html", form=form, report=None, error=error)
        return page, 422
    name = f"compensation_{report.start.isoformat()}_{report.end.isoformat()}.csv"
    return exports.csv_response(exports.clearing_rows(report), name)
