"""Matching forms (CSRF on each)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget


class PreferenceForm(FlaskForm):
    suggest_me = BooleanField(_l("Me suggérer comme formateur ou formatrice"))
    accept_calls = BooleanField(
        _l("Recevoir les appels à la grappe qui concernent mes compétences")
    )
    availability = StringField(_l("Mes disponibilités (facultatif)"), validators=[Length(max=300)])


class PoolForm(FlaskForm):
    title = StringField(_l("Titre de la mutualisation"), validators=[Length(max=200)])
    need_ids = SelectMultipleField(
        _l("Besoins à rassembler"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token is the confirmation."""
