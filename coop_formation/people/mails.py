"""E-mails of the people domain, built inside the transaction and delivered after its commit.

Services return :class:`OutgoingMail` values; the view or command commits, then calls
:func:`deliver`, so that a rolled-back action never sends a link that does not work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from coop_formation.mail import send_mail


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    body: str


def absolute_url(endpoint: str, **values: object) -> str:
    """An absolute link under ``BASE_URL``; works without a request (command line)."""
    adapter = current_app.url_map.bind("localhost", url_scheme="http")
    path = adapter.build(endpoint, values)
    return str(current_app.config["BASE_URL"]).rstrip("/") + path


def _locale(locale: str | None) -> str:
    return locale or str(current_app.config.get("BABEL_DEFAULT_LOCALE") or "fr")


def invitation_mail(
    email: str, display_name: str, token: str, days: int, locale: str | None = None
) -> OutgoingMail:
    """The invitation, in the recipient's language (French unless they chose another)."""
    link = absolute_url("people.accept_invitation", token=token)
    with force_locale(_locale(locale)):
        return OutgoingMail(
            to=email,
            subject=_("Votre invitation à la coopérative de formation"),
            body=_invitation_body(display_name, days, link),
        )


def _invitation_body(display_name: str, days: int, link: str) -> str:
    return _(
        "Bonjour %(name)s,\n\n"
        "Vous êtes invité·e à rejoindre la coopérative de formation de votre grappe "
        "d'entreprises : déclarer vos besoins, proposer d'enseigner ce que vous savez, "
        "apprendre avec les autres.\n\n"
        "Pour choisir votre mot de passe et activer votre compte, ouvrez ce lien "
        "(valable %(days)s jours, une seule fois) :\n%(link)s\n\n"
        "Si vous ne vous attendiez pas à ce message, ignorez-le simplement.\n\n"
        "La coopérative de formation",
        name=display_name,
        days=days,
        link=link,
    )


def password_reset_mail(
    email: str, display_name: str, token: str, minutes: int, locale: str | None = None
) -> OutgoingMail:
    """The reset link, in the recipient's language."""
    link = absolute_url("people.reset_password", token=token)
    with force_locale(_locale(locale)):
        return OutgoingMail(
            to=email,
            subject=_("Changer votre mot de passe"),
            body=_reset_body(display_name, minutes, link),
        )


def _reset_body(display_name: str, minutes: int, link: str) -> str:
    return _(
        "Bonjour %(name)s,\n\n"
        "Quelqu'un (sans doute vous) a demandé à changer le mot de passe de votre compte.\n\n"
        "Pour choisir un nouveau mot de passe, ouvrez ce lien "
        "(valable %(minutes)s minutes, une seule fois) :\n%(link)s\n\n"
        "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n\n"
        "La coopérative de formation",
        name=display_name,
        minutes=minutes,
        link=link,
    )


def deliver(mails: Iterable[OutgoingMail]) -> int:
    """Send each message (call only after the commit); returns how many were sent."""
    count = 0
    for mail in mails:
        send_mail(mail.to, mail.subject, mail.body)
        count += 1
    return count
