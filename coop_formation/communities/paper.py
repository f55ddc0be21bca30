"""Paper parity: the printable catalogue and blank need/offer forms (same blueprint).

The blank forms are built from the web forms themselves (``NeedForm``, ``OfferForm``), so
the paper always asks for the same fields a correspondent will transcribe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from coop_formation.communities import bp
from coop_formation.communities import catalogue as catalogue_service
from coop_formation.db import utcnow
from coop_formation.exchange.forms import NeedForm, OfferForm
from coop_formation.extensions import db
from coop_formation.web import acting_member


@dataclass
class PaperField:
    """One question of a blank form: how to answer it on paper."""

    name: str
    label: str
    kind: str  # "line", "lines", "choices", "check", "date", "number"
    choices: list[str] = field(default_factory=list)
    lines: int = 1
    hint: str = ""


_HINTS: dict[str, Any] = {
    "skill_ids": _l("Écrivez-les avec vos mots ; le correspondant les retrouvera dans la liste."),
    "anonymous": _l(
        "Si vous cochez cette case, personne d'autre que vous ne saura qui a écrit ce besoin."
    ),
    "venue_id": _l("Un tiers-lieu de la grappe, ou laissez vide."),
    "availability": _l("Jours, moments de la journée, période de l'année."),
}


def _choice_labels(choices: Any) -> list[str]:
    """The labels of a select's choices, whether given as tuples or ``SelectChoice``."""
    if isinstance(choices, dict):
        choices = [choice for group in choices.values() for choice in group]
    return [str(SelectChoice.from_input(choice).label) for choice in choices or []]


def paper_fields(form: FlaskForm) -> list[PaperField]:
    """Turn a web form's fields into questions to answer with a pen."""
    result: list[PaperField] = []
    for f in form:
        if f.name == "csrf_token" or f.type in ("HiddenField", "CSRFTokenField"):
            continue
        label = str(f.label.text)
        hint = str(_HINTS.get(f.name, ""))
        if f.type == "SkillsField" or f.name == "venue_id":
            result.append(PaperField(f.name, label, "lines", lines=2, hint=hint))
        elif f.type in ("SelectField", "RadioField"):
            result.append(
                PaperField(f.name, label, "choices", _choice_labels(f.choices), hint=hint)
            )
        elif f.type == "BooleanField":
            result.append(PaperField(f.name, label, "check", hint=hint))
        elif f.type == "FrenchDateField":
            result.append(PaperField(f.name, label, "date", hint=hint))
        elif f.type in ("FrenchIntegerField", "FrenchDecimalField"):
            result.append(PaperField(f.name, label, "number", hint=hint))
        elif f.type == "TextAreaField":
            result.append(PaperField(f.name, label, "lines", lines=5, hint=hint))
        else:
            result.append(PaperField(f.name, label, "line", hint=hint))
    return result


@bp.get("/imprimer/catalogue")
@login_required
def print_catalogue() -> str:
    try:
        company_id = int(request.args.get("entreprise", "")) or None
    except ValueError:
        company_id = None
    actor = acting_member()
    data = catalogue_service.catalogue(db.session, actor, company_id)
    return render_template(
        "communities/print_catalogue.html",
        catalogue=data,
        companies=catalogue_service.companies_of_cluster(db.session, actor),
    )


@bp.get("/imprimer/formulaires/besoin")
@login_required
def print_need_form() -> str:
    form = NeedForm(formdata=None, meta={"csrf": False})
    return render_template(
        "communities/print_form.html", kind="need", fields=paper_fields(form), now=utcnow()
    )


@bp.get("/imprimer/formulaires/offre")
@login_required
def print_offer_form() -> str:
    form = OfferForm(formdata=None, meta={"csrf": False})
    return render_template(
        "communities/print_form.html", kind="offer", fields=paper_fields(form), now=utcnow()
    )
