"""Forms of the relations room (and of mobility wishes); rules live in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coop_formation.exchange.labels import FORMAT_LABELS, URGENCY_LABELS, VISIBILITY_LABELS
from coop_formation.people.models import MobilityHorizon
from coop_formation.relations.models import NotHeldReason

NOT_HELD_LABELS = {
    NotHeldReason.NO_TIME: _l("Pas de temps disponible"),
    NotHeldReason.NO_LONGER_NEEDED: _l("Le besoin n'existe plus"),
    NotHeldReason.TRAINER_UNAVAILABLE: _l("La personne formatrice n'était plus disponible"),
    NotHeldReason.NOT_A_FIT: _l("L'offre ne correspondait pas au besoin"),
    NotHeldReason.FOUND_ELSEWHERE: _l("Solution trouvée ailleurs"),
    NotHeldReason.OTHER: _l("Autre raison"),
}

HORIZON_LABELS = {
    MobilityHorizon.SOON: _l("Dans l'année"),
    MobilityHorizon.MEDIUM: _l("D'ici un à trois ans"),
    MobilityHorizon.LATER: _l("Un jour, plus tard"),
    MobilityHorizon.UNSURE: _l("Je ne sais pas encore"),
}


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class EmptyForm(FlaskForm):
    """Only the CSRF token (withdraw, reveal, confirm)."""


_CHOOSE_OFFER = _l("Choisissez une offre de la liste.")
_CHOOSE_CORRESPONDENT = _l("Choisissez un correspondant de la liste.")
_WRITE_SOMETHING = _l("Écrivez un message.")


class IntroductionForm(FlaskForm):
    offer_id = SelectField(
        _l("Offre proposée"),
        coerce=int,
        validators=[DataRequired(message=_CHOOSE_OFFER)],
        invalid_choice_message=_CHOOSE_OFFER,
        invalid_value_message=_CHOOSE_OFFER,
    )
    note = TextAreaField(_l("Message aux deux personnes"), validators=[Length(max=2000)])


class AnswerForm(FlaskForm):
    decision = RadioField(
        _l("Votre réponse"),
        choices=choices(
            [("accept", _l("J'accepte la mise en relation")), ("decline", _l("Je décline"))]
        ),
        validators=[DataRequired()],
    )
    show_name_to_correspondent = BooleanField(_l("Le correspondant peut aussi connaître mon nom"))


class OutcomeForm(FlaskForm):
    held = RadioField(
        _l("L'échange a-t-il eu lieu ?"),
        choices=choices([("yes", _l("Oui, la session a eu lieu")), ("no", _l("Non"))]),
        validators=[DataRequired()],
    )
    reason = SelectField(
        _l("Si non, pourquoi ?"),
        choices=choices(
            [("", "—")] + [(key.value, label) for key, label in NOT_HELD_LABELS.items()]
        ),
        validators=[Optional()],
    )
    text = TextAreaField(_l("Précisions (facultatif)"), validators=[Length(max=2000)])


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(message=_WRITE_SOMETHING),
            Length(max=5000, message=_l("Le message est trop long (5 000 caractères au plus).")),
        ],
    )


def _correspondent_field(label: str) -> SelectField:
    return SelectField(
        label,
        coerce=int,
        validators=[DataRequired(message=_CHOOSE_CORRESPONDENT)],
        invalid_choice_message=_CHOOSE_CORRESPONDENT,
        invalid_value_message=_CHOOSE_CORRESPONDENT,
    )


class CorrespondentMessageForm(MessageForm):
    correspondent_id = _correspondent_field(_l("Correspondant"))


class ConsentForm(FlaskForm):
    correspondent_id = _correspondent_field(_l("Correspondant autorisé à agir pour vous"))


class AssistedNeedForm(FlaskForm):
    title = StringField(
        _l("Titre du besoin"),
        validators=[DataRequired(message=_l("Donnez un titre au besoin.")), Length(max=200)],
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    format = SelectField(
        _l("Forme souhaitée"), choices=choices((k.value, v) for k, v in FORMAT_LABELS.items())
    )
    urgency = SelectField(
        _l("Urgence"), choices=choices((k.value, v) for k, v in URGENCY_LABELS.items())
    )
    visibility = SelectField(
        _l("Visible par"), choices=choices((k.value, v) for k, v in VISIBILITY_LABELS.items())
    )
    anonymous = BooleanField(_l("Besoin anonyme (le nom n'apparaît pas)"))


class AssistedOfferForm(FlaskForm):
    title = StringField(
        _l("Titre de l'offre"),
        validators=[DataRequired(message=_l("Donnez un titre à l'offre.")), Length(max=200)],
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    format = SelectField(
        _l("Forme"), choices=choices((k.value, v) for k, v in FORMAT_LABELS.items())
    )
    duration_minutes = StringField(_l("Durée (minutes)"), default="120")
    capacity = StringField(_l("Nombre de places"), default="8")
    remote = BooleanField(_l("À distance"))
    place_details = StringField(_l("Lieu (précisions)"), validators=[Length(max=300)])
    availability = TextAreaField(_l("Disponibilités"), validators=[Length(max=4000)])


_INCOMPLETE = _l("Le formulaire est incomplet. Rechargez la page et recommencez.")


class AssistedEnrolForm(FlaskForm):
    request_key = HiddenField(
        validators=[
            DataRequired(message=_INCOMPLETE),
            Length(min=16, max=64, message=_INCOMPLETE),
        ]
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MobilityWishForm(FlaskForm):
    title = StringField(_l("Votre souhait en quelques mots"), validators=[Length(max=200)])
    text = TextAreaField(_l("Précisions"), validators=[Length(max=5000)])
    horizon = SelectField(
        _l("Horizon"), choices=choices((k.value, v) for k, v in HORIZON_LABELS.items())
    )
    reader_ids = MultiCheckboxField(
        _l("Qui peut le lire (personne si vous ne cochez rien)"), coerce=int, validate_choice=False
    )
