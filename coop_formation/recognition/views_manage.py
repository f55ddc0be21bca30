"""Catalogue and awarding pages: correspondents (for their company) and the coop admin
manage achievements, award badges with evidence, to teams, through a jury, and revoke.
Every member may read the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from coop_formation.errors import Conflict, InvalidInput
from coop_formation.exchange import services as exchange
from coop_formation.extensions import db
from coop_formation.recognition import permissions as perm
from coop_formation.recognition import services
from coop_formation.recognition.forms import (
    AchievementForm,
    AwardForm,
    CollectiveForm,
    ConfirmForm,
    JuryForm,
    RevokeForm,
    VoteForm,
)
from coop_formation.recognition.images import MAX_IMAGE_BYTES
from coop_formation.recognition.models import AchievementKind
from coop_formation.recognition.views import bp


def _show_error(form: FlaskForm, error: InvalidInput) -> str | None:
    """Attach a service error to its field; return it when it belongs to no field."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
        return None
    return error.message


def _submit(
    form: FlaskForm,
    action: Callable[[], Any],
    *,
    done: Callable[[Any], tuple[str, str]],
    template: str,
    **context: Any,
) -> Any:
    """One user action, one transaction: on success commit, flash and redirect; on a refused
    action roll back and re-render the form (422) with the service's French message."""
    error = None
    if form.validate_on_submit():
        try:
            result = action()
        except InvalidInput as exc:
            db.session.rollback()
            error = _show_error(form, exc)
        else:
            db.session.commit()
            message, target = done(result)
            flash(message, "success")
            return redirect(target)
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, error=error, **context), status


def _member_choices(members: list[Any]) -> list[tuple[int, str]]:
    return [(m.id, f"{m.display_name} — {m.company.name if m.company else ''}") for m in members]


def _achievement_data(form: AchievementForm) -> services.AchievementData:
    upload = form.image.data
    image = None
    if upload is not None and getattr(upload, "filename", ""):
        image = upload.stream.read(MAX_IMAGE_BYTES + 1)
    return services.AchievementData(
        name=form.name.data or "",
        description=form.description.data or "",
        criteria=form.criteria.data or "",
        kind=AchievementKind(form.kind.data),
        skill_ids=list(form.skill_ids.data or []),
        valid_days=form.valid_days.data,
        image=image,
        remove_image=bool(form.remove_image.data),
    )


@bp.get("/badges/catalogue")
@login_required
def catalogue() -> str:
    return render_template(
        "recognition/catalogue.html",
        achievements=services.list_catalogue(
            db.session, current_user, include_automatic=request.args.get("tous") == "1"
        ),
        can_manage=perm.can(current_user, perm.ACHIEVEMENT_MANAGE),
    )


