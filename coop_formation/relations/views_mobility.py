"""Mobility and reconversion wishes: the member's own pages and the chosen readers' page.

The routes live on the relations blueprint; the behaviour and its privacy guarantee are in
:mod:`coop_formation.people.mobility`.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from coop_formation.errors import InvalidInput
from coop_formation.extensions import db
from coop_formation.people import mobility
from coop_formation.people.models import Member, MobilityWish
from coop_formation.relations import bp
from coop_formation.relations.forms import HORIZON_LABELS, EmptyForm, MobilityWishForm, choices
from coop_formation.web import acting_member, post_action, submit_form


def _form(actor: Member, wish: MobilityWish | None = None) -> MobilityWishForm:
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


def _reader_label(member: Member) -> str:
    role = _("correspondant formation") if member.is_correspondent else _("club RH")
    return f"{member.display_name} ({role})"


def _values(form: MobilityWishForm) -> dict[str, Any]:
    return {
        "title": form.title.data or "",
        "text": form.text.data or "",
        "horizon": form.horizon.data or "",
        "reader_ids": form.reader_ids.data or [],
    }


def _to_my_mobility(message: str) -> tuple[str, str]:
    return message, url_for("relations.my_mobility")


@bp.route("/me/mobilite", methods=["GET", "POST"])
@login_required
def my_mobility() -> Any:
    actor = acting_member()
    form = _form(actor)
    return submit_form(
        form,
        lambda: mobility.create_wish(db.session, actor, **_values(form)),
        done=lambda _wish: _to_my_mobility(_("Votre souhait est enregistré.")),
        template="people/mobility_list.html",
        wishes=mobility.my_wishes(db.session, actor),
        horizons=HORIZON_LABELS,
        delete_form=EmptyForm(formdata=None),
    )


@bp.route("/me/mobilite/<int:wish_id>", methods=["GET", "POST"])
@login_required
def edit_mobility_wish(wish_id: int) -> Any:
    actor = acting_member()
    wish = mobility.get_own_wish(db.session, actor, wish_id)
    form = _form(actor, wish)
    return submit_form(
        form,
        lambda: mobility.update_wish(db.session, actor, wish.id, **_values(form)),
        done=lambda _wish: _to_my_mobility(_("Votre souhait est mis à jour.")),
        template="people/mobility_edit.html",
        wish=wish,
    )


@bp.post("/me/mobilite/<int:wish_id>/supprimer")
@login_required
def delete_mobility_wish(wish_id: int) -> WerkzeugResponse:
    if not EmptyForm().validate_on_submit():
        raise InvalidInput(_("Le formulaire a expiré. Rechargez la page et recommencez."))
    actor = acting_member()
    return post_action(
        lambda: mobility.delete_wish(db.session, actor, wish_id),
        success=_("Votre souhait est supprimé."),
        next_url=url_for("relations.my_mobility"),
    )


@bp.get("/mobilite/partagees")
@login_required
def shared_mobility() -> str:
    return render_template(
        "people/mobility_shared.html",
        wishes=mobility.wishes_shared_with(db.session, acting_member()),
        horizons=HORIZON_LABELS,
    )
