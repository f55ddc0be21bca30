"""Community pages: list, create, join/leave, threads, resources, linked sessions, agenda.

Each handler parses the request, calls one service, commits once, then renders or
redirects. Permissions are decided in the services (404 outside the cluster, 403 for a
non-member who tries to write). Printable pages live in ``paper.py`` on this blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from coop_formation.communities import resources, services, uploads
from coop_formation.communities.forms import (
    CommunityForm,
    ConfirmForm,
    DocumentForm,
    LinkForm,
    LinkSessionForm,
    PostForm,
    ReplyForm,
)
from coop_formation.communities.models import ResourceKind
from coop_formation.errors import Conflict, InvalidInput, NotFound
from coop_formation.exchange import services as exchange
from coop_formation.extensions import db

bp = Blueprint("communities", __name__, template_folder="templates")

# The whole request may carry a file of up to 5 MB plus the other fields: a little room
# above the file limit so that a slightly too large file gets the form's French message
# (beyond that, the app's 413 page, also in French). Set before CSRF reads the body.
_UPLOAD_REQUEST_LIMIT = uploads.MAX_UPLOAD_BYTES + 256 * 1024


@bp.url_value_preprocessor
def _raise_upload_limit(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if endpoint == "communities.add_document":
        request.max_content_length = _UPLOAD_REQUEST_LIMIT


def _int_arg(name: str) -> int | None:
    try:
        value = int(request.args.get(name, ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _attach(form: FlaskForm, error: InvalidInput) -> None:
    """Show a service error on its field (or on the form when it has none)."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        flash(error.message, "error")


def _community_form(form: CommunityForm) -> CommunityForm:
    form.skill_ids.choices = dict(exchange.skill_choices(db.session))
    return form


def _community_data(form: CommunityForm) -> services.CommunityData:
    return services.CommunityData(
        name=form.name.data or "",
        description=form.description.data or "",
        skill_ids=list(form.skill_ids.data or []),
    )


# communities ------------------------------------------------------------------------------


@bp.get("/communautes")
@login_required
def list_communities() -> str:
    q = request.args.get("q", "").strip()[:200]
    skill_id = _int_arg("competence")
    communities, mine = services.list_communities(db.session, current_user, q, skill_id)
    return render_template(
        "communities/list.html",
        communities=communities,
        mine=mine,
        q=q,
        skill_id=skill_id,
        skill_groups=exchange.skill_choices(db.session),
    )


@bp.route("/communautes/nouvelle", methods=["GET", "POST"])
@login_required
def new_community() -> Any:
    form = _community_form(CommunityForm())
    if form.validate_on_submit():
        try:
            community = services.create_community(db.session, current_user, _community_data(form))
        except InvalidInput as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(
                _("La communauté est créée. Vous en êtes l'animateur ou l'animatrice."), "success"
            )
            return redirect(url_for(".show_community", community_id=community.id))
        return render_template("communities/form.html", form=form, community=None), 422
    return render_template("communities/form.html", form=form, community=None)


@bp.route("/communautes/<int:community_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_community(community_id: int) -> Any:
    community, _membership = services.get_community(
        db.session, current_user, community_id, services.perm.COMMUNITY_MODERATE
    )
    form = _community_form(CommunityForm(obj=community))
    if request.method == "GET":
        form.skill_ids.data = [skill.id for skill in community.skills]
    if form.validate_on_submit():
        try:
            services.update_community(db.session, current_user, community_id, _community_data(form))
        except InvalidInput as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("Modifications enregistrées."), "success")
            return redirect(url_for(".show_community", community_id=community_id))
        return render_template("communities/form.html", form=form, community=community), 422
    return render_template("communities/form.html", form=form, community=community)


def _render_community(
    community_id: int, post_form: PostForm | None = None, status: int = 200
) -> tuple[str, int]:
    view = services.community_page(
        db.session, current_user, community_id, page=_int_arg("page") or 1
    )
    link_form = LinkSessionForm()
    linkable = services.linkable_sessions(db.session, current_user, community_id)
    link_form.session_id.choices = [(s.id, s.title) for s in linkable]
    html = render_template(
        "communities/show.html",
        view=view,
        community=view.community,
        post_form=post_form or PostForm(formdata=None),
        reply_form=ReplyForm(formdata=None),
        link_form=link_form,
        linkable=linkable,
        resources=resources.community_resources(db.session, current_user, community_id),
        confirm=ConfirmForm(),
    )
    return html, status


