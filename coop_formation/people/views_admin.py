"""Management pages (/gestion): members and their import, companies, the charter.

Who may do what is decided by the services (``people.permissions``); these views only parse
the request, call a service, commit once and deliver mails after the commit.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.people import charters, directory, importing
from coop_formation.people import permissions as perms
from coop_formation.people.forms import CharterForm, CompanyForm, EmptyForm, ImportMembersForm
from coop_formation.people.mails import deliver
from coop_formation.people.views import bp


def _members_page(import_form: ImportMembersForm, import_error: str | None = None) -> str:
    company_id = request.args.get("company", type=int)
    page_number = request.args.get("page", 1, type=int)
    companies = directory.managed_companies(db.session, current_user)
    page = directory.list_members(
        db.session, current_user, company_id, page_number, int(current_app.config["PAGE_SIZE"])
    )
    return render_template(
        "people/admin_members.html",
        page=page,
        companies=companies,
        company_id=company_id,
        import_form=import_form,
        import_error=import_error,
        action_form=EmptyForm(),
        can_appoint=lambda member: perms.is_allowed(current_user, perms.MEMBER_APPOINT, member),
    )


@bp.get("/gestion/membres")
@login_required
def admin_members() -> str:
    form = ImportMembersForm(formdata=None)
    return _members_page(form)


@bp.post("/gestion/membres/import")
@login_required
def import_members() -> Response | tuple[str, int]:
    perms.require(current_user, perms.MANAGE_AREA)
    form = ImportMembersForm()
    if not form.validate_on_submit():
        return _members_page(form), 422
    try:
        text = importing.decode_csv(form.file.data.read())
        rows = importing.parse_members_csv(db.session, current_user, current_user.cluster, text)
        report = importing.import_members(
            db.session, current_user, current_user.cluster, rows, invite=bool(form.invite.data)
        )
    except InvalidInput as error:
        db.session.rollback()
        return _members_page(form, import_error=error.message), 422
    db.session.commit()
    deliver(report.mails)
    flash(
        _(
            "Import terminé : %(created)s membre(s) créé(s), %(updated)s mis à jour, "
            "%(invited)s invitation(s) envoyée(s).",
            created=report.created,
            updated=report.updated,
            invited=report.invited,
        ),
        "success",
    )
    return redirect(url_for("people.admin_members"))


@bp.post("/gestion/membres/<int:member_id>/invitation")
@login_required
def resend_invitation(member_id: int) -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            mail = directory.resend_invitation(db.session, current_user, member_id)
        except InvalidInput as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            db.session.commit()
            deliver([mail])
            flash(_("Invitation envoyée à %(email)s.", email=mail.to), "success")
    return redirect(url_for("people.admin_members", company=request.form.get("company", type=int)))


@bp.post("/gestion/membres/<int:member_id>/correspondant")
@login_required
def set_correspondent(member_id: int) -> Response:
    form = EmptyForm()
    appoint = request.form.get("appoint") == "1"
    if form.validate_on_submit():
        try:
            member = directory.set_correspondent(db.session, current_user, member_id, appoint)
        except InvalidInput as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            db.session.commit()
            if appoint:
                flash(
                    _(
                        "%(name)s est désormais correspondant·e formation.",
                        name=member.display_name,
                    ),
                    "success",
                )
            else:
                flash(
                    _("%(name)s n'est plus correspondant·e formation.", name=member.display_name),
                    "success",
                )
    return redirect(url_for("people.admin_members", company=request.form.get("company", type=int)))


# Companies ---------------------------------------------------------------------------------


def _companies_page(create_form: CompanyForm, status: int = 200) -> tuple[str, int]:
    companies = directory.list_companies(db.session, current_user)
    counts = directory.member_counts(db.session, current_user)
    edit_forms = {
        company.id: CompanyForm(
            formdata=None, prefix=f"c{company.id}", name=company.name, headcount=company.headcount
        )
        for company in companies
    }
    html = render_template(
        "people/admin_companies.html",
        companies=companies,
        counts=counts,
        form=create_form,
        edit_forms=edit_forms,
    )
    return html, status


@bp.get("/gestion/entreprises")
@login_required
def admin_companies() -> tuple[str, int]:
    perms.require(current_user, perms.COMPANY_MANAGE)
    return _companies_page(CompanyForm(formdata=None))


@bp.post("/gestion/entreprises")
@login_required
def create_company() -> Response | tuple[str, int]:
    perms.require(current_user, perms.COMPANY_MANAGE)
    form = CompanyForm()
    if not form.validate_on_submit():
        return _companies_page(form, 422)
    try:
        company = directory.create_company(
            db.session, current_user, form.name.data or "", form.headcount.data
        )
    except InvalidInput as error:
        db.session.rollback()
        form.name.errors = [*form.name.errors, error.message]
        return _companies_page(form, 422)
    db.session.commit()
    flash(_("Entreprise « %(name)s » créée.", name=company.name), "success")
    return redirect(url_for("people.admin_companies"))


@bp.post("/gestion/entreprises/<int:company_id>")
@login_required
def update_company(company_id: int) -> Response | tuple[str, int]:
    perms.require(current_user, perms.COMPANY_MANAGE)
    form = CompanyForm(prefix=f"c{company_id}")
    if not form.validate_on_submit():
        flash(_("Nom ou effectif invalide : rien n'a changé."), "error")
        return redirect(url_for("people.admin_companies"))
    try:
        directory.update_company(
            db.session, current_user, company_id, form.name.data or "", form.headcount.data
        )
    except InvalidInput as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("people.admin_companies"))
    db.session.commit()
    flash(_("Entreprise mise à jour."), "success")
    return redirect(url_for("people.admin_companies"))


# Charter -----------------------------------------------------------------------------------


@bp.route("/gestion/charte", methods=["GET", "POST"])
@login_required
def admin_charter() -> Response | tuple[str, int] | str:
    perms.require(current_user, perms.CHARTER_PUBLISH)
    current = charters.current_charter(db.session, current_user.cluster_id)
    if request.method == "GET":
        form = CharterForm(
            formdata=None,
            title=current.title if current else _("Charte de la coopérative"),
            body=current.body if current else "",
        )
        return render_template("people/admin_charter.html", form=form, current=current)
    form = CharterForm()
    if not form.validate_on_submit():
        return render_template("people/admin_charter.html", form=form, current=current), 422
    try:
        published = charters.publish_charter(
            db.session, current_user, form.title.data or "", form.body.data or ""
        )
    except InvalidInput as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_template("people/admin_charter.html", form=form, current=current), 422
    db.session.commit()
    flash(
        _("Version %(num)s publiée : chaque membre devra l'accepter.", num=published.version),
        "success",
    )
    return redirect(url_for("people.admin_charter"))
