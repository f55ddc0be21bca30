"""Forms of the currency pages (French messages; amounts typed in units, e.g. ``2,50``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from coop_formation.money import format_plain, parse_amount


class AmountField(StringField):
    """An amount typed in units (``2,50``, ``-5``), stored as minor units in ``.minor``."""

    def __init__(
        self, *args: Any, minor_per_unit: int = 100, allow_negative: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.minor_per_unit = minor_per_unit
        self.allow_negative = allow_negative
        self.minor: int | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.minor = None
        text = (self.data or "").strip()
        if not text:
            return
        try:
            self.minor = parse_amount(text, self.minor_per_unit)
        except ValueError as exc:
            self.minor = None
            raise ValueError(_l("Indiquez un montant, par exemple 2,50.")) from exc
        if self.minor < 0 and not self.allow_negative:
            self.minor = None
            raise ValueError(_l("Le montant ne peut pas être négatif."))

    def set_minor(self, value: int | None) -> None:
        self.minor = value
        self.data = "" if value is None else format_plain(value, self.minor_per_unit)


def _positive(form: FlaskForm, field: AmountField) -> None:
    if field.minor is not None and field.minor <= 0:
        raise ValidationError(_l("Le montant doit être supérieur à zéro."))


class SendCreditsForm(FlaskForm):
    recipient_email = StringField(
        _l("Adresse e-mail du membre"),
        validators=[
            DataRequired(_l("Indiquez l'adresse e-mail du membre.")),
            Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Adresse e-mail invalide.")),
            Length(max=254),
        ],
    )
    amount = AmountField(
        _l("Montant"), validators=[DataRequired(_l("Indiquez un montant.")), _positive]
    )
    memo = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(_l("Écrivez un message pour le membre.")),
            Length(max=200, message=_l("200 caractères au plus.")),
        ],
    )
    form_token = HiddenField()


class ContributionForm(FlaskForm):
    company_id = SelectField(
        _l("Entreprise"), coerce=int, validators=[InputRequired(_l("Choisissez une entreprise."))]
    )
    amount = AmountField(
        _l("Points de formation versés"),
        validators=[DataRequired(_l("Indiquez un montant.")), _positive],
    )
    memo = StringField(
        _l("Motif"),
        validators=[
            DataRequired(_l("Indiquez le motif (réussite collective…).")),
            Length(max=200, message=_l("200 caractères au plus.")),
        ],
    )
    form_token = HiddenField()


class PolicyForm(FlaskForm):
    unit_name = StringField(
        _l("Nom de l'unité"), validators=[DataRequired(_l("Indiquez un nom.")), Length(max=60)]
    )
    unit_code = StringField(
        _l("Code de l'unité"), validators=[DataRequired(_l("Indiquez un code.")), Length(max=8)]
    )
    price_per_hour = AmountField(
        _l("Prix d'une heure de session pour l'apprenant"),
        validators=[DataRequired(_l("Indiquez un montant."))],
    )
    trainer_rate_per_hour = AmountField(
        _l("Crédit du formateur par heure enseignée"),
        validators=[DataRequired(_l("Indiquez un montant."))],
    )
    preparation_minutes = IntegerField(
        _l("Temps de préparation crédité par session (minutes)"),
        validators=[
            InputRequired(_l("Indiquez une durée.")),
            NumberRange(min=0, max=1440, message=_l("Entre 0 et 1 440 minutes.")),
        ],
    )
    floor = AmountField(
        _l("Plancher des comptes membres"), allow_negative=True, validators=[Optional()]
    )
    ceiling = AmountField(_l("Plafond des comptes membres"), validators=[Optional()])
    welcome_grant = AmountField(
        _l("Allocation de bienvenue"), validators=[DataRequired(_l("Indiquez un montant."))]
    )
    cancellation_deadline_hours = IntegerField(
        _l("Délai d'annulation avant une session (heures)"),
        validators=[
            InputRequired(_l("Indiquez un délai.")),
            NumberRange(min=0, max=2160, message=_l("Entre 0 et 2 160 heures.")),
        ],
    )
    no_show_rule = SelectField(
        _l("Absence non excusée"),
        choices=[
            SelectChoice("post", _l("La réservation est encaissée")),
            SelectChoice("void", _l("La réservation est rendue")),
        ],
    )
    note = StringField(_l("Raison du changement"), validators=[Optional(), Length(max=500)])

    def validate_floor(self, field: AmountField) -> None:
        if field.minor is not None and field.minor > 0:
            raise ValidationError(_l("Le plancher doit être nul ou négatif."))

    def validate_ceiling(self, field: AmountField) -> None:
        if field.minor is not None and field.minor <= 0:
            raise ValidationError(
                _l("Le plafond doit être positif (laissez vide pour aucun plafond).")
            )


def _default_start() -> date:
    today = date.today()
    return date(today.year, 1, 1)


def _default_end() -> date:
    return date.today() + timedelta(days=1)


class ClearingForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: reading a report changes nothing

    start = DateField(
        _l("Du (inclus)"),
        default=_default_start,
        validators=[InputRequired(_l("Indiquez une date."))],
    )
    end = DateField(
        _l("Au (exclu)"), default=_default_end, validators=[InputRequired(_l("Indiquez une date."))]
    )