def _achievement_form_page(achievement_id: int | None) -> Any:
    achievement = None
    if achievement_id is not None:
        achievement = services.get_achievement(db.session, current_user, achievement_id)
    perm.require(current_user, perm.ACHIEVEMENT_MANAGE, achievement)
    form = AchievementForm(obj=achievement if request.method == "GET" else None)
    form.skill_ids.choices = dict(exchange.skill_choices(db.session))
    if request.method == "GET" and achievement is not None:
        form.kind.data = achievement.kind.value
        form.skill_ids.data = [s.id for s in achievement.skills]
    error = None
    if form.validate_on_submit():
        try:
            data = _achievement_data(form)
            if achievement is None:
                saved = services.create_achievement(db.session, current_user, data)
            else:
                saved = services.update_achievement(db.session, current_user, achievement.id, data)
        except InvalidInput as exc:
            db.session.rollback()
            error = _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Badge enregistré."), "success")
            return redirect(url_for("recognition.achievement_detail", achievement_id=saved.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "recognition/achievement_form.html", form=form, achievement=achievement, error=error
    ), status


@bp.route("/badges/catalogue/nouveau", methods=["GET", "POST"])
@login_required
def new_achievement() -> Any:
    return _achievement_form_page(None)


@bp.route("/badges/catalogue/<int:achievement_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_achievement(achievement_id: int) -> Any:
    return _achievement_form_page(achievement_id)


@bp.get("/badges/catalogue/<int:achievement_id>")
@login_required
def achievement_detail(achievement_id: int) -> str:
    achievement = services.get_achievement(db.session, current_user, achievement_id)
    return render_template(
        "recognition/achievement_detail.html",
        achievement=achievement,
        can_manage=perm.can(current_user, perm.ACHIEVEMENT_MANAGE, achievement),
        credentials=services.credentials_of_achievement(db.session, current_user, achievement),
        archive_form=ConfirmForm(),
    )


@bp.post("/badges/catalogue/<int:achievement_id>/archiver")
@login_required
def archive_achievement(achievement_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        services.archive_achievement(db.session, current_user, achievement_id)
        db.session.commit()
        flash(_("Badge archivé : il ne sera plus décerné."), "success")
    return redirect(url_for("recognition.catalogue"))


def _end_of_day(value: Any) -> datetime | None:
    return datetime.combine(value, time(23, 59, 59), tzinfo=UTC) if value else None


@bp.route("/badges/catalogue/<int:achievement_id>/decerner", methods=["GET", "POST"])
@login_required
def award(achievement_id: int) -> Any:
    achievement = services.get_achievement(db.session, current_user, achievement_id)
    perm.require(current_user, perm.ACHIEVEMENT_MANAGE, achievement)
    form = AwardForm()
    form.recipient_id.choices = _member_choices(
        services.awardable_members(db.session, current_user)
    )
    return _submit(
        form,
        lambda: services.award_manually(
            db.session,
            current_user,
            achievement_id=achievement.id,
            recipient_id=form.recipient_id.data,
            evidence=form.evidence.data or "",
            valid_until=_end_of_day(form.valid_until.data),
        ),
        done=lambda credential: (
            _("Badge décerné."),
            url_for("recognition.credential", public_id=credential.public_id),
        ),
        template="recognition/award.html",
        achievement=achievement,
    )


@bp.route("/badges/catalogue/<int:achievement_id>/collectif", methods=["GET", "POST"])
@login_required
def award_team(achievement_id: int) -> Any:
    achievement = services.get_achievement(db.session, current_user, achievement_id)
    perm.require(current_user, perm.ACHIEVEMENT_MANAGE, achievement)
    form = CollectiveForm()
    form.member_ids.choices = _member_choices(services.awardable_members(db.session, current_user))
    return _submit(
        form,
        lambda: services.award_collective(
            db.session,
            current_user,
            achievement_id=achievement.id,
            team_name=form.team_name.data or "",
            member_ids=list(form.member_ids.data or []),
            evidence=form.evidence.data or "",
        ),
        done=lambda issued: (
            _("Badge collectif décerné à %(n)s personnes.", n=len(issued)),
            url_for("recognition.achievement_detail", achievement_id=achievement.id),
        ),
        template="recognition/collective.html",
        achievement=achievement,
    )


@bp.route("/badges/catalogue/<int:achievement_id>/jury", methods=["GET", "POST"])
@login_required
def open_jury(achievement_id: int) -> Any:
    achievement = services.get_achievement(db.session, current_user, achievement_id)
    perm.require(current_user, perm.ACHIEVEMENT_MANAGE, achievement)
    form = JuryForm()
    form.candidate_id.choices = _member_choices(
        services.awardable_members(db.session, current_user)
    )
    form.juror_ids.choices = _member_choices(services.cluster_members(db.session, current_user))
    return _submit(
        form,
        lambda: services.open_validation(
            db.session,
            current_user,
            achievement_id=achievement.id,
            candidate_id=form.candidate_id.data,
            juror_ids=list(form.juror_ids.data or []),
            evidence=form.evidence.data or "",
        ),
        done=lambda validation: (
            _("Le jury est constitué : chaque juré donnera son avis."),
            url_for("recognition.jury", validation_id=validation.id),
        ),
        template="recognition/jury_form.html",
        achievement=achievement,
    )


@bp.route("/badges/jury/<int:validation_id>", methods=["GET", "POST"])
@login_required
def jury(validation_id: int) -> Any:
    validation = services.get_validation(db.session, current_user, validation_id)
    form = VoteForm()
    can_vote = perm.can(current_user, perm.JURY_VOTE, validation) and any(
        v.juror_id == current_user.id and v.approve is None for v in validation.votes
    )
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.cast_vote(
                db.session,
                current_user,
                validation.id,
                approve=form.decision.data == "approve",
                comment=form.comment.data or "",
            )
        except (InvalidInput, Conflict) as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Votre avis est enregistré."), "success")
            return redirect(url_for("recognition.jury", validation_id=validation.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "recognition/jury.html", validation=validation, form=form, can_vote=can_vote, error=error
    ), status


@bp.route("/badges/credentials/<public_id>/revoquer", methods=["GET", "POST"])
@login_required
def revoke(public_id: str) -> Any:
    credential = services.get_credential(db.session, public_id)
    perm.require(current_user, perm.CREDENTIAL_REVOKE, credential)
    form = RevokeForm()
    error = None
    if form.validate_on_submit():
        try:
            services.revoke_credential(db.session, current_user, public_id, form.reason.data or "")
        except (InvalidInput, Conflict) as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Badge révoqué."), "success")
            return redirect(
                url_for("recognition.achievement_detail", achievement_id=credential.achievement_id)
            )
    status = 422 if request.method == "POST" else 200
    return render_template(
        "recognition/revoke.html", form=form, credential=credential, error=error
    ), status
