"""Recognition forms (Flask-WTF, CSRF on every one); fields parse, services decide."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from coop_formation.exchange.forms import SkillsField
from coop_formation.recognition.models import AchievementKind

KIND_LABELS = {
    AchievementKind.TRAINING_FOLLOWED: _l("Formation suivie"),
    AchievementKind.PEER_TRAINER: _l("Formateur ou formatrice pair"),
    AchievementKind.COLLABORATIVE_SKILL: _l("Compétence collaborative (validée par un jury)"),
    AchievementKind.COLLECTIVE_ACHIEVEMENT: _l("Réussite collective (équipe)"),
}


class AchievementForm(FlaskForm):
    name = StringField(
        _l("Nom du badge"), validators=[DataRequired(_l("Donnez un nom.")), Length(max=200)]
    )
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(_l("Décrivez le badge."))]
    )
    criteria = TextAreaField(
        _l("Critères d'obtention"), validators=[DataRequired(_l("Indiquez les critères."))]
    )
    kind = SelectField(
        _l("Nature du badge"),
        choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
    )
    skill_ids = SkillsField(_l("Compétences visées"))
    valid_days = IntegerField(
        _l("Durée de validité en jours (vide : sans limite)"),
        validators=[Optional(), NumberRange(min=1, max=36500)],
    )
    image = FileField(_l("Image (PNG ou SVG, 256 Kio au plus)"))
    remove_image = BooleanField(_l("Retirer l'image actuelle"))


class AwardForm(FlaskForm):
    recipient_id = SelectField(_l("Personne"), coerce=int, validate_choice=False)
    evidence = TextAreaField(
        _l("Ce qui justifie ce badge"), validators=[DataRequired(_l("Décrivez la preuve."))]
    )
    valid_until = DateField(_l("Valable jusqu'au (facultatif)"), validators=[Optional()])


class CollectiveForm(FlaskForm):
    team_name = StringField(
        _l("Nom de l'équipe"), validators=[DataRequired(_l("Nommez l'équipe.")), Length(max=200)]
    )
    member_ids = SkillsField(_l("Membres de l'équipe"))
    evidence = TextAreaField(_l("Ce que l'équipe a réussi"))


class JuryForm(FlaskForm):
    candidate_id = SelectField(_l("Personne candidate"), coerce=int, validate_choice=False)
    juror_ids = SkillsField(_l("Jurés (au moins deux, d'au moins deux entreprises)"))
    evidence = TextAreaField(
        _l("Ce que le jury doit examiner"), validators=[DataRequired(_l("Décrivez la preuve."))]
    )


class VoteForm(FlaskForm):
    decision = RadioField(
        _l("Votre avis"),
        choices=[
            SelectChoice("approve", _l("Je valide")),
            SelectChoice("reject", _l("Je ne valide pas")),
        ],
        validators=[DataRequired(_l("Choisissez votre avis."))],
    )
    comment = TextAreaField(_l("Commentaire (facultatif)"), validators=[Length(max=2000)])


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Raison de la révocation"),
        validators=[DataRequired(_l("Indiquez la raison.")), Length(max=2000)],
    )


class ChoiceForm(FlaskForm):
    choice = HiddenField()
    public = BooleanField(_l("Afficher mon nom sur la page publique du badge"))


class EndorseForm(FlaskForm):
    skill_id = SelectField(_l("Compétence"), coerce=int, validate_choice=False)
    comment = TextAreaField(
        _l("Ce que vous avez constaté"),
        validators=[DataRequired(_l("Écrivez quelques mots.")), Length(max=1000)],
    )


class VerifyForm(FlaskForm):
    text = TextAreaField(_l("Adresse, JSON ou JWT du badge"))
    file = FileField(_l("Ou une image de badge (PNG, SVG) ou un fichier JSON"))


class ImportForm(FlaskForm):
    text = TextAreaField(_l("JSON ou JWT du badge"))
    file = FileField(_l("Ou le fichier du badge (image PNG/SVG, JSON)"))


class ConfirmForm(FlaskForm):
    """A POST button with CSRF only."""
