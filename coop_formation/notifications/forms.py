"""Forms: preferences (one choice per kind), the cluster's working hours, read buttons."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, TimeField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from coop_formation.notifications.preferences import CHOICE_OFF, KIND_LABELS

CHOICE_LABELS = (
    SelectChoice("immediate", _l("Par e-mail, dès que possible (dans les heures ouvrées)")),
    SelectChoice("digest", _l("Par e-mail, dans le résumé quotidien")),
    SelectChoice(CHOICE_OFF, _l("Pas d'e-mail (seulement dans la plateforme)")),
)

WEEKDAYS = (
    SelectChoice(1, _l("lundi")),
    SelectChoice(2, _l("mardi")),
    SelectChoice(3, _l("mercredi")),
    SelectChoice(4, _l("jeudi")),
    SelectChoice(5, _l("vendredi")),
    SelectChoice(6, _l("samedi")),
    SelectChoice(7, _l("dimanche")),
)


class ConfirmForm(FlaskForm):
    """An empty form: CSRF protection for the "mark read" buttons."""


def preferences_form(kinds: tuple[str, ...], formdata: Any = None, **data: str) -> FlaskForm:
    """A form with one radio group per kind (built per request from the list of kinds)."""

    class PreferencesForm(FlaskForm):
        pass

    for kind in kinds:
        setattr(
            PreferencesForm,
            kind,
            RadioField(KIND_LABELS.get(kind, kind), choices=list(CHOICE_LABELS), default="digest"),
        )
    if formdata is None:
        return PreferencesForm(data=data)
    return PreferencesForm(formdata=formdata)


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PolicyForm(FlaskForm):
    timezone = SelectField(
        _l("Fuseau horaire"),
        choices=[
            SelectChoice(tz)
            for tz in sorted(tz for tz in available_timezones() if "/" in tz and tz[0].isupper())
        ],
        validators=[DataRequired()],
        default="Europe/Paris",
    )
    days = MultiCheckboxField(_l("Jours ouvrés"), choices=WEEKDAYS, coerce=int)
    start = TimeField(_l("Début des heures ouvrées"), validators=[DataRequired()])
    end = TimeField(_l("Fin des heures ouvrées"), validators=[DataRequired()])
    digest = TimeField(_l("Heure d'envoi du résumé quotidien"), validators=[DataRequired()])
