"""People services: a member's own data (profile, export, closure) and what others see.

Fields of a profile are only handed to a viewer the member chose as audience
(:func:`coop_formation.people.rules.can_read_field`); templates receive nothing else.
Rooms above people add what they hold about the member through events: the data export
collects ``personal_data_requested`` answers, closure sends ``member_closed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from coop_formation import events
from coop_formation.authz import Permission, require
from coop_formation.db import iso_or_none, utcnow
from coop_formation.errors import InvalidInput, NotFound
from coop_formation.i18n import LANGUAGES
from coop_formation.people import mobility
from coop_formation.people.auth import verify_password
from coop_formation.people.models import (
    CharterAcceptance,
    Member,
    MobilityWish,
    MobilityWishReader,
    OneTimeToken,
    Visibility,
)
from coop_formation.people.rules import can_read_field

CLOSED_NAME = "Ancien membre"
PROFILE_FIELDS = ("job_title", "bio", "phone")
FIELD_LIMITS = {"display_name": 120, "job_title": 160, "bio": 4000, "phone": 40}


def set_locale(session: Session, actor: Member, lang: str) -> None:
    """Remember the member's interface language (None or one of LANGUAGES)."""
    if lang and lang not in LANGUAGES:
        raise InvalidInput(_("Langue inconnue."))
    actor.locale = lang or None
    session.flush()


# Profile -----------------------------------------------------------------------------------


@dataclass
class ProfileChanges:
    """What the profile form may change; visibilities are ``Visibility`` values."""

    display_name: str
    job_title: str = ""
    bio: str = ""
    phone: str = ""
    job_title_visibility: str = Visibility.COMPANY.value
    bio_visibility: str = Visibility.PRIVATE.value
    phone_visibility: str = Visibility.PRIVATE.value
    skills_visibility: str = Visibility.CLUSTER.value
    learning_visibility: str = Visibility.PRIVATE.value
    locale: str = ""


def update_profile(session: Session, actor: Member, changes: ProfileChanges) -> None:
    """Save the actor's own profile: fields, their audiences, language.

    Declared skills are the exchange's (``exchange.member_skills.save_profile`` saves both).
    """
    if actor.is_closed:
        raise NotFound()
    values = {
        name: (getattr(changes, name) or "").strip()
        for name in ("display_name", "job_title", "bio", "phone")
    }
    if not values["display_name"]:
        raise InvalidInput(
            _("Indiquez le nom sous lequel les autres vous voient."), field="display_name"
        )
    for name, limit in FIELD_LIMITS.items():
        if len(values[name]) > limit:
            raise InvalidInput(_("%(n)s caractères au plus.", n=limit), field=name)
    visibilities = {}
    for name in ("job_title", "bio", "phone", "skills", "learning"):
        raw = getattr(changes, f"{name}_visibility")
        try:
            visibilities[f"{name}_visibility"] = Visibility(raw)
        except ValueError:
            raise InvalidInput(
                _("Choix de visibilité inconnu."), field=f"{name}_visibility"
            ) from None
    actor.display_name = values["display_name"]
    actor.job_title = values["job_title"] or None
    actor.bio = values["bio"] or None
    actor.phone = values["phone"] or None
    for name, visibility in visibilities.items():
        setattr(actor, name, visibility)
    set_locale(session, actor, changes.locale)
    session.flush()


@dataclass
class PublicProfile:
    """A member as one viewer may see them: absent keys are fields this viewer may not read.

    ``skills`` is filled by the exchange (``exchange.member_skills.member_profile``).
    """

    member: Member
    company_name: str | None
    is_self: bool
    fields: dict[str, str]
    skills: dict[str, list[Any]] = field(default_factory=dict)


