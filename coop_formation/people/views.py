"""People views: sign-in and one-time links, the charter and its gate.

The data export and account closure live in ``views_profile``, management pages in
``views_admin``; the profile form and the member page (which show declared skills) are
the exchange's (``exchange/profile_views.py``). All add their routes to ``people.bp``.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from coop_formation.extensions import db, limiter
from coop_formation.people import accounts, bp, charters
from coop_formation.people import views_admin as _views_admin  # noqa: F401  (routes on bp)
from coop_formation.people import views_profile as _views_profile  # noqa: F401  (routes on bp)
from coop_formation.people.forms import EmptyForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from coop_formation.people.mails import deliver
from coop_formation.people.models import Member, TokenPurpose
from coop_formation.people.rules import hr_club_only
from coop_formation.web import (
    acting_member,
    acting_member_or_none,
    perform,
    post_action,
    safe_next,
    submit_form,
)

__all__ = ["CHARTER_EXEMPT_ENDPOINTS", "bp"]

# Pages a member who has not accepted the current charter may still reach.
CHARTER_EXEMPT_ENDPOINTS = frozenset(
    {
        "static",
        "people.charter",
        "people.accept_charter",
        "people.logout",
        "people.export_data",
        "people.close_account",
        "site.set_language",
        "site.health",
    }
)


def _login_rate_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.before_app_request
def require_current_charter() -> Response | None:
    """Send a signed-in member to the charter until they accepted its latest version."""
    if request.endpoint is None or request.endpoint in CHARTER_EXEMPT_ENDPOINTS:
        return None
    if request.path.startswith(("/api/", "/ims/")):
        return None  # API clients authenticate with tokens and cannot read a web page
    viewer = acting_member_or_none()
    if viewer is None:
        return None
    if charters.pending_charter(db.session, viewer) is None:
        return None
    target = request.full_path if request.method == "GET" else "/"
    return redirect(url_for("people.accept_charter", next=target.rstrip("?")))


# The HR role adds aggregates only --------------------------------------------------------

# Rooms whose pages name individuals (needs, offers, sessions, badges, introductions,
# communities, suggestions): an HR-club-only account (no company) reaches none of them.
# Needs and offers (exchange) are closed by their rules and list scopes instead.
HR_CLUB_ONLY_CLOSED_ROOMS = frozenset(
    {"training", "recognition", "matching", "relations", "communities"}
)
# Lists of named needs and offers (their detail pages are closed by the exchange's rules).
HR_CLUB_ONLY_CLOSED_ENDPOINTS = frozenset(
    {"people.member_page", "exchange.list_needs", "exchange.list_offers"}
)
# Inside those rooms, the wishes a member explicitly chose to share with an HR contact.
HR_CLUB_ONLY_OPEN_ENDPOINTS = frozenset({"relations.shared_mobility"})


@bp.before_app_request
def hr_club_reads_aggregates_only() -> Response | None:
    """403/404 for an HR-club-only account on every page that names a member (rules say 403/404
    too; this closes the rooms as a whole, lists and pages alike). Its home is the club's
    page (the members' home lists recent needs and offers)."""
    endpoint = request.endpoint or ""
    if endpoint == "site.home" and hr_club_only(acting_member_or_none()):
        return redirect(url_for("club.index"))
    room = endpoint.split(".", 1)[0]
    if room not in HR_CLUB_ONLY_CLOSED_ROOMS and endpoint not in HR_CLUB_ONLY_CLOSED_ENDPOINTS:
        return None
    if endpoint in HR_CLUB_ONLY_OPEN_ENDPOINTS:
        return None
    if hr_club_only(acting_member_or_none()):
        # The badge catalogue answers every non-manager 403; elsewhere the page is hidden.
        abort(403 if room == "recognition" else 404)
    return None


# Sign-in and sign-out -----------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login() -> Response | tuple[str, int] | str:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        if acting_member_or_none() is not None:
            return redirect(safe_next(form.next.data))
        return render_template("people/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("people/login.html", form=form), 422
    email, password = form.email.data or "", form.password.data or ""
    member = perform(lambda: accounts.authenticate(db.session, email, password))
    if member is None:
        return render_template(
            "people/login.html",
            form=form,
            login_error=_("Adresse e-mail ou mot de passe incorrect."),
        ), 200
    lang = session.get("lang")
    session.clear()  # a fresh session for the signed-in member (no fixation of earlier state)
    if lang:
        session["lang"] = lang
    login_user(member)
    return redirect(safe_next(form.next.data or request.args.get("next")))


@bp.post("/logout")
def logout() -> Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("La déconnexion n'a pas pu être confirmée. Réessayez."), "error")
        return redirect(url_for("site.home"))
    member = acting_member_or_none()
    if member is not None:
        perform(lambda: accounts.end_session(db.session, member))
    logout_user()
    session.clear()
    flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("people.login"))


