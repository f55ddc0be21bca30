"""Exchange forms (Flask-WTF, CSRF on every one); messages in French.

Fields only parse; the services decide what is valid (unknown skills, dates in order,
venues of the cluster) so the same rules hold for the API and the CLI.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import DateInput, NumberInput

from coop_formation.exchange.labels import (
    FORMAT_LABELS,
    URGENCY_LABELS,
    VISIBILITY_LABELS,
    choices,
)
from coop_formation.people.forms import ProfileForm

REQUIRED_TITLE = _l("Indiquez un titre.")


def _optional_int(value: Any) -> int | None:
    if value in ("", None):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class SkillsField(SelectMultipleField):
    """Several skill ids; ids that are not numbers are kept as -1 so the service refuses them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("render_kw", {"size": 10})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        parsed: list[int] = []
        for value in valuelist:
            try:
                parsed.append(int(value))
            except (TypeError, ValueError):
                parsed.append(-1)
        self.data = sorted(set(parsed))

    def pre_validate(self, form: Any) -> None:
        return None


class OptionalIdField(SelectField):
    """A select whose empty value means None and whose value is an id."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", _optional_int)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = _optional_int(valuelist[0] if valuelist else "")

    def pre_validate(self, form: Any) -> None:
        return None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class FrenchDateField(Field):
    """An <input type=date> (YYYY-MM-DD) with a French error message."""

    widget = DateInput()

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        try:
            self.data = date.fromisoformat(raw)
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("Date invalide : utilisez le format AAAA-MM-JJ.")) from exc


class _FrenchNumberField(Field):
    """A number input that redisplays what was typed."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class FrenchIntegerField(_FrenchNumberField):
    widget = NumberInput(min=1)
    data: int | None

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        try:
            self.data = int(raw)
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("Indiquez un nombre entier.")) from exc


class FrenchDecimalField(_FrenchNumberField):
    widget = NumberInput(step="0.25", min=0)
    data: Decimal | int | None  # an int when set from the default or the stored offer

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        if not raw:
            self.data = None
            return
        try:
            self.data = Decimal(raw)
            if not self.data.is_finite():
                raise InvalidOperation
        except InvalidOperation as exc:
            self.data = None
            raise ValueError(_l("Indiquez un nombre.")) from exc


class NeedForm(FlaskForm):
    title = StringField(
        _l("Titre"), validators=[DataRequired(message=REQUIRED_TITLE), Length(max=200)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10_000)])
    skill_ids = SkillsField(_l("Compétences concernées"), choices=[])
    urgency = SelectField(_l("Urgence"), choices=choices(URGENCY_LABELS), default="this_year")
    wanted_from = FrenchDateField(_l("À partir du"))
    wanted_until = FrenchDateField(_l("Jusqu'au"))
    format = SelectField(_l("Forme souhaitée"), choices=choices(FORMAT_LABELS), default="training")
    visibility = RadioField(
        _l("Qui peut voir ce besoin ?"), choices=choices(VISIBILITY_LABELS), default="company"
    )
    anonymous = BooleanField(_l("Publier ce besoin de façon anonyme"))


class OfferForm(FlaskForm):
    title = StringField(
        _l("Titre"), validators=[DataRequired(message=REQUIRED_TITLE), Length(max=200)]
    )
    description = TextAreaField(
        _l("Ce que vous proposez de transmettre"), validators=[Optional(), Length(max=10_000)]
    )
    skill_ids = SkillsField(_l("Compétences transmises"), choices=[])
    format = SelectField(_l("Forme"), choices=choices(FORMAT_LABELS), default="training")
    duration = FrenchDecimalField(_l("Durée"), default=2)
    duration_unit = SelectField(
        _l("Unité de durée"),
        choices=[SelectChoice("hours", _l("heures")), SelectChoice("minutes", _l("minutes"))],
        default="hours",
    )
    capacity = FrenchIntegerField(_l("Nombre de places"), default=8)
    venue_id = OptionalIdField(_l("Lieu (tiers-lieu de la grappe)"), choices=[])
    remote = BooleanField(_l("À distance"))
    place_details = StringField(
        _l("Précisions sur le lieu"), validators=[Optional(), Length(max=300)]
    )
    availability = TextAreaField(
        _l("Vos disponibilités"), validators=[Optional(), Length(max=4000)]
    )

    def duration_minutes(self) -> int | None:
        value = self.duration.data
        if value is None:
            return None
        minutes = value * 60 if self.duration_unit.data == "hours" else value
        return int(Decimal(minutes).to_integral_value())


class SkillProposalForm(FlaskForm):
    label = StringField(
        _l("Nom de la compétence"),
        validators=[DataRequired(message=_l("Indiquez le nom de la compétence.")), Length(max=255)],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    parent_id = OptionalIdField(_l("Domaine"), choices=[])


class ModerationForm(FlaskForm):
    label = StringField(_l("Libellé"), validators=[Optional(), Length(max=255)])
    parent_id = OptionalIdField(_l("Domaine"), choices=[])
    target_id = OptionalIdField(_l("Fusionner dans"), choices=[])


class JoinForm(FlaskForm):
    anonymous = BooleanField(_l("Rester anonyme"))


class StatusForm(FlaskForm):
    status = SelectField(_l("Nouveau statut"), choices=[])


class ConfirmForm(FlaskForm):
    """A bare form: a button and the CSRF token."""


class MemberProfileForm(ProfileForm):
    """The profile form (people) with the skills the member declares (exchange)."""

    practises = SelectMultipleField(_l("Compétences que je pratique"), coerce=int)
    can_teach = SelectMultipleField(_l("Compétences que je peux transmettre"), coerce=int)
    wants_to_learn = SelectMultipleField(_l("Compétences que je veux apprendre"), coerce=int)

    def set_skill_choices(self, choices: list[SelectChoice]) -> None:
        """Offer these skills (grouped by domain through ``optgroup``) in the three lists."""
        for name in ("practises", "can_teach", "wants_to_learn"):
            self[name].choices = choices