def view_profile(session: Session, viewer: Member, member_id: int) -> PublicProfile:
    """The member page as ``viewer`` may see it; closed accounts and other clusters are 404."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound()
    require(viewer, Permission.MEMBER_READ_PROFILE, member)
    fields: dict[str, str] = {}
    for name in PROFILE_FIELDS:
        value = getattr(member, name)
        if value and can_read_field(viewer, member, getattr(member, f"{name}_visibility")):
            fields[name] = value
    return PublicProfile(
        member=member,
        company_name=member.company.name if member.company else None,
        is_self=viewer.id == member.id,
        fields=fields,
    )


# Export and closure -----------------------------------------------------------------------


#: Where each room's section goes in the export (rooms answering personal_data_requested);
#: a section that no room answers keeps the value it always had when absent.
_SECTION_DEFAULTS: dict[str, Any] = {
    "skills": [],
    "exchange": {"unavailable": "exchange export not installed"},
    "relations": {"unavailable": "relations export not installed"},
}


_OWN_SECTIONS = frozenset(
    {
        "format",
        "exported_at",
        "member",
        "charter_acceptances",
        "one_time_links",
        "mobility_wishes",
    }
)


def _room_sections(session: Session, member: Member) -> dict[str, Any]:
    """What the rooms above people hold about ``member``: ``{section: data}``."""
    sections: dict[str, Any] = {}
    for _receiver, answer in events.personal_data_requested.send(session, member=member):
        if answer is None:
            continue
        name, data = answer
        if name in sections or name in _OWN_SECTIONS:
            raise RuntimeError(f"two answers for the export section {name!r}")
        sections[name] = data
    return sections


def _take(sections: dict[str, Any], name: str) -> Any:
    return sections.pop(name, _SECTION_DEFAULTS[name])


def export_member_data(session: Session, actor: Member) -> dict[str, Any]:
    """Everything the platform holds on the actor (and nothing on anyone else), as JSON data."""
    tokens = session.scalars(
        sa.select(OneTimeToken).where(OneTimeToken.member_id == actor.id).order_by(OneTimeToken.id)
    )
    acceptances = session.scalars(
        sa.select(CharterAcceptance)
        .where(CharterAcceptance.member_id == actor.id)
        .options(selectinload(CharterAcceptance.charter))
        .order_by(CharterAcceptance.accepted_at)
    )
    sections = _room_sections(session, actor)
    export = {
        "format": "coop-formation-member-export/1",
        "exported_at": iso_or_none(utcnow()),
        "member": {
            "id": actor.id,
            "email": actor.email,
            "display_name": actor.display_name,
            "job_title": actor.job_title,
            "job_title_visibility": actor.job_title_visibility.value,
            "bio": actor.bio,
            "bio_visibility": actor.bio_visibility.value,
            "phone": actor.phone,
            "phone_visibility": actor.phone_visibility.value,
            "skills_visibility": actor.skills_visibility.value,
            "learning_visibility": actor.learning_visibility.value,
            "locale": actor.locale,
            "cluster": {"id": actor.cluster.id, "name": actor.cluster.name},
            "company": (
                {"id": actor.company.id, "name": actor.company.name} if actor.company else None
            ),
            "roles": {
                "correspondent": actor.is_correspondent,
                "hr_club": actor.is_hr_club,
                "admin": actor.is_admin,
            },
            "created_at": iso_or_none(actor.created_at),
            "activated_at": iso_or_none(actor.activated_at),
            "last_login_at": iso_or_none(actor.last_login_at),
        },
        "skills": _take(sections, "skills"),
        "charter_acceptances": [
            {
                "version": row.charter.version,
                "title": row.charter.title,
                "accepted_at": iso_or_none(row.accepted_at),
            }
            for row in acceptances
        ],
        "one_time_links": [
            {
                "purpose": row.purpose.value,
                "created_at": iso_or_none(row.created_at),
                "expires_at": iso_or_none(row.expires_at),
                "used_at": iso_or_none(row.used_at),
            }
            for row in tokens
        ],
        "exchange": _take(sections, "exchange"),
        # Only ever the actor's own wishes: nobody else's export contains them.
        "mobility_wishes": mobility.export_for_member(session, actor),
        "relations": _take(sections, "relations"),
    }
    # Sections of rooms that came later, at the end, in a stable order (the order receivers
    # connect in depends on which module was imported first).
    export.update(sorted(sections.items()))
    return export


def close_account(session: Session, actor: Member, password: str) -> None:
    """Erase the actor's identity after checking their password; contributions stay, anonymised.

    One-time links and mobility wishes are deleted, every session ends; then
    ``member_closed`` lets the rooms above release what they hold (the exchange deletes
    declared skills, relations withdraws consents to be helped). Needs, offers and
    supports keep pointing at the row, now named "Ancien membre".
    """
    if actor.is_closed:
        raise NotFound()
    if not verify_password(actor.password_hash, password or ""):
        raise InvalidInput(
            _("Mot de passe incorrect : le compte n'a pas été fermé."), field="password"
        )
    session.execute(sa.delete(OneTimeToken).where(OneTimeToken.member_id == actor.id))
    # Private career plans leave with the person.
    wish_ids = sa.select(MobilityWish.id).where(MobilityWish.member_id == actor.id)
    session.execute(sa.delete(MobilityWishReader).where(MobilityWishReader.wish_id.in_(wish_ids)))
    session.execute(sa.delete(MobilityWish).where(MobilityWish.member_id == actor.id))
    actor.email = f"closed-{actor.id}@invalid.local"
    actor.display_name = CLOSED_NAME
    actor.job_title = actor.bio = actor.phone = None
    actor.password_hash = None
    actor.locale = None
    actor.is_correspondent = actor.is_hr_club = actor.is_admin = False
    actor.closed_at = utcnow()
    actor.session_version += 1
    session.flush()
    events.member_closed.send(session, member=actor, actor=actor)
    session.flush()
