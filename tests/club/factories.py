"""Small builders for club tests: sessions, attendance, skills declarations, supporters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from coop_formation.exchange.models import (
    MemberSkill,
    NeedSupporter,
    Skill,
    SkillKind,
    SkillRelation,
)
from coop_formation.extensions import db
from coop_formation.people.models import Company, Member
from coop_formation.training.models import (
    Enrollment,
    EnrollmentStatus,
    SessionSlot,
    SessionStatus,
    TrainingSession,
)
from tests.clock import FROZEN_NOW
from tests.factories import MemberFactory, NeedFactory, SkillFactory

NOW = FROZEN_NOW


def make_members(company: Company, count: int, prefix: str) -> list[Member]:
    """``count`` members of ``company`` with recognisable, unique display names."""
    return [
        MemberFactory(company=company, display_name=f"{prefix} Nom{i:03d}") for i in range(count)
    ]


def make_session(
    trainer: Member,
    *,
    status: SessionStatus = SessionStatus.HELD,
    starts_at: datetime | None = None,
    title: str = "Session",
    need_id: int | None = None,
) -> TrainingSession:
    start = starts_at or NOW - timedelta(days=3)
    end = start + timedelta(hours=2)
    training_session = TrainingSession(
        cluster_id=trainer.cluster_id,
        trainer_id=trainer.id,
        organiser_id=trainer.id,
        title=title,
        capacity=40,
        remote_url="https://visio.example.test/salle",
        status=status,
        duration_minutes=120,
        starts_at=start,
        ends_at=end,
        need_id=need_id,
        slots=[SessionSlot(starts_at=start, ends_at=end)],
    )
    db.session.add(training_session)
    db.session.flush()
    return training_session


def attend(training_session: TrainingSession, members: list[Member]) -> None:
    for member in members:
        db.session.add(
            Enrollment(
                session_id=training_session.id,
                member_id=member.id,
                status=EnrollmentStatus.ATTENDED,
            )
        )
    db.session.flush()


def declare(
    members: list[Member], skill: Skill, relation: SkillRelation = SkillRelation.CAN_TEACH
) -> None:
    for member in members:
        db.session.add(MemberSkill(member_id=member.id, skill_id=skill.id, relation=relation))
    db.session.flush()


def need_with_supporters(author: Member, skill: Skill, supporters: list[Member], **kwargs):  # type: ignore[no-untyped-def]
    need = NeedFactory(author=author, **kwargs)
    need.skills.append(skill)
    for member in supporters:
        db.session.add(NeedSupporter(need_id=need.id, member_id=member.id))
    need.supporters_count = len(supporters)
    db.session.flush()
    return need


@pytest.fixture()
def skill_tree(db_session):  # type: ignore[no-untyped-def]
    """A domain with two skills, and a second domain with one skill."""
    domain = SkillFactory(label="Bureautique", kind=SkillKind.DOMAIN)
    sheets = SkillFactory(label="Tableur", parent=domain)
    writing = SkillFactory(label="Traitement de texte", parent=domain)
    other = SkillFactory(label="Soudure", kind=SkillKind.DOMAIN)
    welding = SkillFactory(label="Soudure TIG", parent=other)
    db.session.flush()
    return {
        "domain": domain,
        "sheets": sheets,
        "writing": writing,
        "other": other,
        "welding": welding,
    }
