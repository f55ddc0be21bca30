"""Awarding badges: automatically when a session is settled, by hand with evidence,
to a whole team; revoking them; and the recipient's own choices (accept, hide, public).

Guarantees: automatic awards are idempotent (a settled session awards each person once,
however often it is called, whether by the ``session_settled`` receiver or directly);
revocation needs a reason, flips the status-list bit, tells the holder why (notification
``badge_revoked``) and sends ``credential_revoked``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from coop_formation import events
from coop_formation.authz import Permission
from coop_formation.db import utcnow
from coop_formation.errors import Conflict, InvalidInput, NotFound
from coop_formation.exchange.models import Skill
from coop_formation.notifications import events as notification_events
from coop_formation.notifications.services import notify
from coop_formation.people.models import Member
from coop_formation.recognition import rules
from coop_formation.recognition.issuers import cooperative_issuer
from coop_formation.recognition.issuing import issue_credential
from coop_formation.recognition.models import (
    Achievement,
    AchievementKind,
    Credential,
    CredentialStatus,
    RecipientChoice,
)
from coop_formation.recognition.statuslists import set_revoked
from coop_formation.training.models import Enrollment, EnrollmentStatus, TrainingSession

MANUAL_KINDS = (AchievementKind.TRAINING_FOLLOWED, AchievementKind.PEER_TRAINER)


def get_credential(session: Session, public_id: str) -> Credential:
    credential = session.execute(
        sa.select(Credential).where(Credential.public_id == public_id)
    ).scalar_one_or_none()
    if credential is None:
        raise NotFound(_("Badge introuvable."))
    return credential


def open_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None or member.is_closed:
        raise NotFound(_("Membre introuvable."))
    return member


def awardable_achievement(session: Session, actor: Member, achievement_id: int) -> Achievement:
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.cluster_id != actor.cluster_id:
        raise NotFound(_("Badge introuvable."))
    if achievement.archived:
        raise InvalidInput(_("Ce badge est archivé : il ne peut plus être décerné."))
    return achievement


# --- automatic awards ----------------------------------------------------------------


def _automatic_achievement(
    session: Session,
    *,
    cluster_id: int,
    kind: AchievementKind,
    reference: str,
    title: str,
    skill_ids: Sequence[int],
) -> Achievement:
    source_key = f"{kind.value}:{reference}"
    found = session.execute(
        sa.select(Achievement).where(Achievement.source_key == source_key)
    ).scalar_one_or_none()
    if found is not None:
        return found
    if kind == AchievementKind.TRAINING_FOLLOWED:
        name = f"Formation suivie : {title}"
        description = f"A suivi la formation entre pairs « {title} » de la coopérative."
        criteria = "Avoir été présent à la session, relevé par la personne qui l'organise."
    else:
        name = f"Formateur pair : {title}"
        description = f"A transmis son savoir lors de la formation entre pairs « {title} »."
        criteria = "Avoir animé la session devant au moins une personne présente."
    skills = []
    if skill_ids:
        skills = list(session.execute(sa.select(Skill).where(Skill.id.in_(skill_ids))).scalars())
    achievement = Achievement(
        cluster_id=cluster_id,
        issuer_id=cooperative_issuer(session, cluster_id).id,
        name=name[:200],
        description=description,
        criteria=criteria,
        kind=kind,
        source_key=source_key,
        skills=skills,
    )
    session.add(achievement)
    session.flush()
    return achievement


def award_for_session(
    session: Session,
    *,
    cluster_id: int,
    session_title: str,
    learner_ids: Iterable[int],
    trainer_id: int | None,
    reference: str,
    skill_ids: Sequence[int] = (),
    achievement_reference: str | None = None,
    now: datetime | None = None,
) -> list[Credential]:
    """Award "training followed" to each learner present and "peer trainer" to the trainer
    (only when someone attended). Idempotent per ``reference`` and person; returns the
    credentials newly issued. ``achievement_reference`` (default ``reference``) lets every
    session of one offer share the same catalogue entries."""
    now = now or utcnow()
    learners = sorted(set(learner_ids))
    awards: list[tuple[AchievementKind, int]] = [
        (AchievementKind.TRAINING_FOLLOWED, member_id) for member_id in learners
    ]
    if learners and trainer_id is not None:
        awards.append((AchievementKind.PEER_TRAINER, trainer_id))
    issued: list[Credential] = []
    for kind, member_id in awards:
        role = "learner" if kind == AchievementKind.TRAINING_FOLLOWED else "trainer"
        source_key = f"{reference}:{role}:{member_id}"
        exists = session.execute(
            sa.select(Credential.id).where(Credential.source_key == source_key)
        ).first()
        recipient = session.get(Member, member_id)
        if exists is not None or recipient is None or recipient.is_closed:
            continue  # already awarded, or the account was closed since the session
        achievement = _automatic_achievement(
            session,
            cluster_id=cluster_id,
            kind=kind,
            reference=achievement_reference or reference,
            title=session_title,
            skill_ids=skill_ids,
        )
        issued.append(
            issue_credential(
                session,
                achievement=achievement,
                recipient=recipient,
                awarded_by=None,
                source_key=source_key,
                now=now,
            )
        )
    notification_events.badges_received(session, issued)
    return issued


def award_for_settled_session(
    session: Session, *, training_session: TrainingSession
) -> list[Credential]:
    """Run when a session is settled (same transaction, see :mod:`.receivers`); a second
    call for the same session awards nothing more."""
    learner_ids = session.execute(
        sa.select(Enrollment.member_id).where(
            Enrollment.session_id == training_session.id,
            Enrollment.status == EnrollmentStatus.ATTENDED,
        )
    ).scalars()
    source = training_session.offer or training_session.need
    skill_ids = [skill.id for skill in source.skills] if source is not None else []
    shared = f"offer:{training_session.offer_id}" if training_session.offer_id else None
    return award_for_session(
        session,
        cluster_id=training_session.cluster_id,
        session_title=training_session.title,
        learner_ids=list(learner_ids),
        trainer_id=training_session.trainer_id,
        reference=f"session:{training_session.id}",
        skill_ids=skill_ids,
        achievement_reference=shared,
        now=training_session.settled_at,
    )


# --- manual and collective awards ------------------------------------------------------


def award_manually(
    session: Session,
    actor: Member,
    *,
    achievement_id: int,
    recipient_id: int,
    evidence: str,
    valid_until: datetime | None = None,
    now: datetime | None = None,
) -> Credential:
    """A correspondent (for their company) or the coop admin awards a badge with evidence."""
    now = now or utcnow()
    achievement = awardable_achievement(session, actor, achievement_id)
    recipient = open_member(session, recipient_id)
    rules.require(actor, Permission.CREDENTIAL_AWARD, recipient)
    if achievement.kind == AchievementKind.COLLABORATIVE_SKILL:
        raise InvalidInput(
            _("Une compétence collaborative se décerne après validation par un jury.")
        )
    if achievement.kind == AchievementKind.COLLECTIVE_ACHIEVEMENT:
        raise InvalidInput(_("Un badge collectif se décerne à une équipe."))
    if not evidence.strip():
        raise InvalidInput(_("Décrivez ce qui justifie ce badge."), field="evidence")
    if valid_until is not None and valid_until <= now:
        raise InvalidInput(_("La fin de validité doit être dans le futur."), field="valid_until")
    credential = issue_credential(
        session,
        achievement=achievement,
        recipient=recipient,
        awarded_by=actor,
        evidence=evidence,
        now=now,
        valid_until=valid_until,
    )
    notification_events.badges_received(session, [credential])
    return credential


def award_collective(
    session: Session,
    actor: Member,
    *,
    achievement_id: int,
    team_name: str,
    member_ids: Iterable[int],
    evidence: str,
    now: datetime | None = None,
) -> list[Credential]:
    """One credential per team member, each naming the team (not the other members)."""
    now = now or utcnow()
    achievement = awardable_achievement(session, actor, achievement_id)
    if achievement.kind != AchievementKind.COLLECTIVE_ACHIEVEMENT:
        raise InvalidInput(_("Ce badge n'est pas un badge collectif."))
    team_name = team_name.strip()
    if not team_name:
        raise InvalidInput(_("Donnez le nom de l'équipe."), field="team_name")
    members = [open_member(session, member_id) for member_id in sorted(set(member_ids))]
    if len(members) < 2:
        raise InvalidInput(_("Une équipe compte au moins deux personnes."), field="member_ids")
    for member in members:
        rules.require(actor, Permission.CREDENTIAL_AWARD, member)
    credentials = [
        issue_credential(
            session,
            achievement=achievement,
            recipient=member,
            awarded_by=actor,
            evidence=evidence,
            team_name=team_name[:200],
            now=now,
        )
        for member in members
    ]
    notification_events.badges_received(session, credentials)
    return credentials


# --- revocation and recipients' choices ------------------------------------------------


def revoke_credential(
    session: Session, actor: Member, public_id: str, reason: str, *, now: datetime | None = None
) -> Credential:
    """Revoke with a reason; the status list is re-signed at once."""
    now = now or utcnow()
    credential = get_credential(session, public_id)
    rules.require(actor, Permission.CREDENTIAL_REVOKE, credential)
    if credential.status == CredentialStatus.REVOKED:
        raise Conflict(_("Ce badge est déjà révoqué."))
    if not reason.strip():
        raise InvalidInput(_("Indiquez la raison de la révocation."), field="reason")
    credential.move_to(CredentialStatus.REVOKED)
    credential.revoked_at = now
    credential.revocation_reason = reason.strip()
    credential.revoked_by_id = actor.id
    set_revoked(session, credential.status_list, credential.status_index, now=now)
    session.flush()
    _tell_holder_of_revocation(session, credential)
    events.credential_revoked.send(
        session, credential=credential, actor=actor, reason=credential.revocation_reason
    )
    return credential


def _tell_holder_of_revocation(session: Session, credential: Credential) -> None:
    """The holder learns that their badge was revoked, and why (same transaction)."""
    name = credential.achievement.name
    notify(
        session,
        recipient=credential.recipient,
        kind="badge_revoked",
        subject=_("Votre badge a été révoqué : %(name)s", name=name)[:200],
        body=_(
            "Le badge « %(name)s » a été révoqué par son émetteur. Raison : %(reason)s",
            name=name,
            reason=credential.revocation_reason,
        ),
        link=f"/credentials/{credential.public_id}",
    )


def set_recipient_choice(
    session: Session,
    actor: Member,
    public_id: str,
    *,
    choice: RecipientChoice,
    public: bool,
    now: datetime | None = None,
) -> Credential:
    """Only the recipient accepts or hides a credential and decides if their name shows."""
    credential = get_credential(session, public_id)
    rules.require(actor, Permission.CREDENTIAL_CHOOSE, credential)
    if choice == RecipientChoice.PENDING:
        raise InvalidInput(_("Choix invalide."))
    credential.recipient_choice = choice
    credential.is_public = bool(public) and choice == RecipientChoice.ACCEPTED
    credential.choice_at = now or utcnow()
    session.flush()
    return credential


def awardable_members(session: Session, actor: Member) -> list[Member]:
    """Members ``actor`` may award a badge to (their company, or the cluster for the admin)."""
    query = sa.select(Member).where(
        Member.cluster_id == actor.cluster_id,
        Member.company_id.is_not(None),
        Member.closed_at.is_(None),
    )
    if not actor.is_admin:
        if not actor.is_correspondent or actor.company_id is None:
            return []
        query = query.where(Member.company_id == actor.company_id)
    return list(session.execute(query.order_by(Member.display_name)).scalars())


def cluster_members(session: Session, actor: Member) -> list[Member]:
    """Every open member account of the actor's cluster that belongs to a company."""
    return list(
        session.execute(
            sa.select(Member)
            .where(
                Member.cluster_id == actor.cluster_id,
                Member.company_id.is_not(None),
                Member.closed_at.is_(None),
            )
            .order_by(Member.display_name)
        ).scalars()
    )