# Password reset and invitations ------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def forgot_password() -> Response | str | tuple[str, int]:
    form = ForgotPasswordForm()
    if request.method == "GET":
        return render_template("people/forgot.html", form=form)
    if not form.validate_on_submit():
        return render_template("people/forgot.html", form=form), 422
    email = form.email.data or ""
    mail = perform(lambda: accounts.request_password_reset(db.session, email))
    if mail is not None:
        deliver([mail])
    flash(
        _(
            "Si un compte correspond à cette adresse, un lien pour changer le mot de passe "
            "vient d'y être envoyé. Il est valable %(minutes)s minutes.",
            minutes=current_app.config["RESET_TOKEN_MINUTES"],
        ),
        "info",
    )
    return redirect(url_for("people.login"))


def _new_password_page(token: str, purpose: TokenPurpose) -> Response | str | tuple[str, int]:
    is_invitation = purpose is TokenPurpose.INVITATION
    row = accounts.find_valid_token(db.session, token, purpose)
    form = NewPasswordForm()
    use = accounts.accept_invitation if is_invitation else accounts.reset_password

    def signed_in(member: Member) -> Response:
        session.clear()
        login_user(member)
        if is_invitation:
            flash(_("Bienvenue ! Votre compte est activé."), "success")
        else:
            flash(_("Votre mot de passe est changé. Vos autres sessions sont fermées."), "success")
        return redirect(url_for("site.home"))

    return submit_form(
        form,
        lambda: use(db.session, token, form.password.data or "", form.confirm.data or ""),
        done=signed_in,
        template="people/new_password.html",
        is_invitation=is_invitation,
        member_name=row.member.display_name,
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    return _new_password_page(token, TokenPurpose.PASSWORD_RESET)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response | str | tuple[str, int]:
    return _new_password_page(token, TokenPurpose.INVITATION)


# Charter ------------------------------------------------------------------------------------


@bp.get("/charte")
def charter() -> str:
    viewer = acting_member_or_none()
    current = charters.get_charter_for(db.session, viewer)
    pending = viewer is not None and charters.pending_charter(db.session, viewer) is not None
    return render_template("people/charter.html", charter=current, pending=pending)


@bp.route("/charte/accepter", methods=["GET", "POST"])
@login_required
def accept_charter() -> Response | str:
    actor = acting_member()
    next_url = safe_next(request.values.get("next"))
    pending = charters.pending_charter(db.session, actor)
    if pending is None:
        return redirect(next_url)
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        charter_id = request.form.get("charter_id", type=int) or 0
        return post_action(
            lambda: charters.accept_charter(db.session, actor, charter_id),
            success=_("Merci : votre acceptation de la charte est enregistrée."),
            next_url=next_url,
            failure_url=url_for("people.accept_charter", next=next_url),
        )
    return render_template("people/charter_accept.html", charter=pending, form=form, next=next_url)
