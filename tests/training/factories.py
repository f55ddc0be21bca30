"""Helpers that build training objects for tests, bypassing the services' "future dates" rule
so that past and running sessions can be made too."""

from __future__ import annotations

from datetime import datetime, timedelta

from coop_formation.db import utcnow
from coop_formation.exchange.models import Format, Venue
from coop_formation.extensions import db
from coop_formation.ledger import services as ledger
from coop_formation.people.models import Member
from coop_formation.training.models import SessionSlot, SessionStatus, TrainingSession
from coop_formation.training.sessions import price_for


def make_venue(
    cluster_id: int, *, name: str = "Tiers-lieu de la gare", capacity: int = 12
) -> Venue:
    venue = Venue(cluster_id=cluster_id, name=name, address="1 place de la Gare", capacity=capacity)
    db.session.add(venue)
    db.session.flush()
    return venue


def make_session(
    trainer: Member,
    *,
    organiser: Member | None = None,
    capacity: int = 2,
    starts_at: datetime | None = None,
    minutes: int = 120,
    venue: Venue | None = None,
    status: SessionStatus = SessionStatus.PLANNED,
    title: str = "Tableurs avancés",
    on_work_time: bool = True,
) -> TrainingSession:
    """A session with one date (default: in ten days, two hours, remote)."""
    start = starts_at or (utcnow() + timedelta(days=10)).replace(microsecond=0)
    end = start + timedelta(minutes=minutes)
    policy = ledger.current_policy(db.session, trainer.cluster_id)
    training_session = TrainingSession(
        cluster_id=trainer.cluster_id,
        trainer_id=trainer.id,
        organiser_id=(organiser or trainer).id,
        title=title,
        description="Des formules aux tableaux croisés.",
        format=Format.TRAINING,
        capacity=capacity,
        venue_id=venue.id if venue else None,
        remote_url=None if venue else "https://visio.example.test/salle",
        on_work_time=on_work_time,
        status=status,
        price_per_learner=price_for(minutes, policy.price_per_hour),
        duration_minutes=minutes,
        starts_at=start,
        ends_at=end,
        slots=[SessionSlot(starts_at=start, ends_at=end)],
    )
    db.session.add(training_session)
    db.session.flush()
    return training_session


def give(member: Member, amount: int, key: str) -> None:
    """Credit ``member`` from the cluster's issuance account (test money)."""
    issuance = ledger.issuance_account(db.session, member.cluster_id)
    account = ledger.member_account(db.session, member)
    ledger.create_transfer(
        db.session,
        debit_account_id=issuance.id,
        credit_account_id=account.id,
        amount=amount,
        kind="allocation",
        idempotency_key=key,
    )


def balance(member: Member) -> ledger.Balance:
    account = ledger.member_account(db.session, member)
    db.session.refresh(account)
    return ledger.account_balance(account)


def fund_balance(cluster_id: int) -> ledger.Balance:
    account = ledger.fund_account(db.session, cluster_id)
    db.session.refresh(account)
    return ledger.account_balance(account)
