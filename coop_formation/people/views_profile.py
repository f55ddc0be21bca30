"""A member's own pages: profile, public member page, data export, account closure."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.people import services
from coop_formation.people.forms import CloseAccountForm, ProfileForm
from coop_formation.people.views import bp

SKILL_FIELDS = ("practises", "can_teach", "wants_to_learn")
VISIBILITY_FIELDS = (
    "job_title_visibility",
    "bio_visibility",
    "phone_visibility",
    "skills_visibility",
    "learning_visibility",
)


def _profile_form() -> ProfileForm:
    member = current_user
    skills = services.approved_skills(db.session)
    if request.method == "GET":
        form = ProfileForm(
            formdata=None,
            display_name=member.display_name,
            job_title=member.job_title,
            bio=member.bio,
            phone=member.phone,
            locale=member.locale or "",
            **{name: getattr(member, name).value for name in VISIBILITY_FIELDS},
        )
        declared = services.member_skills(db.session, member)
        for name in SKILL_FIELDS:
            form[name].data = [skill.id for skill in declared[name]]
    else:
        form = ProfileForm()
    groups = sorted(skills, key=lambda s: (s.parent.label if s.parent else "", s.label.lower()))
    form.set_skill_choices(
        [
            SelectChoice(
                skill.id, skill.label, optgroup=skill.parent.label if skill.parent else None
            )
            for skill in groups
        ]
    )
    return form


@bp.route("/me", methods=["GET", "POST"])
@login_required
def profile() -> WerkzeugResponse | str | tuple[str, int]:
    form = _profile_form()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("people/profile.html", form=form), 422
        changes = services.ProfileChanges(
            display_name=form.display_name.data or "",
            job_title=form.job_title.data or "",
            bio=form.bio.data or "",
            phone=form.phone.data or "",
            locale=form.locale.data or "",
            skills={name: set(form[name].data or []) for name in SKILL_FIELDS},
            **{name: form[name].data for name in VISIBILITY_FIELDS},
        )
        try:
            services.update_profile(db.session, current_user, changes)
        except InvalidInput as error:
            db.session.rollback()
            if error.field and error.field in form:
                form[error.field].errors = [*form[error.field].errors, error.message]
            else:
                flash(error.message, "error")
            return render_template("people/profile.html", form=form), 422
        db.session.commit()
        if changes.locale:
            session["lang"] = changes.locale
        flash(_("Votre profil est enregistré."), "success")
        return redirect(url_for("people.profile"))
    return render_template("people/profile.html", form=form)


@bp.get("/members/<int:member_id>")
@login_required
def member_page(member_id: int) -> str:
    view = services.view_profile(db.session, current_user, member_id)
    return render_template("people/member.html", view=view)


@bp.get("/me/export")
@login_required
def export_data() -> Response:
    data = services.export_member_data(db.session, current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="coop-formation-mes-donnees-{current_user.id}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/me/close", methods=["GET", "POST"])
@login_required
def close_account() -> WerkzeugResponse | str | tuple[str, int]:
    form = CloseAccountForm()
    if request.method == "GET":
        return render_template("people/close.html", form=form)
    if not form.validate_on_submit():
        return render_template("people/close.html", form=form), 422
    try:
        services.close_account(db.session, current_user, form.password.data or "")
    except InvalidInput as error:
        db.session.rollback()
        form.password.errors = [*form.password.errors, error.message]
        return render_template("people/close.html", form=form), 422
    db.session.commit()
    logout_user()
    session.clear()
    flash(
        _("Votre compte est fermé. Vos contributions restent, sous le nom « Ancien membre »."),
        "info",
    )
    return redirect(url_for("site.home"))
