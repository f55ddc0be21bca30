"""Forms of the training pages (Flask-WTF, CSRF on every one). Rules live in the services."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from coop_formation.exchange.models import Format

FORMAT_LABELS = {
    Format.TRAINING: _l("Formation"),
    Format.PROBLEM_SOLVING: _l("Groupe de résolution de problèmes"),
    Format.WORK_GROUP: _l("Groupe de travail"),
    Format.TALK_GROUP: _l("Groupe de parole"),
    Format.ONE_TO_ONE: _l("En tête-à-tête"),
}

LANGUAGE_LABELS = {
    "fr": _l("Français"),
    "en": _l("Anglais"),
    "de": _l("Allemand"),
    "es": _l("Espagnol"),
    "it": _l("Italien"),
    "other": _l("Autre langue"),
}

SLOT_ROWS = 5


class SlotForm(Form):
    """One date row; a row left fully empty is ignored."""

    day = DateField(_l("Date"), validators=[Optional()])
    start = TimeField(_l("Début"), validators=[Optional()])
    end = TimeField(_l("Fin"), validators=[Optional()])

    def validate_end(self, field: TimeField) -> None:
        filled = [self.day.data, self.start.data, field.data]
        if any(filled) and not all(filled):
            raise ValidationError(_l("Indiquez la date, l'heure de début et l'heure de fin."))
        if all(filled) and field.data <= self.start.data:
            raise ValidationError(_l("L'heure de fin doit suivre l'heure de début."))


class SessionForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    trainer_id = SelectField(_l("Personne qui anime"), coerce=int, validators=[Optional()])
    format = SelectField(
        _l("Format"), choices=[SelectChoice(f.value, label) for f, label in FORMAT_LABELS.items()]
    )
    language = SelectField(
        _l("Langue"), choices=[SelectChoice(code, label) for code, label in LANGUAGE_LABELS.items()]
    )
    capacity = IntegerField(
        _l("Nombre de places"), validators=[DataRequired(), NumberRange(min=1, max=500)]
    )
    venue_id = SelectField(_l("Lieu"), coerce=int, validators=[Optional()])
    remote_url = StringField(
        _l("Lien de visio (si à distance)"),
        validators=[Optional(), URL(require_tld=False), Length(max=500)],
    )
    time_kind = RadioField(
        _l("Temps de la session"),
        choices=[
            SelectChoice("work", _l("Sur le temps de travail")),
            SelectChoice("personal", _l("Sur le temps personnel")),
        ],
        default="work",
    )
    slots = FieldList(
        FormField(SlotForm), _l("Dates"), min_entries=SLOT_ROWS, max_entries=SLOT_ROWS
    )

    def filled_slots(self) -> list[tuple[datetime, datetime]]:
        """Naive wall-clock (Europe/Paris) start and end of each complete row."""
        rows = []
        for entry in self.slots:
            day, start, end = entry.form.day.data, entry.form.start.data, entry.form.end.data
            if day and start and end:
                rows.append((datetime.combine(day, start), datetime.combine(day, end)))
        return rows


class EnrolForm(FlaskForm):
    request_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])


class ActionForm(FlaskForm):
    """A button that only needs CSRF protection (cancel, settle, new feed address)."""


class CancelSessionForm(FlaskForm):
    reason = TextAreaField(
        _l("Motif (envoyé aux personnes inscrites)"), validators=[Optional(), Length(max=2000)]
    )


class FeedbackForm(FlaskForm):
    text = TextAreaField(
        _l("Votre retour pour la personne qui a animé"),
        validators=[DataRequired(), Length(max=5000)],
    )


class VenueForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(
        _l("Capacité"), validators=[DataRequired(), NumberRange(min=1, max=10000)]
    )
    accessibility = TextAreaField(_l("Accessibilité"), validators=[Optional(), Length(max=2000)])
    opening_hours = StringField(
        _l("Horaires d'ouverture"), validators=[Optional(), Length(max=300)]
    )
