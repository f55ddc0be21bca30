"""Members' delivery choices per kind, and clusters' right-to-disconnect policies.

Defaults (no stored row): every kind by e-mail in the daily digest; working hours Monday to
Friday, 08:00–19:00 Europe/Paris, digest at 08:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from coop_formation import authz
from coop_formation.authz import Permission
from coop_formation.errors import Forbidden, InvalidInput
from coop_formation.notifications.models import (
    Frequency,
    NotificationPolicy,
    NotificationPreference,
)
from coop_formation.notifications.schedule import Window
from coop_formation.people.models import Member

#: Every kind of notification, in the order the preferences page lists them.
KINDS = (
    "match_suggested",
    "need_joined",
    "need_pooled",
    "session_changed",
    "relay_message",
    "badge_received",
    "call_for_trainers",
    "introduction",
    "badge_revoked",
    "trainer_invitation",
    "assisted_action",
)

KIND_LABELS = {
    "match_suggested": _l("Suggestions pour vos besoins"),
    "need_joined": _l("Quelqu'un rejoint votre besoin (« moi aussi »)"),
    "need_pooled": _l("Votre besoin est mutualisé"),
    "session_changed": _l("Changements de session (annulation, place libérée)"),
    "relay_message": _l("Messages du relais"),
    "badge_received": _l("Badge reçu"),
    "call_for_trainers": _l("Appels à la communauté"),
    "introduction": _l("Mises en relation"),
    "badge_revoked": _l("Badge révoqué"),
    "trainer_invitation": _l("Invitations à animer une session"),
    "assisted_action": _l("Actions faites pour vous par un correspondant"),
}

# The member's single choice per kind, as offered on the preferences page.
CHOICE_OFF = "off"
CHOICES = (CHOICE_OFF, Frequency.IMMEDIATE.value, Frequency.DIGEST.value)


@dataclass(frozen=True)
class Choice:
    email_enabled: bool = True
    frequency: Frequency = Frequency.DIGEST

    @property
    def code(self) -> str:
        return self.frequency.value if self.email_enabled else CHOICE_OFF


def choice_for(session: Session, member_id: int, kind: str) -> Choice:
    """What the member chose for ``kind`` (the default when they never chose)."""
    row = session.scalar(
        sa.select(NotificationPreference).where(
            NotificationPreference.member_id == member_id, NotificationPreference.kind == kind
        )
    )
    if row is None:
        return Choice()
    return Choice(email_enabled=row.email_enabled, frequency=row.frequency)


def choices_of(session: Session, member: Member) -> dict[str, Choice]:
    """Every kind with the member's choice (defaults filled in), in KINDS order."""
    rows = session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.member_id == member.id)
    )
    stored = {row.kind: Choice(row.email_enabled, row.frequency) for row in rows}
    return {kind: stored.get(kind, Choice()) for kind in KINDS}


def save_choices(session: Session, actor: Member, codes: dict[str, str]) -> None:
    """Store the actor's own choices (``off`` / ``immediate`` / ``digest`` per kind); flushes."""
    for kind, code in codes.items():
        if kind not in KINDS or code not in CHOICES:
            raise InvalidInput(_("Choix inconnu."), field=kind)
    existing = {
        row.kind: row
        for row in session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.member_id == actor.id)
        )
    }
    for kind, code in codes.items():
        row = existing.get(kind)
        if row is None:
            row = NotificationPreference(member_id=actor.id, kind=kind)
            session.add(row)
        row.email_enabled = code != CHOICE_OFF
        row.frequency = Frequency.IMMEDIATE if code == Frequency.IMMEDIATE else Frequency.DIGEST
    session.flush()


# --- cluster policy -----------------------------------------------------------------------


def parse_days(text: str) -> frozenset[int]:
    return frozenset(int(part) for part in text.split(",") if part.strip())


def window_of(policy: NotificationPolicy | None) -> Window:
    """The policy as a :class:`Window` (the default window when the cluster has none)."""
    if policy is None:
        return Window()
    return Window(
        timezone=policy.timezone,
        days=parse_days(policy.working_days),
        start=policy.start_time,
        end=policy.end_time,
        digest=policy.digest_time,
    )


def policy_for(session: Session, cluster_id: int) -> NotificationPolicy | None:
    return session.scalar(
        sa.select(NotificationPolicy).where(NotificationPolicy.cluster_id == cluster_id)
    )


def window_for_cluster(session: Session, cluster_id: int) -> Window:
    return window_of(policy_for(session, cluster_id))


@dataclass(frozen=True)
class PolicyInput:
    timezone: str
    days: frozenset[int]
    start: time
    end: time
    digest: time


def save_policy(session: Session, actor: Member, data: PolicyInput) -> NotificationPolicy:
    """A coop admin sets their cluster's working hours; refuses an unusable window; flushes."""
    if not authz.can(actor, Permission.NOTIFICATION_POLICY_EDIT, actor.cluster_id):
        raise Forbidden(_("Seule l'administration de la coopérative modifie ces horaires."))
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(_("Fuseau horaire inconnu."), field="timezone") from None
    if not data.days:
        raise InvalidInput(_("Choisissez au moins un jour ouvré."), field="days")
    if not data.start < data.end:
        raise InvalidInput(_("L'heure de début doit précéder l'heure de fin."), field="start")
    if not data.start <= data.digest < data.end:
        raise InvalidInput(
            _("L'heure du résumé quotidien doit être dans les heures ouvrées."), field="digest"
        )
    policy = policy_for(session, actor.cluster_id)
    if policy is None:
        policy = NotificationPolicy(cluster_id=actor.cluster_id)
        session.add(policy)
    policy.timezone = data.timezone
    policy.working_days = ",".join(str(day) for day in sorted(data.days))
    policy.start_time, policy.end_time, policy.digest_time = data.start, data.end, data.digest
    session.flush()
    return policy


def policy_view(session: Session, actor: Member) -> Window:
    """The window an admin edits (their cluster's, or the default)."""
    if not authz.can(actor, Permission.NOTIFICATION_POLICY_EDIT, actor.cluster_id):
        raise Forbidden(_("Seule l'administration de la coopérative modifie ces horaires."))
    return window_for_cluster(session, actor.cluster_id)
