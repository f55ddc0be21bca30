"""Club pages: the correspondent dashboard and the HR club (skills map, participation,
pooled external trainings), with their CSV exports.

Each view parses the request and calls one service through the web layer (which commits
once when it changes something), then renders or redirects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from coop_formation.authz import Permission, can, require
from coop_formation.club import bp, exports, services
from coop_formation.club.forms import (
    ClubFilterForm,
    CompanyChoiceForm,
    PooledTrainingForm,
    SeatsForm,
)
from coop_formation.club.rules import refusal
from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.web import acting_member, show_error, submit_form

if TYPE_CHECKING:
    from coop_formation.people.models import Member

__all__ = ["bp"]

PageResult = str | WerkzeugResponse | tuple[str, int]


def _filters(actor: Member) -> tuple[ClubFilterForm, services.ClubFilters | None, str | None]:
    """The period and company group of the query string (defaults when absent): the form,
    the filters when acceptable, and a message for a refusal tied to no field."""
    require(actor, Permission.CLUB_READ, message=refusal())
    form = ClubFilterForm(formdata=request.args if request.args else None)
    form.companies.choices = [
        SelectChoice(c.id, c.name) for c in services.cluster_companies(db.session, actor)
    ]
    if request.args and not form.validate():
        return form, None, None
    outcome = services.resolve_filters_or_refusal(
        db.session,
        actor,
        start=form.start.data,
        end=form.end.data,
        company_ids=form.companies.data or [],
    )
    if isinstance(outcome, InvalidInput):
        return form, None, show_error(form, outcome)
    form.start.data, form.end.data = outcome.start, outcome.end
    return form, outcome, None


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
    data = services.company_dashboard(db.session, acting_member(), company_id)
    selector = CompanyChoiceForm(formdata=None)
    selector.entreprise.choices = [SelectChoice(c.id, c.name) for c in data.companies]
    selector.entreprise.data = data.company.id
    return render_template("club/dashboard.html", data=data, selector=selector)


# -- HR club ----------------------------------------------------------------------------------


@bp.get("/club")
@login_required
def index() -> str:
    require(acting_member(), Permission.CLUB_READ, message=refusal())
    return render_template("club/index.html")


@bp.get("/club/carte-des-competences")
@login_required
def skills_map() -> tuple[str, int]:
    actor = acting_member()
    form, filters, error = _filters(actor)
    if filters is None:
        return render_template("club/skills_map.html", form=form, skills=None, error=error), 422
    skills = services.skills_map(db.session, actor, filters)
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
    actor = acting_member()
    form, filters, error = _filters(actor)
    if filters is None:
        return render_template("club/skills_map.html", form=form, skills=None, error=error), 422
    skills = services.skills_map(db.session, actor, filters)
    name = f"carte_competences_{filters.start.isoformat()}_{filters.end.isoformat()}.csv"
    return exports.csv_response(exports.skills_map_rows(skills), name)


@bp.get("/club/participation")
@login_required
def participation() -> tuple[str, int]:
    actor = acting_member()
    form, filters, error = _filters(actor)
    if filters is None:
        page = render_template("club/participation.html", form=form, report=None, error=error)
        return page, 422
    report = services.participation_report(db.session, actor, filters)
    return render_template(
        "club/participation.html", form=form, report=report, args=_filter_args(filters)
    ), 200


@bp.get("/club/participation.csv")
@login_required
def participation_csv() -> Response | tuple[str, int]:
    actor = acting_member()
    form, filters, error = _filters(actor)
    if filters is None:
        page = render_template("club/participation.html", form=form, report=None, error=error)
        return page, 422
    report = services.participation_report(db.session, actor, filters)
    name = f"participation_{filters.start.isoformat()}_{filters.end.isoformat()}.csv"
    return exports.csv_response(exports.participation_rows(report), name)


# -- pooled external trainings ----------------------------------------------------------------


@bp.route("/club/formations-mutualisees", methods=["GET", "POST"])
@login_required
def pooled_trainings() -> PageResult:
    actor = acting_member()
    trainings = services.list_trainings(db.session, actor)
    if request.method == "POST":
        require(actor, Permission.POOLED_PROPOSE, message=refusal())
    context: dict[str, Any] = {"trainings": trainings, "euros": services.format_euros}
    if not can(actor, Permission.POOLED_PROPOSE):
        return render_template("club/pooled_list.html", form=None, **context)
    form = PooledTrainingForm()

    def propose() -> Any:
        return services.propose_training(
            db.session,
            actor,
            provider=form.provider.data or "",
            title=form.title.data or "",
            description=form.description.data or "",
            price=form.price.data or "",
            seats=form.seats.data,
            deadline=form.deadline.data,
        )

    return submit_form(
        form,
        propose,
        done=lambda training: (
            _("Formation mutualisée proposée."),
            url_for("club.pooled_training", training_id=training.id),
        ),
        template="club/pooled_list.html",
        **context,
    )


def _seats_form(actor: Member) -> SeatsForm | None:
    """The seats form, for those who may take seats (their company, or any for the HR club)."""
    if not can(actor, Permission.POOLED_JOIN):
        return None
    form = SeatsForm()
    form.company_id.choices = [
        SelectChoice(c.id, c.name) for c in services.joinable_companies(db.session, actor)
    ]
    return form


@bp.get("/club/formations-mutualisees/<int:training_id>")
@login_required
def pooled_training(training_id: int) -> str:
    actor = acting_member()
    view = services.get_training(db.session, actor, training_id)
    return render_template(
        "club/pooled_detail.html", view=view, form=_seats_form(actor), euros=services.format_euros
    )


@bp.post("/club/formations-mutualisees/<int:training_id>/places")
@login_required
def reserve_seats(training_id: int) -> PageResult:
    actor = acting_member()
    view = services.get_training(db.session, actor, training_id)
    require(actor, Permission.POOLED_JOIN, message=refusal())
    form = _seats_form(actor)
    assert form is not None

    def reserve() -> Any:
        return services.reserve_seats(
            db.session,
            actor,
            training_id=training_id,
            company_id=form.company_id.data,
            seats=form.seats.data,
        )

    return submit_form(
        form,
        reserve,
        done=lambda _seats: (
            _("Places enregistrées."),
            url_for("club.pooled_training", training_id=training_id),
        ),
        template="club/pooled_detail.html",
        view=view,
        euros=services.format_euros,
    )


@bp.get("/club/formations-mutualisees/<int:training_id>.csv")
@login_required
def pooled_training_csv(training_id: int) -> Response:
    view = services.get_training(db.session, acting_member(), training_id)
    return exports.csv_response(
        exports.pooled_training_rows(view), f"formation_mutualisee_{training_id}.csv"
    )
