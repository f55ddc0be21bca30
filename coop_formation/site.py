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
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.exchange import services as exchange
from coop_formation.extensions import db
from coop_formation.i18n import LANGUAGES
from coop_formation.people import services as people
from coop_formation.people.models import Member
from coop_formation.people.rules import hr_club_only
from coop_formation.people.views import (
    HR_CLUB_ONLY_CLOSED_ENDPOINTS,
    HR_CLUB_ONLY_CLOSED_ROOMS,
)
from coop_formation.web import acting_member_or_none, perform, safe_next

bp = Blueprint("site", __name__)

#: Menu entries shown only to whom the registry grants the permission of the page.
_GUARDED_ENTRIES: tuple[tuple[str, object, Permission], ...] = (
    ("club.dashboard", _l("Correspondant"), Permission.DASHBOARD_READ),
    ("club.index", _l("Club RH"), Permission.CLUB_READ),
    ("people.admin_members", _l("Gestion"), Permission.MANAGE_AREA),
)


def navigation_for(member: Member) -> list[tuple[str, object]]:
    """Menu entries for a signed-in member: the registry decides the guarded ones, and
    the pages themselves still ask it again."""
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
    items.extend(
        (endpoint, label)
        for endpoint, label, permission in _GUARDED_ENTRIES
        if authz.can(member, permission)
    )
    known = current_app.view_functions
    if hr_club_only(member):
        # An HR-club-only account reads aggregates only: no entry that would answer 404.
        items = [
            (endpoint, label)
            for endpoint, label in items
            if endpoint.split(".", 1)[0] not in HR_CLUB_ONLY_CLOSED_ROOMS
            and endpoint not in HR_CLUB_ONLY_CLOSED_ENDPOINTS
        ]
    return [(endpoint, label) for endpoint, label in items if endpoint in known]


@bp.app_context_processor
def inject_navigation() -> dict[str, object]:
    member = acting_member_or_none()
    return {"nav_items": navigation_for(member) if member is not None else []}


@bp.get("/")
def home() -> str:
    member = acting_member_or_none()
    if member is None:
        return render_template("site/welcome.html")
    return render_template("site/home.html", overview=exchange.home_overview(member))


@bp.get("/a-propos")
def about() -> str:
    return render_template("site/about.html")


@bp.post("/langue")
def set_language() -> WerkzeugResponse:
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
        member = acting_member_or_none()
        if member is not None:
            perform(lambda: people.set_locale(db.session, member, lang))
    return redirect(safe_next(request.form.get("next"), "/"))


@bp.get("/healthz")
def health() -> Response:
    return jsonify(status="ok")


def init_app(app: Flask) -> None:  # pragma: no cover - kept for symmetry with other modules
    app.register_blueprint(bp)
