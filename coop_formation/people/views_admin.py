"""Management pages (/gestion): members and their import, companies, the charter.

Who may do what is decided by the services and ``people/rules.py``; these views parse the
request, run one service through the shared web layer and deliver mails after the commit.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.extensions import db
from coop_formation.people import bp, charters, directory, importing
from coop_formation.people.forms import CharterForm, CompanyForm, EmptyForm, ImportMembersForm
from coop_formation.people.importing import ImportReport
from coop_formation.people.mails import OutgoingMail, deliver
from coop_formation.people.models import Member
from coop_formation.web import acting_member, post_action, submit_form


def _members_context(import_form: ImportMembersForm) -> dict[str, Any]:
    actor = acting_member()
    company_id = request.args.get("company", type=int)
    page_number = request.args.get("page", 1, type=int)
    companies = directory.managed_companies(db.session, actor)
    page = directory.list_members(
        db.session, actor, company_id, page_number, int(current_app.config["PAGE_SIZE"])
    )
    return {
        "page": page,
        "companies": companies,
        "company_id": company_id,
        "import_form": import_form,
        "action_form": EmptyForm(),
        "can_appoint": lambda member: authz.can(actor, Permission.MEMBER_APPOINT, member),
    }


@bp.get("/gestion/membres")
@login_required
def admin_members() -> str:
    context = _members_context(ImportMembersForm(formdata=None))
    return render_template("people/admin_members.html", **context)


def _imported(report: ImportReport) -> tuple[str, str]:
    deliver(report.mails)
    return _(
        "Import terminé : %(created)s membre(s) créé(s), %(updated)s mis à jour, "
        "%(invited)s invitation(s) envoyée(s).",
        created=report.created,
        updated=report.updated,
        invited=report.invited,
    ), url_for("people.admin_members")


@bp.post("/gestion/membres/import")
@login_required
def import_members() -> Response | tuple[str, int]:
    actor = acting_member()
    authz.require(actor, Permission.MANAGE_AREA)
    form = ImportMembersForm()

    def run_import() -> ImportReport:
        text = importing.decode_csv(form.file.data.read())
        rows = importing.parse_members_csv(db.session, actor, actor.cluster, text)
        return importing.import_members(
            db.session, actor, actor.cluster, rows, invite=bool(form.invite.data)
        )

    return submit_form(
        form,
        run_import,
        done=_imported,
        template="people/admin_members.html",
        **_members_context(form),
    )


def _back_to_members() -> str:
    return url_for("people.admin_members", company=request.form.get("company", type=int))


@bp.post("/gestion/membres/<int:member_id>/invitation")
@login_required
def resend_invitation(member_id: int) -> Response:
    actor = acting_member()
    if not EmptyForm().validate_on_submit():
        return redirect(_back_to_members())

    def sent(mail: OutgoingMail) -> str:
        deliver([mail])
        return _("Invitation envoyée à %(email)s.", email=mail.to)

    return post_action(
        lambda: directory.resend_invitation(db.session, actor, member_id),
        success=sent,
        next_url=_back_to_members(),
    )


@bp.post("/gestion/membres/<int:member_id>/correspondant")
@login_required
def set_correspondent(member_id: int) -> Response:
    actor = acting_member()
    appoint = request.form.get("appoint") == "1"
    if not EmptyForm().validate_on_submit():
        return redirect(_back_to_members())

    def done(member: Member) -> str:
        if appoint:
            return _("%(name)s est désormais correspondant·e formation.", name=member.display_name)
        return _("%(name)s n'est plus correspondant·e formation.", name=member.display_name)

    return post_action(
        lambda: directory.set_correspondent(db.session, actor, member_id, appoint),
        success=done,
        next_url=_back_to_members(),
    )


# Companies ---------------------------------------------------------------------------------


def _companies_context() -> dict[str, Any]:
    actor = acting_member()
    companies = directory.list_companies(db.session, actor)
    return {
        "companies": companies,
        "counts": directory.member_counts(db.session, actor),
        "edit_forms": {
            company.id: CompanyForm(
                formdata=None,
                prefix=f"c{company.id}",
                name=company.name,
                headcount=company.headcount,
            )
            for company in companies
        },
    }


@bp.get("/gestion/entreprises")
@login_required
def admin_companies() -> str:
    authz.require(acting_member(), Permission.COMPANY_MANAGE)
    return render_template(
        "people/admin_companies.html", form=CompanyForm(formdata=None), **_companies_context()
    )


@bp.post("/gestion/entreprises")
@login_required
def create_company() -> Response | tuple[str, int]:
    actor = acting_member()
    authz.require(actor, Permission.COMPANY_MANAGE)
    form = CompanyForm()
    return submit_form(
        form,
        lambda: directory.create_company(
            db.session, actor, form.name.data or "", form.headcount.data
        ),
        done=lambda company: (
            _("Entreprise « %(name)s » créée.", name=company.name),
            url_for("people.admin_companies"),
        ),
        template="people/admin_companies.html",
        **_companies_context(),
    )


@bp.post("/gestion/entreprises/<int:company_id>")
@login_required
def update_company(company_id: int) -> Response:
    actor = acting_member()
    authz.require(actor, Permission.COMPANY_MANAGE)
    form = CompanyForm(prefix=f"c{company_id}")
    back = url_for("people.admin_companies")
    if not form.validate_on_submit():
        flash(_("Nom ou effectif invalide : rien n'a changé."), "error")
        return redirect(back)
    return post_action(
        lambda: directory.update_company(
            db.session, actor, company_id, form.name.data or "", form.headcount.data
        ),
        success=_("Entreprise mise à jour."),
        next_url=back,
    )


# Charter -----------------------------------------------------------------------------------


@bp.route("/gestion/charte", methods=["GET", "POST"])
@login_required
def admin_charter() -> Response | tuple[str, int] | str:
    actor = acting_member()
    authz.require(actor, Permission.CHARTER_PUBLISH)
    current = charters.current_charter(db.session, actor.cluster_id)
    if request.method == "GET":
        form = CharterForm(
            formdata=None,
            title=current.title if current else _("Charte de la coopérative"),
            body=current.body if current else "",
        )
    else:
        form = CharterForm()
    return submit_form(
        form,
        lambda: charters.publish_charter(
            db.session, actor, form.title.data or "", form.body.data or ""
        ),
        done=lambda published: (
            _("Version %(num)s publiée : chaque membre devra l'accepter.", num=published.version),
            url_for("people.admin_charter"),
        ),
        template="people/admin_charter.html",
        current=current,
    )
