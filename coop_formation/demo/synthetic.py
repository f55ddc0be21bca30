"""A synthetic cluster of any size, for benchmarks (``coop-formation seed --members N``).

Rows go in with bulk ``INSERT``s in chunks (no ORM object per row) so that 50,000 members,
their skills, 25,000 needs and 5,000 offers load in well under a minute on SQLite. One
member per company can sign in (password ``demo-coop``, charter accepted); the others have
no password (invitation pending).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.db import utcnow
from coop_formation.demo import data
from coop_formation.demo.charter import CHARTER_BODY, CHARTER_TITLE
from coop_formation.demo.skills import SkillLabels, load_taxonomy, search_text_for
from coop_formation.exchange.models import (
    MemberSkill,
    Need,
    Offer,
    Skill,
    SkillKind,
    SkillStatus,
    need_skills,
    offer_skills,
)
from coop_formation.people.models import Charter, CharterAcceptance, Cluster, Company, Member

CHUNK = 5_000
NEED_TOPICS = (
    "tableur",
    "soudure",
    "anglais",
    "sécurité",
    "qualité",
    "maintenance",
    "réunion",
    "inventaire",
    "commande numérique",
    "hygiène",
    "premiers secours",
    "python",
    "métrologie",
    "conflits",
    "logistique",
    "planning",
    "gestes et postures",
    "devis",
    "management",
    "audit",
)
NEED_PATTERNS = (
    ("Se former à {t}", "Besoin d'une remise à niveau en {t} pour notre équipe."),
    ("Atelier {t} pour débutants", "Plusieurs collègues aimeraient découvrir {t} en pratique."),
    ("Groupe d'échange : {t}", "Partager nos façons de faire sur {t} entre entreprises."),
    ("Approfondir {t}", "Je pratique déjà {t} mais il me manque les bases théoriques."),
)
OFFER_PATTERNS = (
    ("Initiation : {t}", "Deux heures pour découvrir {t}, avec des exemples de l'atelier."),
    ("{t} : les bons gestes", "Démonstration puis pratique encadrée sur {t}."),
)
FORMATS = ("training", "problem_solving", "work_group", "talk_group", "one_to_one")
URGENCIES = ("urgent", "soon", "this_year", "whenever")


@dataclass
class SeedReport:
    cluster_id: int
    cluster_name: str
    companies: int
    members: int
    member_skills: int
    needs: int
    offers: int
    sign_in_emails: list[str]


Progress = Callable[[int], None]


def _chunks(
    rows: Sequence[dict[str, Any]], size: int = CHUNK
) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk(
    session: Session, target: Any, rows: Sequence[dict[str, Any]], progress: Progress
) -> None:
    """Insert ``rows`` in chunks; ``target`` is a mapped class or a Core table."""
    table = target.__table__ if hasattr(target, "__table__") else target
    for chunk in _chunks(rows):
        session.execute(sa.insert(table), list(chunk))
        progress(len(chunk))


def _skill_ids(session: Session) -> list[int]:
    ids = list(
        session.scalars(
            sa.select(Skill.id)
            .where(Skill.kind == SkillKind.SKILL, Skill.status == SkillStatus.APPROVED)
            .order_by(Skill.id)
        )
    )
    return ids


def _next_suffix(session: Session) -> int:
    taken = session.scalar(
        sa.select(sa.func.count()).select_from(Cluster).where(Cluster.slug.like("synthetique-%"))
    )
    return (taken or 0) + 1


def planned_rows(members: int) -> int:
    """Rows the seed will insert, for a progress bar's length."""
    return members * 3 + (members // 2) * 3 + (members // 10) * 3


def seed_synthetic(
    session: Session,
    members: int,
    companies: int = 10,
    password_hash: str | None = None,
    progress: Progress | None = None,
    seed: int = 1,
) -> SeedReport:
    """Create "Grappe synthétique N": companies, members, skills, needs and offers (flushes)."""
    if members <= 0 or companies <= 0:
        raise ValueError("members and companies must be positive")
    companies = min(companies, members)
    tick = progress or (lambda n: None)
    rng = random.Random(seed)
    now = utcnow()
    load_taxonomy(session)
    skill_ids = _skill_ids(session)
    labels = {
        row.id: SkillLabels(row.label, row.alt_labels)
        for row in session.execute(sa.select(Skill.id, Skill.label, Skill.alt_labels))
    }

    suffix = _next_suffix(session)
    cluster = Cluster(name=f"Grappe synthétique {members}", slug=f"synthetique-{suffix}")
    session.add(cluster)
    session.flush()
    company_ids: list[int] = []
    for index in range(companies):
        company = Company(
            cluster_id=cluster.id,
            name=f"Entreprise synthétique {index + 1}",
            slug=f"entreprise-{index + 1}",
            headcount=members // companies,
        )
        session.add(company)
        session.flush()
        company_ids.append(company.id)
    charter = Charter(cluster_id=cluster.id, version=1, title=CHARTER_TITLE, body=CHARTER_BODY)
    session.add(charter)
    session.flush()

    domain = f"s{suffix}.synth"
    member_rows: list[dict[str, Any]] = []
    for i in range(members):
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
        signs_in = i < companies  # the first member of each company
        member_rows.append(
            {
                "cluster_id": cluster.id,
                "company_id": company_ids[i % companies],
                "email": f"m{i + 1}@{domain}",
                "display_name": f"{first} {last}",
                "password_hash": password_hash if signs_in else None,
                "activated_at": now if signs_in and password_hash else None,
                "job_title": rng.choice(data.COMPANIES[i % len(data.COMPANIES)].jobs),
                "created_at": now,
            }
        )
    _bulk(session, Member, member_rows, tick)
    member_ids = list(
        session.scalars(
            sa.select(Member.id).where(Member.cluster_id == cluster.id).order_by(Member.id)
        )
    )
    sign_in = member_ids[:companies]
    session.execute(
        sa.insert(CharterAcceptance),
        [{"member_id": mid, "charter_id": charter.id, "accepted_at": now} for mid in sign_in],
    )

    relations = ("practises", "can_teach", "wants_to_learn")
    skill_rows = []
    for mid in member_ids:
        for relation, sid in zip(relations, rng.sample(skill_ids, 2), strict=False):
            skill_rows.append(
                {"member_id": mid, "skill_id": sid, "relation": relation, "created_at": now}
            )
    _bulk(session, MemberSkill.__table__, skill_rows, tick)

    def texts(patterns: tuple[tuple[str, str], ...]) -> tuple[str, str, str]:
        topic = rng.choice(NEED_TOPICS)
        title, description = rng.choice(patterns)
        return topic, title.format(t=topic), description.format(t=topic)

    company_of = {mid: company_ids[i % companies] for i, mid in enumerate(member_ids)}
    need_rows, need_links = [], []
    for _ in range(members // 2):
        author = rng.choice(member_ids)
        _, title, description = texts(NEED_PATTERNS)
        sids = rng.sample(skill_ids, 2)
        need_links.append(sids)
        created = now - timedelta(minutes=rng.randint(0, 525_600))
        need_rows.append(
            {
                "cluster_id": cluster.id,
                "company_id": company_of[author],
                "author_id": author,
                "title": title,
                "description": description,
                "urgency": rng.choice(URGENCIES),
                "format": rng.choice(FORMATS),
                "visibility": "cluster" if rng.random() < 0.4 else "company",
                "anonymous": rng.random() < 0.05,
                "status": "open" if rng.random() < 0.8 else "matched",
                "supporters_count": 0,
                "created_at": created,
                "updated_at": created,
                "search_text": search_text_for(title, description, [labels[s] for s in sids]),
            }
        )
    _bulk(session, Need.__table__, need_rows, tick)
    need_ids = list(
        session.scalars(sa.select(Need.id).where(Need.cluster_id == cluster.id).order_by(Need.id))
    )
    links = [
        {"need_id": nid, "skill_id": sid}
        for nid, sids in zip(need_ids, need_links, strict=True)
        for sid in sids
    ]
    _bulk(session, need_skills, links, tick)

    offer_rows, offer_links = [], []
    for _ in range(members // 10):
        trainer = rng.choice(member_ids)
        _, title, description = texts(OFFER_PATTERNS)
        sids = rng.sample(skill_ids, 2)
        offer_links.append(sids)
        offer_rows.append(
            {
                "cluster_id": cluster.id,
                "company_id": company_of[trainer],
                "trainer_id": trainer,
                "title": title,
                "description": description,
                "format": rng.choice(FORMATS),
                "duration_minutes": rng.choice((60, 90, 120, 180)),
                "capacity": rng.choice((4, 6, 8, 10, 12)),
                "remote": rng.random() < 0.2,
                "status": "active",
                "created_at": now,
                "updated_at": now,
                "search_text": search_text_for(title, description, [labels[s] for s in sids]),
            }
        )
    _bulk(session, Offer.__table__, offer_rows, tick)
    offer_ids = list(
        session.scalars(
            sa.select(Offer.id).where(Offer.cluster_id == cluster.id).order_by(Offer.id)
        )
    )
    links = [
        {"offer_id": oid, "skill_id": sid}
        for oid, sids in zip(offer_ids, offer_links, strict=True)
        for sid in sids
    ]
    _bulk(session, offer_skills, links, tick)

    emails = [row["email"] for row in member_rows[:companies]]
    return SeedReport(
        cluster_id=cluster.id,
        cluster_name=cluster.name,
        companies=companies,
        members=members,
        member_skills=len(skill_rows),
        needs=len(need_rows),
        offers=len(offer_rows),
        sign_in_emails=emails,
    )
