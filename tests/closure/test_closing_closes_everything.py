"""Closing an account closes everything the person held, in the closure's one transaction,
and ``/me/export`` before it holds everything the platform keeps on them (issue 10, point 6)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from coop_formation import events
from coop_formation.communities import services as communities
from coop_formation.communities.models import Community, CommunityMembership, CommunityPost
from coop_formation.exchange import services as exchange
from coop_formation.exchange.models import (
    Need,
    NeedStatus,
    NeedSupporter,
    NeedVisibility,
    Offer,
    OfferStatus,
)
from coop_formation.extensions import db
from coop_formation.ledger import services as ledger
from coop_formation.ledger.models import Account, Transfer, TransferState
from coop_formation.matching import services as matching
from coop_formation.matching.models import MatchingPreference, pool_needs
from coop_formation.notifications.models import Notification
from coop_formation.people.models import Member
from coop_formation.training import services as training
from coop_formation.training.models import (
    CalendarFeedToken,
    Enrollment,
    EnrollmentStatus,
    SessionStatus,
    TrainingSession,
)
from tests.factories import TEST_PASSWORD, NeedFactory, OfferFactory, World
from tests.ledger.invariants import assert_ledger_invariants
from tests.training.factories import balance, give, make_session

OTHERS = (
    "Paul Durand",
    "Bruno Roux",
    "Chloé Petit",
    "Dora Blanc",
    "autre@alpha.test",
    "membre@beta.test",
    "correspondant@alpha.test",
    "correspondant@beta.test",
)


@dataclass
class Held:
    """What Alice holds before she closes her account."""

    learning: TrainingSession  # taught by Paul; Alice seated, Bruno waiting
    handed: TrainingSession  # taught by Alice, organised by Chloé; Paul seated
    own: TrainingSession  # taught and organised by Alice; Dora seated
    need: Need
    anonymous_need: Need
    supported: Need  # Paul's need, supported anonymously by Alice
    offer: Offer
    community: Community
    pool_id: int
    beta_need: Need


def _enrol(member: Member, training_session: TrainingSession) -> Enrollment:
    return training.enrol(
        db.session,
        actor=member,
        training_session=training_session,
        request_key=secrets.token_urlsafe(24),
    )


def _alice_holds_everything(world: World) -> Held:
    alice = world.member_alpha
    for who in (alice, world.other_alpha, world.member_beta, world.correspondent_beta):
        give(who, 1_000, f"test-money:{who.id}")
    learning = make_session(world.other_alpha, capacity=1, title="Tableurs avancés")
    handed = make_session(alice, organiser=world.correspondent_alpha, title="Soudure débutants")
    own = make_session(alice, title="Lecture de plans")
    _enrol(alice, learning)
    assert _enrol(world.member_beta, learning).status == EnrollmentStatus.WAITLISTED
    _enrol(world.other_alpha, handed)
    _enrol(world.correspondent_beta, own)
    training.feed_token(db.session, alice)

    need = NeedFactory(author=alice, title="Besoin d'Alice")
    anonymous_need = NeedFactory(author=alice, title="Reconversion discrète", anonymous=True)
    supported = NeedFactory(author=world.other_alpha, title="Besoin de Paul")
    exchange.join_need(db.session, alice, supported.id, anonymous=True)
    offer = OfferFactory(trainer=alice, title="Initiation au tableur")
    beta_need = NeedFactory(
        author=world.member_beta, title="Besoin de Bruno", visibility=NeedVisibility.CLUSTER
    )

    community = communities.create_community(
        db.session, world.correspondent_alpha, communities.CommunityData(name="Soudeurs")
    )
    communities.join_community(db.session, alice, community.id)
    communities.add_post(db.session, alice, community.id, "Qui a un poste TIG libre ?")
    pool = matching.create_pool(
        db.session, world.correspondent_alpha, "Soudure pour tous", [need.id, beta_need.id]
    )
    matching.set_preference(
        db.session, alice, suggest_me=True, accept_calls=True, availability="le jeudi"
    )
    db.session.commit()
    return Held(
        learning, handed, own, need, anonymous_need, supported, offer, community, pool.id, beta_need
    )


def _posted_balances() -> dict[int, int]:
    rows = db.session.execute(sa.select(Account.id, Account.credits_posted - Account.debits_posted))
    return dict(rows.tuples().all())


def _close(client_for, member: Member) -> None:  # type: ignore[no-untyped-def]
    response = client_for(member).post("/me/close", data={"password": TEST_PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()


def test_export_before_closing_holds_every_section_and_nobody_else(client_for, world):
    held = _alice_holds_everything(world)
    response = client_for(world.member_alpha).get("/me/export")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    data = json.loads(text)

    enrolments = data["training"]["enrolments"]
    assert [(e["session_id"], e["status"]) for e in enrolments] == [(held.learning.id, "enrolled")]
    assert {s["session_id"] for s in data["training"]["sessions_taught"]} == {
        held.handed.id,
        held.own.id,
    }
    assert data["training"]["calendar_feed"] is True

    wallet = data["wallet"]
    assert wallet["balance"] == {
        "posted": 1_000,
        "pending_debits": held.learning.price_per_learner,
        "pending_credits": 0,
        "available": 1_000 - held.learning.price_per_learner,
    }
    fee = [t for t in wallet["transfers"] if t["kind"] == "session_fee"]
    assert fee and fee[0]["state"] == "pending" and fee[0]["direction"] == "out"
    assert fee[0]["counterparty"] == "fund"

    assert [m["community"] for m in data["communities"]["memberships"]] == ["Soudeurs"]
    assert [p["body"] for p in data["communities"]["posts"]] == ["Qui a un poste TIG libre ?"]
    assert "need_pooled" in {n["kind"] for n in data["notifications"]["received"]}
    assert [(p["pool_id"], p["my_need_id"]) for p in data["matching"]["pools"]] == [
        (held.pool_id, held.need.id)
    ]
    assert data["matching"]["preferences"]["availability"] == "le jeudi"
    assert {n["title"] for n in data["exchange"]["needs"]} == {
        "Besoin d'Alice",
        "Reconversion discrète",
    }
    assert [s["need_title"] for s in data["exchange"]["supported_needs"]] == ["Besoin de Paul"]

    # Only Alice's own data: no other person, no other person's need, no one's identity.
    for foreign in (*OTHERS, "Besoin de Bruno"):
        assert foreign not in text, foreign


def test_closing_an_account_releases_everything_in_one_action(client_for, world):
    held = _alice_holds_everything(world)
    alice_id = world.member_alpha.id
    posted_before = _posted_balances()
    alice_before = balance(world.member_alpha)
    dora_before = balance(world.correspondent_beta)
    paul_before = balance(world.other_alpha)
    seat = training.find_enrollment(db.session, held.learning.id, alice_id)
    reservation_id = seat.pending_transfer_id

    _close(client_for, world.member_alpha)

    # Enrolment cancelled, its reservation voided; the waiting list moved on.
    seat = training.find_enrollment(db.session, held.learning.id, alice_id)
    assert seat.status == EnrollmentStatus.CANCELLED
    void = db.session.scalars(sa.select(Transfer).where(Transfer.pending_id == reservation_id))
    assert [t.state for t in void] == [TransferState.VOIDED]
    bruno = training.find_enrollment(db.session, held.learning.id, world.member_beta.id)
    assert bruno.status == EnrollmentStatus.ENROLLED and bruno.pending_transfer_id is not None
    alice = db.session.get(Member, alice_id)
    after = balance(alice)
    assert (after.posted, after.pending_debits) == (alice_before.posted, 0)
    assert after.available == alice_before.available + held.learning.price_per_learner

    # Needs withdrawn (the anonymous one too), offer archived, support removed.
    for need in (held.need, held.anonymous_need):
        assert db.session.get(Need, need.id).status == NeedStatus.CLOSED
    assert db.session.get(Offer, held.offer.id).status == OfferStatus.ARCHIVED
    assert not db.session.scalars(
        sa.select(NeedSupporter).where(NeedSupporter.member_id == alice_id)
    ).all()
    assert db.session.get(Need, held.supported.id).supporters_count == 0

    # The session she was to teach goes back to its organiser, who is told; Paul keeps his seat.
    handed = db.session.get(TrainingSession, held.handed.id)
    assert handed.status == SessionStatus.PLANNED
    assert handed.trainer_id == world.correspondent_alpha.id
    notice = db.session.scalars(
        sa.select(Notification).where(
            Notification.recipient_id == world.correspondent_alpha.id,
            Notification.kind == "session_changed",
        )
    ).one()
    assert notice.link == f"/sessions/{handed.id}" and "Soudure débutants" in notice.subject
    paul_seat = training.find_enrollment(db.session, handed.id, world.other_alpha.id)
    assert paul_seat.status == EnrollmentStatus.ENROLLED
    assert balance(world.other_alpha) == paul_before

    # The session she taught and organised is cancelled: Dora refunded and told.
    own = db.session.get(TrainingSession, held.own.id)
    assert own.status == SessionStatus.CANCELLED and own.cancelled_reason
    dora_seat = training.find_enrollment(db.session, own.id, world.correspondent_beta.id)
    assert dora_seat.status == EnrollmentStatus.CANCELLED
    dora = balance(world.correspondent_beta)
    assert (dora.posted, dora.pending_debits) == (dora_before.posted, 0)
    assert db.session.scalar(
        sa.select(sa.func.count()).where(
            Notification.recipient_id == world.correspondent_beta.id,
            Notification.kind == "session_changed",
            Notification.link == f"/sessions/{own.id}",
        )
    )

    # Community and matching memberships ended; her post stays, anonymised.
    assert not db.session.scalars(
        sa.select(CommunityMembership).where(CommunityMembership.member_id == alice_id)
    ).all()
    assert db.session.get(Community, held.community.id).members_count == 1
    post = db.session.scalars(sa.select(CommunityPost)).one()
    assert post.author.display_name == "Ancien membre"
    pooled = db.session.scalars(
        sa.select(pool_needs.c.need_id).where(pool_needs.c.pool_id == held.pool_id)
    ).all()
    assert pooled == [held.beta_need.id]
    assert db.session.get(MatchingPreference, alice_id) is None
    assert not db.session.scalars(
        sa.select(CalendarFeedToken).where(CalendarFeedToken.member_id == alice_id)
    ).all()

    # Money conserved: nothing was posted, only reservations released; the ledger holds.
    assert _posted_balances() == posted_before
    assert_ledger_invariants(db.session)


def test_closing_past_the_cancellation_deadline_still_releases_the_seat(client_for, world, clock):
    alice = world.member_alpha
    give(alice, 1_000, "test-money:alice")
    give(world.member_beta, 1_000, "test-money:bruno")
    learning = make_session(world.other_alpha, capacity=1)
    seat = _enrol(alice, learning)
    _enrol(world.member_beta, learning)
    db.session.commit()
    clock.move_to(learning.starts_at - timedelta(hours=2))
    assert training.cancellation_deadline(db.session, learning) < learning.starts_at - timedelta(
        hours=2
    )

    _close(client_for, alice)

    assert db.session.get(Enrollment, seat.id).status == EnrollmentStatus.CANCELLED
    assert balance(db.session.get(Member, alice.id)).pending_debits == 0
    bruno = training.find_enrollment(db.session, learning.id, world.member_beta.id)
    assert bruno.status == EnrollmentStatus.ENROLLED
    assert_ledger_invariants(db.session)


def test_a_seat_in_a_session_under_way_is_left_to_attendance(client_for, world, clock):
    alice = world.member_alpha
    give(alice, 1_000, "test-money:alice")
    running = make_session(world.other_alpha, capacity=2)
    seat = _enrol(alice, running)
    db.session.commit()
    clock.move_to(running.starts_at + timedelta(minutes=30))

    _close(client_for, alice)

    assert db.session.get(Enrollment, seat.id).status == EnrollmentStatus.ENROLLED
    assert balance(db.session.get(Member, alice.id)).pending_debits == running.price_per_learner
    assert_ledger_invariants(db.session)


def test_closure_receivers_run_twice_without_changing_anything_more(world):
    held = _alice_holds_everything(world)
    alice = world.member_alpha
    events.member_closed.send(db.session, member=alice, actor=alice)
    once = _posted_balances(), db.session.scalar(sa.select(sa.func.count(Notification.id)))
    events.member_closed.send(db.session, member=alice, actor=alice)
    assert (
        _posted_balances(),
        db.session.scalar(sa.select(sa.func.count(Notification.id))),
    ) == once
    assert db.session.get(TrainingSession, held.own.id).status == SessionStatus.CANCELLED
    assert_ledger_invariants(db.session)
    assert ledger.find_member_account(db.session, alice) is not None
