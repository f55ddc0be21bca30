"""Club pages: the correspondent dashboard and the HR club (skills map, participation,
pooled external trainings), with their CSV exports.

Each view parses the request, calls one service, commits once when it changes something.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.club import exports, permissions, services
from coop_formation.club.forms import (
    ClubFilterForm,
    CompanyChoiceForm,
    PooledTrainingForm,
    SeatsForm,
)
from coop_formation.errors import InvalidInput
from coop_formation.extensions import db

bp = Blueprint("club", __name__, template_folder="templates")


@bp.context_processor
def _club_helpers() -> dict[str, object]:
    """Helpers every club template may use (amounts in euros are integer cents)."""
    return {"euros": services.format_euros}


def _attach_error(form: FlaskForm, error: InvalidInput) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors), error.message]
    else:
        form.form_errors.append(error.message)


def _filters() -> tuple[ClubFilterForm, services.ClubFilters | None]:
    """Read the period and company group from the query string (defaults when absent)."""
    permissions.require(current_user, permissions.CLUB_READ)
    form = ClubFilterForm(formdata=request.args if request.args else None)
    form.companies.choices = [
        (c.id, c.name) for c in services.cluster_companies(db.session, current_user)
    ]
    if request.args and not form.validate():
        return form, None
    try:
        filters = services.resolve_filters(
            db.session,
            current_user,
            start=form.start.data,
            end=form.end.data,
            company_ids=form.companies.data or [],
        )
    except InvalidInput as error:
        _attach_error(form, error)
        return form, None
    form.start.data, form.end.data = filters.start, filters.end
    return form, filters


def _filter_args(filters: services.ClubFilters) -> dict[str, object]:
    args: dict[str, object] = {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
    if not filters.is_whole_cluster:
        args["companies"] = filters.company_ids
    return args


# -- correspondent dashboard ----------------------------------------------------------------


@bp.get("/correspondant")
@login_required
def dashboard() -> str:
    company_id = request.args.get("entreprise", type=int)
    data = services.company_dashboard(db.session, current_user, company_id)
    selector = CompanyChoiceForm(formdata=None)
    selector.entreprise.choices = [(c.id, c.name) for c in data.companies]
    selector.entreprise.data = data.company.id
    return render_template("club/dashboard.html", data=data, selector=selector)


# -- HR club ----------------------------------------------------------------------------------


@bp.get("/club")
@login_required
def index() -> str:
    permissions.require(current_user, permissions.CLUB_READ)
    return render_template("club/index.html")


@bp.get("/club/carte-des-competences")
@login_required
def skills_map() -> tuple[str, int]:
    form, filters = _filters()
    if filters is None:
        return render_template("club/skills_map.html", form=form, skills=None), 422
    skills = services.skills_map(db.session, current_user, filters)
    return render_template(
        "club/skills_map.html",
        form=form,
        skills=skills,
        chart=services.map_chart(skills),
        args=_filter_args(filters),
    ), 200


@bp.get("/club/carte-des-competences.csv")
@login_required
def skills_map_csv() -> Response | tuple[str, int]:
    form, filters = _filters()
    if filters is None:
        return render_template("club/skills_map.html", form=form, skills=None), 422
    skills = services.skills_map(db.session, current_user, filters)
    name = f"carte_competences_{filters.start.isoformat()}_{filters.end.isoformat()}.csv"
    return exports.csv_response(exports.skills_map_rows(skills), name)


@bp.get("/club/participation")
@login_required
def participation() -> tuple[str, int]:
    form, filters = _filters()
    if filters is None:
        return render_template("club/participation.html", form=form, report=None), 422
    report = services.participation_report(db.session, current_user, filters)
    return render_template(
        "club/participation.html", form=form, report=report, args=_filter_args(filters)
    ), 200


@bp.get("/club/participation.csv")
@login_required
def participation_csv() -> Response | tuple[str, int]:
    form, filters = _filters()
    if filters is None:
        return render_template("club/participation.html", form=form, report=None), 422
    report = services.participation_report(db.session, current_user, filters)
    name = f"participation_{filters.start.isoformat()}_{filters.end.isoformat()}.csv"
    return exports.csv_response(exports.participation_rows(report), name)


# -- pooled external trainings ----------------------------------------------------------------


@bp.route("/club/formations-mutualisees", methods=["GET", "POST"])
@login_required
def pooled_trainings() -> str | WerkzeugResponse | tuple[str, int]:
    trainings = services.list_trainings(db.session, current_user)
    can_propose = permissions.can(current_user, permissions.POOLED_PROPOSE)
    form = PooledTrainingForm() if can_propose else None
    if request.method == "POST":
        permissions.require(current_user, permissions.POOLED_PROPOSE)
        assert form is not None
        if form.validate_on_submit():
            try:
                training = services.propose_training(
                    db.session,
                    current_user,
                    provider=form.provider.data or "",
                    title=form.title.data or "",
                    description=form.description.data or "",
                    price=form.price.data or "",
                    seats=form.seats.data,
                    deadline=form.deadline.data,
                )
            except InvalidInput as error:
                db.session.rollback()
                _attach_error(form, error)
            else:
                db.session.commit()
                flash(_("Formation mutualisée proposée."), "success")
                return redirect(url_for("club.pooled_training", training_id=training.id))
        return render_template("club/pooled_list.html", trainings=trainings, form=form), 422
    return render_template("club/pooled_list.html", trainings=trainings, form=form)


def _seats_form(view: services.TrainingView) -> SeatsForm | None:
    if not permissions.can(current_user, permissions.POOLED_JOIN):
        return None
    form = SeatsForm()
    companies = services.joinable_companies(db.session, current_user)
    form.company_id.choices = [(c.id, c.name) for c in companies]
    return form


@bp.get("/club/formations-mutualisees/<int:training_id>")
@login_required
def pooled_training(training_id: int) -> str:
    view = services.get_training(db.session, current_user, training_id)
    return render_template(
        "club/pooled_detail.html", view=view, form=_seats_form(view), euros=services.format_euros
    )


@bp.post("/club/formations-mutualisees/<int:training_id>/places")
@login_required
def reserve_seats(training_id: int) -> WerkzeugResponse | tuple[str, int]:
    view = services.get_training(db.session, current_user, training_id)
    permissions.require(current_user, permissions.POOLED_JOIN)
    form = _seats_form(view)
    assert form is not None
    if form.validate_on_submit():
        try:
            services.reserve_seats(
                db.session,
                current_user,
                training_id=training_id,
                company_id=form.company_id.data,
                seats=form.seats.data,
            )
        except InvalidInput as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Places enregistrées."), "success")
            return redirect(url_for("club.pooled_training", training_id=training_id))
    view = services.get_training(db.session, current_user, training_id)
    return render_template(
        "club/pooled_detail.html", view=view, form=form, euros=services.format_euros
    ), 422


@bp.get("/club/formations-mutualisees/<int:training_id>.csv")
@login_required
def pooled_training_csv(training_id: int) -> Response:
    view = services.get_training(db.session, current_user, training_id)
    return exports.csv_response(
        exports.pooled_training_rows(view), f"formation_mutualisee_{training_id}.csv"
    )
