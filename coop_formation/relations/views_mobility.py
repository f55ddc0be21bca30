"""Mobility and reconversion wishes: the member's own pages and the chosen readers' page.

The routes live on the relations blueprint; the behaviour and its privacy guarantee are in
:mod:`coop_formation.people.mobility`.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.people import mobility
from coop_formation.people.models import MobilityWish
from coop_formation.relations.forms import HORIZON_LABELS, EmptyForm, MobilityWishForm, choices
from coop_formation.relations.views import ResponseLike, bp


def _actor():  # type: ignore[no-untyped-def]
    return current_user._get_current_object()


def _form(actor, wish: MobilityWish | None = None) -> MobilityWishForm:  # type: ignore[no-untyped-def]
    if request.method == "GET" and wish is not None:
        form = MobilityWishForm(
            formdata=None,
            title=wish.title,
            text=wish.text,
            horizon=wish.horizon.value,
            reader_ids=[row.reader_id for row in wish.readers],
        )
    else:
        form = MobilityWishForm()
    form.reader_ids.choices = choices(
        [
            (member.id, _reader_label(member))
            for member in mobility.possible_readers(db.session, actor)
        ]
    )
    return form


def _reader_label(member) -> str:  # type: ignore[no-untyped-def]
    role = _("correspondant formation") if member.is_correspondent else _("club RH")
    return f"{member.display_name} ({role})"


def _save(actor, form: MobilityWishForm, wish_id: int | None) -> str | None:  # type: ignore[no-untyped-def]
    """Create or update from the form; returns an error message, or None once committed."""
    try:
        if not form.validate_on_submit():
            raise InvalidInput(_("Vérifiez le formulaire."))
        values = {
            "title": form.title.data or "",
            "text": form.text.data or "",
            "horizon": form.horizon.data or "",
            "reader_ids": form.reader_ids.data or [],
        }
        if wish_id is None:
            mobility.create_wish(db.session, actor, **values)
        else:
            mobility.update_wish(db.session, actor, wish_id, **values)
    except InvalidInput as exc:
        db.session.rollback()
        return exc.message
    db.session.commit()
    return None


@bp.route("/me/mobilite", methods=["GET", "POST"])
@login_required
def my_mobility() -> ResponseLike:
    actor = _actor()
    form = _form(actor)
    error = None
    if request.method == "POST":
        error = _save(actor, form, None)
        if error is None:
            flash(_("Votre souhait est enregistré."), "success")
            return redirect(url_for("relations.my_mobility"))
    return render_template(
        "people/mobility_list.html",
        wishes=mobility.my_wishes(db.session, actor),
        form=form,
        horizons=HORIZON_LABELS,
        delete_form=EmptyForm(formdata=None),
        error=error,
    ), (422 if error else 200)


@bp.route("/me/mobilite/<int:wish_id>", methods=["GET", "POST"])
@login_required
def edit_mobility_wish(wish_id: int) -> ResponseLike:
    actor = _actor()
    wish = mobility.get_own_wish(db.session, actor, wish_id)
    form = _form(actor, wish)
    error = None
    if request.method == "POST":
        error = _save(actor, form, wish.id)
        if error is None:
            flash(_("Votre souhait est mis à jour."), "success")
            return redirect(url_for("relations.my_mobility"))
    return render_template("people/mobility_edit.html", wish=wish, form=form, error=error), (
        422 if error else 200
    )


@bp.post("/me/mobilite/<int:wish_id>/supprimer")
@login_required
def delete_mobility_wish(wish_id: int) -> WerkzeugResponse:
    if not EmptyForm().validate_on_submit():
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    mobility.delete_wish(db.session, _actor(), wish_id)
    db.session.commit()
    flash(_("Votre souhait est supprimé."), "success")
    return redirect(url_for("relations.my_mobility"))


@bp.get("/mobilite/partagees")
@login_required
def shared_mobility() -> str:
    return render_template(
        "people/mobility_shared.html",
        wishes=mobility.wishes_shared_with(db.session, _actor()),
        horizons=HORIZON_LABELS,
    )
