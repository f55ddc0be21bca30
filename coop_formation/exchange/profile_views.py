"""The profile form and the member page: people's pages that also show declared skills.

Declared skills are exchange rows and people may not import the exchange, so these two
routes live here, on the people blueprint (endpoints ``people.profile`` and
``people.member_page``, URLs unchanged).
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from coop_formation.exchange import member_skills
from coop_formation.exchange.forms import MemberProfileForm
from coop_formation.extensions import db
from coop_formation.people import bp as people_bp
from coop_formation.people import services as people
from coop_formation.people.models import Member
from coop_formation.web import acting_member, submit_form

VISIBILITY_FIELDS = (
    "job_title_visibility",
    "bio_visibility",
    "phone_visibility",
    "skills_visibility",
    "learning_visibility",
)


def _profile_form(member: Member) -> MemberProfileForm:
    skills = member_skills.declarable_skills(db.session)
    if request.method == "GET":
        form = MemberProfileForm(
            formdata=None,
            display_name=member.display_name,
            job_title=member.job_title,
            bio=member.bio,
            phone=member.phone,
            locale=member.locale or "",
            **{name: getattr(member, name).value for name in VISIBILITY_FIELDS},
        )
        declared = member_skills.declared_skills(db.session, member)
        for name in member_skills.SKILL_FIELDS:
            form[name].data = [skill.id for skill in declared[name]]
    else:
        form = MemberProfileForm()
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


def _changes(form: MemberProfileForm) -> people.ProfileChanges:
    return people.ProfileChanges(
        display_name=form.display_name.data or "",
        job_title=form.job_title.data or "",
        bio=form.bio.data or "",
        phone=form.phone.data or "",
        locale=form.locale.data or "",
        **{name: form[name].data for name in VISIBILITY_FIELDS},
    )


@people_bp.route("/me", methods=["GET", "POST"])
@login_required
def profile() -> Any:
    actor = acting_member()
    form = _profile_form(actor)

    def save() -> str:
        changes = _changes(form)
        skills = {name: set(form[name].data or []) for name in member_skills.SKILL_FIELDS}
        member_skills.save_profile(db.session, actor, changes, skills)
        return changes.locale

    def saved(locale: str) -> tuple[str, str]:
        if locale:
            session["lang"] = locale
        return _("Votre profil est enregistré."), url_for("people.profile")

    return submit_form(form, save, done=saved, template="people/profile.html")


@people_bp.get("/members/<int:member_id>")
@login_required
def member_page(member_id: int) -> str:
    view = member_skills.member_profile(db.session, acting_member(), member_id)
    return render_template("people/member.html", view=view)