@bp.get("/communautes/<int:community_id>")
@login_required
def show_community(community_id: int) -> tuple[str, int]:
    return _render_community(community_id)


@bp.post("/communautes/<int:community_id>/rejoindre")
@login_required
def join(community_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        services.join_community(db.session, current_user, community_id)
        db.session.commit()
        flash(_("Vous avez rejoint la communauté."), "success")
    return redirect(url_for(".show_community", community_id=community_id))


@bp.post("/communautes/<int:community_id>/quitter")
@login_required
def leave(community_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        services.leave_community(db.session, current_user, community_id)
        db.session.commit()
        flash(_("Vous avez quitté la communauté."), "success")
    return redirect(url_for(".show_community", community_id=community_id))


@bp.get("/communautes/<int:community_id>/membres")
@login_required
def members(community_id: int) -> str:
    people = services.list_members(db.session, current_user, community_id)
    community, _membership = services.get_community(db.session, current_user, community_id)
    return render_template("communities/members.html", community=community, people=people)


# posts --------------------------------------------------------------------------------------


@bp.post("/communautes/<int:community_id>/messages")
@login_required
def add_post(community_id: int) -> Any:
    form = PostForm()
    parent_id = int(form.parent_id.data) if (form.parent_id.data or "").isdigit() else None
    if form.validate_on_submit():
        try:
            post = services.add_post(
                db.session, current_user, community_id, form.body.data or "", parent_id
            )
        except InvalidInput as exc:
            db.session.rollback()
            if parent_id is None:
                _attach(form, exc)
                return _render_community(community_id, post_form=form, status=422)
            flash(exc.message, "error")
            return redirect(url_for(".show_community", community_id=community_id))
        db.session.commit()
        anchor = f"message-{post.parent_id or post.id}"
        return redirect(url_for(".show_community", community_id=community_id, _anchor=anchor))
    return _render_community(community_id, post_form=form, status=422)


@bp.route(
    "/communautes/<int:community_id>/messages/<int:post_id>/modifier", methods=["GET", "POST"]
)
@login_required
def edit_post(community_id: int, post_id: int) -> Any:
    post = services.get_post_for_edit(db.session, current_user, community_id, post_id)
    community, _membership = services.get_community(db.session, current_user, community_id)
    form = PostForm(obj=post)
    if form.validate_on_submit():
        try:
            services.edit_post(
                db.session, current_user, community_id, post_id, form.body.data or ""
            )
        except InvalidInput as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("Message modifié."), "success")
            return redirect(
                url_for(
                    ".show_community",
                    community_id=community_id,
                    _anchor=f"message-{post.parent_id or post.id}",
                )
            )
        return render_template(
            "communities/post_edit.html", form=form, community=community, post=post
        ), 422
    return render_template("communities/post_edit.html", form=form, community=community, post=post)


@bp.post("/communautes/<int:community_id>/messages/<int:post_id>/supprimer")
@login_required
def delete_post(community_id: int, post_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        services.delete_post(db.session, current_user, community_id, post_id)
        db.session.commit()
        flash(_("Message supprimé."), "success")
    return redirect(url_for(".show_community", community_id=community_id))


@bp.post("/communautes/<int:community_id>/messages/<int:post_id>/masquer")
@login_required
def hide_post(community_id: int, post_id: int) -> Response:
    hidden = request.form.get("hidden", "1") == "1"
    if ConfirmForm().validate_on_submit():
        services.set_post_hidden(db.session, current_user, community_id, post_id, hidden)
        db.session.commit()
        flash(_("Message masqué.") if hidden else _("Message de nouveau visible."), "success")
    return redirect(url_for(".show_community", community_id=community_id))


# sessions -----------------------------------------------------------------------------------


@bp.post("/communautes/<int:community_id>/sessions")
@login_required
def link_session(community_id: int) -> Response:
    form = LinkSessionForm()
    if form.validate_on_submit():
        if not form.session_id.data or form.session_id.data < 0:
            flash(_("Choisissez une session."), "error")
        else:
            try:
                services.link_session(db.session, current_user, community_id, form.session_id.data)
            except Conflict as exc:
                db.session.rollback()
                flash(exc.message or _("Cette session est déjà reliée."), "error")
            else:
                db.session.commit()
                flash(_("La session apparaît maintenant dans la communauté."), "success")
    return redirect(url_for(".show_community", community_id=community_id, _anchor="sessions"))


@bp.post("/communautes/<int:community_id>/sessions/<int:session_id>/retirer")
@login_required
def unlink_session(community_id: int, session_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        services.unlink_session(db.session, current_user, community_id, session_id)
        db.session.commit()
        flash(_("La session n'est plus reliée à la communauté."), "success")
    return redirect(url_for(".show_community", community_id=community_id, _anchor="sessions"))


@bp.get("/communautes/agenda")
@login_required
def agenda() -> str:
    return render_template(
        "communities/agenda.html", entries=services.cluster_agenda(db.session, current_user)
    )


# resources ----------------------------------------------------------------------------------


def _render_share(
    community_id: int,
    link_form: LinkForm | None = None,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    community, _membership = services.get_community(
        db.session, current_user, community_id, services.perm.COMMUNITY_SHARE
    )
    html = render_template(
        "communities/share.html",
        community=community,
        link_form=link_form or LinkForm(formdata=None),
        document_form=document_form or DocumentForm(formdata=None),
        accepted=", ".join(sorted({ext.upper() for ext in uploads.ALLOWED_TYPES} - {"JPEG"})),
    )
    return html, status


@bp.get("/communautes/<int:community_id>/partager")
@login_required
def share(community_id: int) -> tuple[str, int]:
    return _render_share(community_id)


@bp.post("/communautes/<int:community_id>/ressources/lien")
@login_required
def add_link(community_id: int) -> Any:
    form = LinkForm()
    if form.validate_on_submit():
        data = resources.ResourceData(form.title.data or "", form.description.data or "")
        try:
            resources.add_link(db.session, current_user, community_id, data, form.url.data or "")
        except InvalidInput as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("Le lien est partagé."), "success")
            return redirect(
                url_for(".show_community", community_id=community_id, _anchor="ressources")
            )
    return _render_share(community_id, link_form=form, status=422)


@bp.post("/communautes/<int:community_id>/ressources/document")
@login_required
def add_document(community_id: int) -> Any:
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.document.data
        data = resources.ResourceData(form.title.data or "", form.description.data or "")
        try:
            if upload is None or not getattr(upload, "filename", ""):
                raise InvalidInput(_("Choisissez un fichier."), field="document")
            # Read one byte more than allowed: enough to know the file is too large.
            content = upload.stream.read(uploads.MAX_UPLOAD_BYTES + 1)
            resources.add_document(
                db.session,
                current_user,
                community_id,
                data,
                filename=upload.filename,
                content=content,
                instance_path=current_app.instance_path,
            )
        except InvalidInput as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            db.session.commit()
            flash(_("Le document est partagé."), "success")
            return redirect(
                url_for(".show_community", community_id=community_id, _anchor="ressources")
            )
    return _render_share(community_id, document_form=form, status=422)


@bp.post("/communautes/<int:community_id>/ressources/<int:resource_id>/supprimer")
@login_required
def delete_resource(community_id: int, resource_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        key = resources.delete_resource(db.session, current_user, community_id, resource_id)
        db.session.commit()
        if key:
            uploads.remove(current_app.instance_path, key)
        flash(_("La ressource est retirée."), "success")
    return redirect(url_for(".show_community", community_id=community_id, _anchor="ressources"))


@bp.get("/communautes/documents/<int:resource_id>")
@login_required
def download(resource_id: int) -> Response:
    resource = resources.document_for_download(db.session, current_user, resource_id)
    try:
        path = uploads.path_of(current_app.instance_path, resource.storage_key or "")
    except ValueError:
        path = None
    if path is None or not path.is_file():
        raise NotFound()
    response = send_file(
        path,
        mimetype=resource.content_type,
        as_attachment=True,
        download_name=resource.filename or "document",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/communautes/ressources")
@login_required
def library() -> str:
    q = request.args.get("q", "").strip()[:200]
    kind_arg = request.args.get("type", "")
    kind = ResourceKind(kind_arg) if kind_arg in ResourceKind._value2member_map_ else None
    items = resources.search_resources(db.session, current_user, q, kind)
    return render_template("communities/library.html", items=items, q=q, kind=kind)


from coop_formation.communities import paper  # noqa: E402,F401  (registers /imprimer routes)
