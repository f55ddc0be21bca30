"""Site-wide pages: home, about, language switch, health check; navigation for the layout."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.i18n import LANGUAGES
from coop_formation.web import safe_next

bp = Blueprint("site", __name__)


def navigation_for(member: object) -> list[tuple[str, object]]:
    """Menu entries for a signed-in member; pages still check permissions themselves."""
    items: list[tuple[str, object]] = [
        ("exchange.list_needs", _l("Besoins")),
        ("exchange.list_offers", _l("Offres")),
        ("training.agenda", _l("Agenda")),
        ("ledger.wallet", _l("Portefeuille")),
        ("recognition.my_badges", _l("Badges")),
        ("communities.list_communities", _l("Communautés")),
        ("exchange.skills_tree", _l("Compétences")),
    ]
    items.append(("relations.messages", _l("Messages")))
    if getattr(member, "is_correspondent", False):
        items.append(("club.dashboard", _l("Correspondant")))
    if getattr(member, "is_hr_club", False) or getattr(member, "is_admin", False):
        items.append(("club.index", _l("Club RH")))
    if getattr(member, "is_correspondent", False) or getattr(member, "is_admin", False):
        items.append(("people.admin_members", _l("Gestion")))
    known = current_app.view_functions
    return [(endpoint, label) for endpoint, label in items if endpoint in known]


@bp.app_context_processor
def inject_navigation() -> dict[str, object]:
    if getattr(current_user, "is_authenticated", False):
        return {"nav_items": navigation_for(current_user)}
    return {"nav_items": []}


@bp.get("/")
def home() -> str:
    if not current_user.is_authenticated:
        return render_template("site/welcome.html")
    from coop_formation.exchange import services as exchange

    overview = exchange.home_overview(current_user)
    return render_template("site/home.html", overview=overview)


@bp.get("/a-propos")
def about() -> str:
    return render_template("site/about.html")


@bp.post("/langue")
def set_language() -> WerkzeugResponse:
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            from coop_formation.extensions import db
            from coop_formation.people import services as people

            people.set_locale(db.session, current_user, lang)
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), "/"))


@bp.get("/healthz")
def health() -> Response:
    return jsonify(status="ok")


def init_app(app: Flask) -> None:  # pragma: no cover - kept for symmetry with other modules
    app.register_blueprint(bp)
