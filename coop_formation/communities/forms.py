"""Community forms (Flask-WTF, CSRF on each). Fields only parse; services decide validity."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, TextAreaField

from coop_formation.exchange.forms import OptionalIdField, SkillsField


class CommunityForm(FlaskForm):
    name = StringField(_l("Nom de la communauté"))
    description = TextAreaField(_l("De quoi parle-t-on ici ?"))
    skill_ids = SkillsField(_l("Compétences ou métiers concernés"), choices=[])


class PostForm(FlaskForm):
    body = TextAreaField(_l("Votre message"), render_kw={"rows": 5})
    parent_id = HiddenField()


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Votre réponse"), render_kw={"rows": 3})
    parent_id = HiddenField()


class LinkForm(FlaskForm):
    title = StringField(_l("Titre"))
    url = StringField(_l("Adresse web (http:// ou https://)"), render_kw={"type": "url"})
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})


class DocumentForm(FlaskForm):
    title = StringField(_l("Titre"))
    document = FileField(_l("Fichier"))
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})


class LinkSessionForm(FlaskForm):
    session_id = OptionalIdField(_l("Session que vous organisez ou animez"), choices=[])


class ConfirmForm(FlaskForm):
    """A bare form: a button and the CSRF token."""
