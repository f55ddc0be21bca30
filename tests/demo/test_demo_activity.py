"""The demo's currency and sessions: settled past sessions, open upcoming ones, a sound ledger."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from badges import verify
from coop_formation.db import utcnow
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import Transfer
from coop_formation.recognition.models import Credential, CredentialStatus, Endorsement
from coop_formation.training import services as training
from coop_formation.training.models import Enrollment, SessionStatus, TrainingSession
from coop_formation.training.sessions import seats_taken_by_session


def _sessions(db_session, demo):  # type: ignore[no-untyped-def]
    return list(
        db_session.scalars(
            sa.select(TrainingSession).where(TrainingSession.cluster_id == demo.cluster.id)
        )
    )


def test_demo_ledger_passes_the_audit(demo, db_session):
    result = ledger.check_ledger(db_session)
    assert result.ok, result.violations
    assert result.transfers > 150


def test_demo_has_settled_past_sessions_and_non_empty_wallets(demo, db_session):
    settled = [s for s in _sessions(db_session, demo) if s.status == SessionStatus.SETTLED]
    assert len(settled) >= 5
    assert all(s.ends_at < utcnow() for s in settled)
    member = demo.accounts["membre@alpha.demo"]
    account = ledger.member_account(db_session, member)
    touching = sa.or_(
        Transfer.debit_account_id == account.id, Transfer.credit_account_id == account.id
    )
    history = db_session.scalar(sa.select(sa.func.count()).select_from(Transfer).where(touching))
    assert history >= 3  # welcome grant and the sessions followed
    trainer = demo.accounts["correspondant@alpha.demo"]
    balance = ledger.account_balance(ledger.member_account(db_session, trainer))
    policy = ledger.current_policy(db_session, demo.cluster.id)
    assert balance.posted > policy.welcome_grant  # paid for teaching


def test_alpha_member_can_enrol_in_an_upcoming_session_with_free_seats(demo, db_session):
    member = demo.accounts["membre@alpha.demo"]
    upcoming = [
        s
        for s in _sessions(db_session, demo)
        if s.status == SessionStatus.PLANNED and s.starts_at > utcnow()
    ]
    assert len(upcoming) >= 4
    taken = seats_taken_by_session(db_session, [s.id for s in upcoming])
    mine = set(
        db_session.scalars(
            sa.select(Enrollment.session_id).where(Enrollment.member_id == member.id)
        )
    )
    open_to_me = [
        s
        for s in upcoming
        if taken.get(s.id, 0) < s.capacity and s.trainer_id != member.id and s.id not in mine
    ]
    assert open_to_me
    enrollment = training.enrol(
        db_session, actor=member, training_session=open_to_me[0], request_key=uuid.uuid4().hex
    )
    assert enrollment.status == "enrolled"
    assert ledger.check_ledger(db_session).ok


def test_demo_holds_session_badges_one_endorsement_and_one_revoked_credential(demo, db_session):
    credentials = list(db_session.scalars(sa.select(Credential)))
    assert len(credentials) >= 10
    revoked = [c for c in credentials if c.status == CredentialStatus.REVOKED]
    assert len(revoked) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Endorsement)) == 1
    # Every settled past session gave its attendees and its trainer a credential.
    settled = db_session.scalars(
        sa.select(TrainingSession).where(TrainingSession.status == SessionStatus.SETTLED)
    ).all()
    holders = {c.recipient_id for c in credentials}
    for training_session in settled:
        assert training_session.trainer_id in holders
    # What the demo issued is a well-formed, signed credential (structure and signature).
    report = verify(credentials[0].document)
    assert report.check("structure").ok
