"""Forms of the club pages (French messages)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class ClubFilterForm(FlaskForm):
    """Period and company group of the HR club aggregates (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    start = DateField(_l("Du (inclus)"), validators=[Optional()])
    end = DateField(_l("Au (inclus)"), validators=[Optional()])
    companies = SelectMultipleField(
        _l("Groupe d'entreprises"), coerce=int, validators=[Optional()], validate_choice=False
    )


class CompanyChoiceForm(FlaskForm):
    class Meta:
        csrf = False

    entreprise = SelectField(_l("Entreprise"), coerce=int, validate_choice=False)


class PooledTrainingForm(FlaskForm):
    provider = StringField(
        _l("Organisme de formation"),
        validators=[DataRequired(_l("Indiquez l'organisme.")), Length(max=200)],
    )
    title = StringField(
        _l("Intitulé"), validators=[DataRequired(_l("Indiquez l'intitulé.")), Length(max=200)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    price = StringField(
        _l("Prix total en euros"), validators=[DataRequired(_l("Indiquez le prix."))]
    )
    seats = IntegerField(
        _l("Nombre de places"),
        validators=[
            InputRequired(_l("Indiquez un nombre de places.")),
            NumberRange(min=1, max=1000, message=_l("Entre 1 et 1000 places.")),
        ],
    )
    deadline = DateField(
        _l("Date limite d'inscription"),
        validators=[InputRequired(_l("Indiquez une date valide."))],
    )


class SeatsForm(FlaskForm):
    company_id = SelectField(_l("Entreprise"), coerce=int, validate_choice=False)
    seats = IntegerField(
        _l("Places réservées (0 pour se retirer)"),
        validators=[
            InputRequired(_l("Indiquez un nombre de places.")),
            NumberRange(min=0, max=1000, message=_l("Entre 0 et 1000 places.")),
        ],
    )
