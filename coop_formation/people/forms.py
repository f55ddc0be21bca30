"""Forms of the people domain (Flask-WTF: every form carries its CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from coop_formation.people.auth import MIN_PASSWORD_LENGTH
from coop_formation.people.models import Visibility

VISIBILITY_CHOICES = [
    SelectChoice(Visibility.PRIVATE.value, _l("Moi seulement")),
    SelectChoice(Visibility.COMPANY.value, _l("Mon entreprise")),
    SelectChoice(Visibility.CLUSTER.value, _l("Toute la grappe")),
]


class LoginForm(FlaskForm):
    email = StringField(
        _l("Adresse e-mail"),
        validators=[DataRequired(_l("Indiquez votre adresse e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username", "type": "email", "autofocus": True},
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[DataRequired(_l("Indiquez votre mot de passe.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class EmptyForm(FlaskForm):
    """A form with only its CSRF token (logout, accept the charter, resend an invitation)."""


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        _l("Adresse e-mail"),
        validators=[DataRequired(_l("Indiquez votre adresse e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "email", "type": "email"},
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[DataRequired(_l("Choisissez un mot de passe.")), Length(max=200)],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH},
    )
    confirm = PasswordField(
        _l("Le même mot de passe, une seconde fois"),
        validators=[DataRequired(_l("Recopiez le mot de passe.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class CharterForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Texte de la charte"),
        validators=[DataRequired(), Length(max=50_000)],
        render_kw={"rows": 18},
    )


class CompanyForm(FlaskForm):
    name = StringField(_l("Nom de l'entreprise"), validators=[DataRequired(), Length(max=200)])
    headcount = IntegerField(
        _l("Effectif (salariés)"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
        render_kw={"inputmode": "numeric", "min": 0},
    )


class ImportMembersForm(FlaskForm):
    file = FileField(
        _l("Fichier CSV des membres"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(["csv", "txt"], _l("Le fichier doit être un CSV.")),
        ],
    )
    invite = BooleanField(_l("Envoyer une invitation aux nouveaux membres"), default=True)


def _visibility(label: str) -> SelectField:
    return SelectField(label, choices=VISIBILITY_CHOICES)


class ProfileForm(FlaskForm):
    """A member's own profile; the exchange adds the declared skills (``MemberProfileForm``)."""

    display_name = StringField(_l("Nom affiché"), validators=[DataRequired(), Length(max=120)])
    job_title = StringField(_l("Métier ou poste"), validators=[Optional(), Length(max=160)])
    job_title_visibility = _visibility(_l("Qui voit mon métier"))
    bio = TextAreaField(_l("Présentation"), validators=[Optional(), Length(max=4000)])
    bio_visibility = _visibility(_l("Qui voit ma présentation"))
    phone = StringField(
        _l("Téléphone"),
        validators=[Optional(), Length(max=40)],
        render_kw={"type": "tel", "autocomplete": "tel"},
    )
    phone_visibility = _visibility(_l("Qui voit mon téléphone"))
    skills_visibility = _visibility(_l("Qui voit ce que je pratique et peux transmettre"))
    learning_visibility = _visibility(_l("Qui voit ce que je veux apprendre"))
    locale = SelectField(
        _l("Langue de l'interface"),
        choices=[
            SelectChoice("", _l("Non précisée")),
            SelectChoice("fr", "Français"),
            SelectChoice("en", "English"),
        ],
    )


class CloseAccountForm(FlaskForm):
    password = PasswordField(
        _l("Votre mot de passe, pour confirmer"),
        validators=[DataRequired(_l("Indiquez votre mot de passe."))],
        render_kw={"autocomplete": "current-password"},
    )
