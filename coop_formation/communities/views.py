"""Community pages: list, create, join/leave, threads, resources, linked sessions, agenda.

Each handler parses the request, runs one service through the web layer (one
transaction), then renders or redirects. Permissions are decided by the registry
(:mod:`coop_formation.communities.rules`): 404 outside the cluster, 403 for a non-member
who tries to write. Printable pages live in :mod:`.paper`, on the same blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from coop_formation.authz import Permission
from coop_formation.communities import bp, resources, services, uploads
from coop_formation.communities import paper as _paper  # noqa: F401  (the /imprimer routes)
from coop_formation.communities.forms import (
    CommunityForm,
    ConfirmForm,
    DocumentForm,
    LinkForm,
    LinkSessionForm,
    PostForm,
    ReplyForm,
)
from coop_formation.communities.models import CommunityPost, ResourceKind
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.exchange import services as exchange
from coop_formation.extensions import db
from coop_formation.web import acting_member, perform, post_action, submit_form

__all__ = ["bp"]

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


def _community_form(form: CommunityForm) -> CommunityForm:
    form.skill_ids.choices = {
        group: [SelectChoice.from_input(item) for item in items]
        for group, items in exchange.skill_choices(db.session)
    }
    return form


def _community_data(form: CommunityForm) -> services.CommunityData:
    return services.CommunityData(
        name=form.name.data or "",
        description=form.description.data or "",
        skill_ids=list(form.skill_ids.data or []),
    )


def _community_url(community_id: int, anchor: str | None = None) -> str:
    return url_for(".show_community", community_id=community_id, _anchor=anchor)


# communities ------------------------------------------------------------------------------


@bp.get("/communautes")
@login_required
def list_communities() -> str:
    q = request.args.get("q", "").strip()[:200]
    skill_id = _int_arg("competence")
    communities, mine = services.list_communities(db.session, acting_member(), q, skill_id)
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
    return submit_form(
        form,
        lambda: services.create_community(db.session, acting_member(), _community_data(form)),
        done=lambda community: (
            _("La communauté est créée. Vous en êtes l'animateur ou l'animatrice."),
            _community_url(community.id),
        ),
        template="communities/form.html",
        community=None,
    )


@bp.route("/communautes/<int:community_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_community(community_id: int) -> Any:
    community, _membership = services.get_community(
        db.session, acting_member(), community_id, Permission.COMMUNITY_MODERATE
    )
    form = _community_form(CommunityForm(obj=community))
    if request.method == "GET":
        form.skill_ids.data = [skill.id for skill in community.skills]
    return submit_form(
        form,
        lambda: services.update_community(
            db.session, acting_member(), community_id, _community_data(form)
        ),
        done=lambda _community: (_("Modifications enregistrées."), _community_url(community_id)),
        template="communities/form.html",
        community=community,
    )


def _community_page(community_id: int, post_form: PostForm) -> dict[str, Any]:
    """What ``communities/show.html`` needs, with ``post_form`` as the new-message form."""
    actor = acting_member()
    view = services.community_page(db.session, actor, community_id, page=_int_arg("page") or 1)
    link_form = LinkSessionForm()
    linkable = services.linkable_sessions(db.session, actor, community_id)
    link_form.session_id.choices = [SelectChoice(s.id, s.title) for s in linkable]
    return {
        "view": view,
        "community": view.community,
        "post_form": post_form,
        "reply_form": ReplyForm(formdata=None),
        "link_form": link_form,
        "linkable": linkable,
        "resources": resources.community_resources(db.session, actor, community_id),
        "confirm": ConfirmForm(),
    }


@bp.get("/communautes/<int:community_id>")
@login_required
def show_community(community_id: int) -> str:
    return render_template(
        "communities/show.html", **_community_page(community_id, PostForm(formdata=None))
    )


@bp.post("/communautes/<int:community_id>/rejoindre")
@login_required
def join(community_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        return redirect(_community_url(community_id))
    return post_action(
        lambda: services.join_community(db.session, acting_member(), community_id),
        success=_("Vous avez rejoint la communauté."),
        next_url=_community_url(community_id),
    )


@bp.post("/communautes/<int:community_id>/quitter")
@login_required
def leave(community_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        return redirect(_community_url(community_id))
    return post_action(
        lambda: services.leave_community(db.session, acting_member(), community_id),
        success=_("Vous avez quitté la communauté."),
        next_url=_community_url(community_id),
    )


@bp.get("/communautes/<int:community_id>/membres")
@login_required
def members(community_id: int) -> str:
    actor = acting_member()
    people = services.list_members(db.session, actor, community_id)
    community, _membership = services.get_community(db.session, actor, community_id)
    return render_template("communities/members.html", community=community, people=people)


# posts --------------------------------------------------------------------------------------


def _thread_url(community_id: int, post: CommunityPost) -> str:
    return _community_url(community_id, f"message-{post.parent_id or post.id}")


@bp.post("/communautes/<int:community_id>/messages")
@login_required
def add_post(community_id: int) -> Any:
    form = PostForm()
    parent_id = int(form.parent_id.data) if (form.parent_id.data or "").isdigit() else None

    def publish() -> CommunityPost:
        return services.add_post(
            db.session, acting_member(), community_id, form.body.data or "", parent_id
        )

    if parent_id is not None and form.validate_on_submit():
        # A reply has no form of its own on the page: a refused one is flashed.
        return post_action(
            publish,
            success=None,
            next_url=lambda post: _thread_url(community_id, post),
            failure_url=_community_url(community_id),
        )
    return submit_form(
        form,
        publish,
        done=lambda post: ("", _thread_url(community_id, post)),
        template="communities/show.html",
        **_community_page(community_id, form),
    )


@bp.route(
    "/communautes/<int:community_id>/messages/<int:post_id>/modifier", methods=["GET", "POST"]
)
@login_required
def edit_post(community_id: int, post_id: int) -> Any:
    actor = acting_member()
    post = services.get_post_for_edit(db.session, actor, community_id, post_id)
    community, _membership = services.get_community(db.session, actor, community_id)
    form = PostForm(obj=post)
    return submit_form(
        form,
        lambda: services.edit_post(
            db.session, acting_member(), community_id, post_id, form.body.data or ""
        ),
        done=lambda edited: (_("Message modifié."), _thread_url(community_id, edited)),
        template="communities/post_edit.html",
        community=community,
        post=post,
    )


@bp.post("/communautes/<int:community_id>/messages/<int:post_id>/supprimer")
@login_required
def delete_post(community_id: int, post_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        return redirect(_community_url(community_id))
    return post_action(
        lambda: services.delete_post(db.session, acting_member(), community_id, post_id),
        success=_("Message supprimé."),
        next_url=_community_url(community_id),
    )


@bp.post("/communautes/<int:community_id>/messages/<int:post_id>/masquer")
@login_required
def hide_post(community_id: int, post_id: int) -> Response:
    hidden = request.form.get("hidden", "1") == "1"
    if not ConfirmForm().validate_on_submit():
        return redirect(_community_url(community_id))
    return post_action(
        lambda: services.set_post_hidden(
            db.session, acting_member(), community_id, post_id, hidden
        ),
        success=_("Message masqué.") if hidden else _("Message de nouveau visible."),
        next_url=_community_url(community_id),
    )


# sessions -----------------------------------------------------------------------------------


@bp.post("/communautes/<int:community_id>/sessions")
@login_required
def link_session(community_id: int) -> Response:
    form = LinkSessionForm()
    sessions_url = _community_url(community_id, "sessions")
    if not form.validate_on_submit():
        return redirect(sessions_url)
    session_id = form.session_id.data
    if not session_id or session_id < 0:
        flash(_("Choisissez une session."), "error")
        return redirect(sessions_url)
    return post_action(
        lambda: services.link_session(db.session, acting_member(), community_id, session_id),
        success=_("La session apparaît maintenant dans la communauté."),
        next_url=sessions_url,
    )


@bp.post("/communautes/<int:community_id>/sessions/<int:session_id>/retirer")
@login_required
def unlink_session(community_id: int, session_id: int) -> Response:
    sessions_url = _community_url(community_id, "sessions")
    if not ConfirmForm().validate_on_submit():
        return redirect(sessions_url)
    return post_action(
        lambda: services.unlink_session(db.session, acting_member(), community_id, session_id),
        success=_("La session n'est plus reliée à la communauté."),
        next_url=sessions_url,
    )


@bp.get("/communautes/agenda")
@login_required
def agenda() -> str:
    return render_template(
        "communities/agenda.html", entries=services.cluster_agenda(db.session, acting_member())
    )


# resources ----------------------------------------------------------------------------------


def _share_page(
    community_id: int,
    link_form: LinkForm | None = None,
    document_form: DocumentForm | None = None,
) -> dict[str, Any]:
    """What ``communities/share.html`` needs (403 for someone who may not share here)."""
    community, _membership = services.get_community(
        db.session, acting_member(), community_id, Permission.COMMUNITY_SHARE
    )
    return {
        "community": community,
        "link_form": link_form or LinkForm(formdata=None),
        "document_form": document_form or DocumentForm(formdata=None),
        "accepted": ", ".join(sorted({ext.upper() for ext in uploads.ALLOWED_TYPES} - {"JPEG"})),
    }


@bp.get("/communautes/<int:community_id>/partager")
@login_required
def share(community_id: int) -> str:
    return render_template("communities/share.html", **_share_page(community_id))


def _shared(message: str, community_id: int) -> tuple[str, str]:
    return message, _community_url(community_id, "ressources")


@bp.post("/communautes/<int:community_id>/ressources/lien")
@login_required
def add_link(community_id: int) -> Any:
    form = LinkForm()
    data = resources.ResourceData(form.title.data or "", form.description.data or "")
    return submit_form(
        form,
        lambda: resources.add_link(
            db.session, acting_member(), community_id, data, form.url.data or ""
        ),
        done=lambda _resource: _shared(_("Le lien est partagé."), community_id),
        template="communities/share.html",
        **_share_page(community_id, link_form=form),
    )


@bp.post("/communautes/<int:community_id>/ressources/document")
@login_required
def add_document(community_id: int) -> Any:
    form = DocumentForm()
    upload = form.document.data
    data = resources.ResourceData(form.title.data or "", form.description.data or "")
    chosen = upload is not None and bool(getattr(upload, "filename", ""))
    # Read one byte more than allowed: enough to know the file is too large.
    content = upload.stream.read(uploads.MAX_UPLOAD_BYTES + 1) if chosen else b""

    def share_document() -> Any:
        if not chosen:
            raise InvalidInput(_("Choisissez un fichier."), field="document")
        return resources.add_document(
            db.session,
            acting_member(),
            community_id,
            data,
            filename=upload.filename,
            content=content,
            instance_path=current_app.instance_path,
        )

    return submit_form(
        form,
        share_document,
        done=lambda _resource: _shared(_("Le document est partagé."), community_id),
        template="communities/share.html",
        **_share_page(community_id, document_form=form),
    )


@bp.post("/communautes/<int:community_id>/ressources/<int:resource_id>/supprimer")
@login_required
def delete_resource(community_id: int, resource_id: int) -> Response:
    resources_url = _community_url(community_id, "ressources")
    if not ConfirmForm().validate_on_submit():
        return redirect(resources_url)
    key = perform(
        lambda: resources.delete_resource(db.session, acting_member(), community_id, resource_id)
    )
    if key:  # the row is gone for good: now the file may go too
        uploads.remove(current_app.instance_path, key)
    flash(_("La ressource est retirée."), "success")
    return redirect(resources_url)


@bp.get("/communautes/documents/<int:resource_id>")
@login_required
def download(resource_id: int) -> Response:
    resource = resources.document_for_download(db.session, acting_member(), resource_id)
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
    items = resources.search_resources(db.session, acting_member(), q, kind)
    return render_template("communities/library.html", items=items, q=q, kind=kind)
