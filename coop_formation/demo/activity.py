"""The demo's life in the currency: policy, accounts, grants, past and upcoming sessions.

Everything goes through the ledger and training services, so balances, hash chains and
the clearing report are exactly what real use would produce. Past sessions are created
with the services' ``now`` argument set in the past (the dates are real past dates); the
ledger transfers themselves carry the time the seed ran (they are hash-chained, never
back-dated).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.db import utcnow
from coop_formation.demo.cluster import DemoCluster
from coop_formation.exchange.models import MemberSkill, Offer, SkillRelation
from coop_formation.ledger import services as ledger
from coop_formation.people.models import Member
from coop_formation.recognition import services as recognition
from coop_formation.recognition.models import Credential
from coop_formation.training import services as training
from coop_formation.training.models import TrainingSession

REMOTE_URL = "https://visio.coop-val-de-loire.fr/salle-{id}"
FALLBACK_VENUE = "La Fabrique du Val"
# Offers held "on site" go to a venue able to host them.
ON_SITE_VENUE = {"Le tour CN": "Atelier partagé Les Coteaux"}


@dataclass(frozen=True)
class SessionPlan:
    offer_title: str  # prefix of the offer's title
    days_from_today: int  # negative: in the past
    hour: int
    learners: int
    include: tuple[str, ...] = ()  # demo accounts enrolled
    companies: tuple[str, ...] = ()  # where other learners come from (any when empty)
    no_shows: int = 0
    second_date_days: int | None = None  # a second date, days after the first


PAST: tuple[SessionPlan, ...] = (
    SessionPlan(
        "Tableaux de bord de production",
        -42,
        14,
        4,
        ("membre@beta.demo",),
        ("beta", "conserverie-coteaux", "cosmetiques-val"),
    ),
    SessionPlan(
        "Gestes et postures : atelier",
        -35,
        8,
        5,
        ("membre@alpha.demo",),
        ("beta", "alpha", "plasturgie-sologne"),
        no_shows=1,
    ),
    SessionPlan("Souder l'inox fin", -28, 9, 3, (), ("chaudronnerie-ligerienne", "alpha")),
    SessionPlan(
        "Premiers pas en Python",
        -24,
        17,
        5,
        (),
        ("ondelec", "alpha", "plasturgie-sologne"),
        second_date_days=7,
    ),
    SessionPlan("HACCP expliqué", -14, 10, 4, (), ("conserverie-coteaux", "cosmetiques-val")),
    SessionPlan(
        "Faire face à un client",
        -10,
        17,
        4,
        (),
        ("menuiseries-vendomoises", "imprimerie-beauce-loire", "textile-chambord"),
    ),
    SessionPlan(
        "Initiation à la métrologie",
        -6,
        14,
        5,
        ("membre@alpha.demo",),
        ("alpha", "plasturgie-sologne", "ondelec"),
        no_shows=1,
    ),
)

UPCOMING: tuple[SessionPlan, ...] = (
    SessionPlan("Anglais du quai", 6, 12, 2, (), ("beta",)),
    SessionPlan("Excel : tableaux croisés", 9, 14, 3, (), ("beta", "conserverie-coteaux")),
    SessionPlan("Le tour CN pas à pas", 12, 14, 1, (), ("alpha",)),
    SessionPlan("Animer une réunion courte", 16, 10, 4, (), ("cosmetiques-val", "ondelec")),
    SessionPlan(
        "Organiser un inventaire tournant",
        20,
        9,
        2,
        ("membre@alpha.demo",),
        ("beta", "conserverie-coteaux"),
    ),
    SessionPlan("Sauveteur secouriste du travail", 30, 9, 5, ()),
)

CONTRIBUTIONS: tuple[tuple[str, int, str], ...] = (
    ("alpha", 20_000, "Points de formation : prime collective qualité"),
    ("beta", 15_000, "Points de formation : zéro accident sur le semestre"),
    ("conserverie-coteaux", 10_000, "Points de formation : audit IFS réussi"),
    ("ondelec", 8_000, "Contribution annuelle à la coopérative"),
    ("cosmetiques-val", 8_000, "Contribution annuelle à la coopérative"),
)


def _token() -> str:
    return uuid.uuid4().hex


def _offer(demo_offers: list[Offer], prefix: str) -> Offer:
    return next(o for o in demo_offers if o.title.startswith(prefix))


def _start(days: int, hour: int) -> datetime:
    day = date.today() + timedelta(days=days)
    while day.weekday() >= 5:  # sessions happen on weekdays
        day += timedelta(days=-1 if days < 0 else 1)
    local = datetime.combine(day, time(hour, 0))
    return training.paris_to_utc(local)


def _venue_and_link(
    demo: DemoCluster, offer: Offer, capacity: int
) -> tuple[int | None, str | None]:
    if offer.remote:
        return None, REMOTE_URL.format(id=offer.id)
    if offer.venue_id is not None:
        return offer.venue_id, None
    name = next((v for k, v in ON_SITE_VENUE.items() if offer.title.startswith(k)), FALLBACK_VENUE)
    return demo.venues[name].id, None


def _learners(
    rng: random.Random, demo: DemoCluster, plan: SessionPlan, trainer: Member
) -> list[Member]:
    chosen = [demo.accounts[email] for email in plan.include]
    slugs = plan.companies or tuple(demo.members_by_company)
    pool = [
        m
        for slug in slugs
        for m in demo.members_by_company[slug]
        if m.password_hash is not None
        and m.id != trainer.id
        and m.email not in demo.accounts
        and m not in chosen
    ]
    return chosen + rng.sample(pool, plan.learners)


def _plan_session(
    session: Session, demo: DemoCluster, offer: Offer, plan: SessionPlan, now: datetime
) -> TrainingSession:
    starts = _start(plan.days_from_today, plan.hour)
    minutes = offer.duration_minutes
    slots = [training.SlotInput(starts, starts + timedelta(minutes=minutes))]
    if plan.second_date_days:
        second = starts + timedelta(days=plan.second_date_days)
        slots.append(training.SlotInput(second, second + timedelta(minutes=minutes)))
    venue_id, remote_url = _venue_and_link(demo, offer, offer.capacity)
    capacity = offer.capacity
    if venue_id is not None:
        capacity = min(capacity, next(v.capacity for v in demo.venues.values() if v.id == venue_id))
    data = training.SessionInput(
        title=offer.title,
        description=offer.description,
        slots=slots,
        capacity=capacity,
        format=offer.format,
        venue_id=venue_id,
        remote_url=remote_url,
        on_work_time=plan.hour < 17,
    )
    return training.create_session(session, actor=offer.trainer, data=data, offer=offer, now=now)


def _run_session(
    session: Session, rng: random.Random, demo: DemoCluster, offer: Offer, plan: SessionPlan
) -> TrainingSession:
    starts = _start(plan.days_from_today, plan.hour)
    planned_at = starts - timedelta(days=10)
    created = _plan_session(session, demo, offer, plan, now=min(planned_at, utcnow()))
    learners = _learners(rng, demo, plan, offer.trainer)
    enrol_at = min(starts - timedelta(days=3), utcnow())
    for learner in learners:
        training.enrol(
            session, actor=learner, training_session=created, request_key=_token(), now=enrol_at
        )
    if plan.days_from_today < 0:
        present = {m.id for m in learners[: len(learners) - plan.no_shows]}
        after = created.ends_at + timedelta(minutes=5)
        training.record_attendance(
            session,
            actor=offer.trainer,
            training_session=created,
            attended_member_ids=present,
            now=after,
        )
        # As the settle button: the badges follow through ``events.session_settled``.
        training.settle_session(session, actor=offer.trainer, training_session=created, now=after)
    return created


def seed_ledger_and_sessions(session: Session, demo: DemoCluster) -> list[str]:
    """Policy, welcome grants, contributions, settled past sessions and open upcoming ones.

    Returns what was not seeded (empty when everything was).
    """
    rng = random.Random(7)
    admin = demo.accounts["admin@coop.demo"]
    hr = demo.accounts["rh@club.demo"]
    defaults = ledger.current_policy(session, demo.cluster.id)
    ledger.update_policy(
        session,
        admin,
        note="Politique adoptée par l'assemblée de la coopérative : une heure enseignée vaut "
        "un crédit formation, quel que soit le sujet.",
        **{
            name: getattr(defaults, name)
            for name in (
                "unit_name",
                "unit_code",
                "price_per_hour",
                "preparation_minutes",
                "trainer_rate_per_hour",
                "floor",
                "ceiling",
                "welcome_grant",
                "cancellation_deadline_hours",
                "no_show_rule",
            )
        },
    )
    for slug, amount, memo in CONTRIBUTIONS:
        ledger.record_contribution(
            session,
            hr,
            company_id=demo.companies[slug].id,
            amount=amount,
            memo=memo,
            form_token=_token(),
        )
    for member in demo.members:
        if member.company_id is not None and member.password_hash is not None:
            ledger.grant_welcome(session, member)

    offers = list(session.scalars(sa.select(Offer).where(Offer.cluster_id == demo.cluster.id)))
    for plan in PAST + UPCOMING:
        _run_session(session, rng, demo, _offer(offers, plan.offer_title), plan)
    session.flush()
    _seed_recognition(session, demo)
    return []


def _seed_recognition(session: Session, demo: DemoCluster) -> None:
    """One peer endorsement and one revoked credential, next to the session badges."""
    endorsed = demo.accounts["membre@alpha.demo"]
    skill_id = session.scalar(
        sa.select(MemberSkill.skill_id)
        .where(
            MemberSkill.member_id == endorsed.id,
            MemberSkill.relation.in_([SkillRelation.PRACTISES, SkillRelation.CAN_TEACH]),
        )
        .order_by(MemberSkill.id)
        .limit(1)
    )
    if skill_id is not None:
        recognition.endorse(
            session,
            demo.accounts["correspondant@alpha.demo"],
            endorsed_id=endorsed.id,
            skill_id=skill_id,
            comment="Explique avec patience et méthode ; toute l'équipe en profite.",
        )
    credential = session.scalar(
        sa.select(Credential)
        .where(Credential.recipient_id != endorsed.id)
        .order_by(Credential.id.desc())
        .limit(1)
    )
    if credential is not None:
        recognition.revoke_credential(
            session,
            demo.accounts["admin@coop.demo"],
            credential.public_id,
            "Délivré par erreur : la personne n'a finalement pas suivi la session.",
        )
