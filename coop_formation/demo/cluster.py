"""The realistic demo cluster: ten companies, about 200 members, the six demo accounts.

Everything is drawn from ``data.py`` with a fixed random seed, so the demo is the same on
every machine. The password is hashed once and the hash reused (argon2 costs ~50 ms).
:func:`coop_formation.demo.seed.seed_demo` builds the whole demo from these steps.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.db import utcnow
from coop_formation.demo import data
from coop_formation.demo.charter import CHARTER_BODY, CHARTER_TITLE
from coop_formation.demo.skills import SkillIndex
from coop_formation.exchange.models import MemberSkill, SkillRelation, Venue
from coop_formation.people.models import (
    Charter,
    CharterAcceptance,
    Cluster,
    Company,
    Member,
    Visibility,
)

# Domains of the shipped framework each company's people mostly practise.
COMPANY_DOMAINS: dict[str, tuple[str, ...]] = {
    "alpha": ("production", "maintenance", "qualite"),
    "beta": ("logistique", "securite", "gestion"),
    "chaudronnerie-ligerienne": ("production", "securite"),
    "plasturgie-sologne": ("production", "qualite", "securite"),
    "menuiseries-vendomoises": ("production", "relation-client"),
    "imprimerie-beauce-loire": ("production", "numerique", "relation-client"),
    "conserverie-coteaux": ("production", "qualite", "securite"),
    "ondelec": ("production", "numerique", "maintenance"),
    "textile-chambord": ("production", "relation-client"),
    "cosmetiques-val": ("qualite", "gestion", "securite"),
}
SHARED_DOMAINS = ("savoir-etre", "langues", "management", "numerique")


def domain_uris(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"urn:coop:domain:{name}" for name in names)


@dataclass
class DemoCluster:
    """What the demo seed made, for the next seeding steps and for tests."""

    cluster: Cluster
    charter: Charter
    companies: dict[str, Company]
    accounts: dict[str, Member]
    members_by_company: dict[str, list[Member]] = field(default_factory=dict)
    venues: dict[str, Venue] = field(default_factory=dict)
    skills: SkillIndex | None = None

    @property
    def members(self) -> list[Member]:
        everyone = [m for group in self.members_by_company.values() for m in group]
        return everyone + [a for a in self.accounts.values() if a.company_id is None]


def find_demo_cluster(session: Session) -> Cluster | None:
    return session.scalar(sa.select(Cluster).where(Cluster.slug == data.CLUSTER_SLUG))


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(ch for ch in folded if ch.isalnum() or ch in " -")
    return "-".join(kept.replace("-", " ").split())


def _email_domain(company: data.CompanyData) -> str:
    return f"{company.slug.split('-')[0]}.demo"


def _new_member(
    cluster: Cluster, company: Company | None, email: str, name: str, job: str
) -> Member:
    return Member(
        cluster=cluster,
        company=company,
        email=email,
        display_name=name,
        job_title=job,
        is_correspondent=False,
        is_hr_club=False,
        is_admin=False,
    )


def seed_people(session: Session, rng: random.Random, password_hash: str) -> DemoCluster:
    """Cluster, charter, companies, demo accounts and the other members (no skills yet)."""
    now = utcnow()
    cluster = Cluster(name=data.CLUSTER_NAME, slug=data.CLUSTER_SLUG)
    session.add(cluster)
    companies = {
        c.slug: Company(cluster=cluster, name=c.name, slug=c.slug, headcount=c.headcount)
        for c in data.COMPANIES
    }
    session.add_all(companies.values())

    accounts: dict[str, Member] = {}
    for account in data.DEMO_ACCOUNTS:
        company = companies[account.company_slug] if account.company_slug else None
        member = _new_member(
            cluster, company, account.email, account.display_name, account.job_title
        )
        member.is_correspondent = account.is_correspondent
        member.is_hr_club = account.is_hr_club
        member.is_admin = account.is_admin
        member.password_hash = password_hash
        member.activated_at = now - timedelta(days=120)
        member.job_title_visibility = Visibility.CLUSTER
        accounts[account.email] = member
    session.add_all(accounts.values())
    session.flush()

    charter = Charter(
        cluster_id=cluster.id,
        version=1,
        title=CHARTER_TITLE,
        body=CHARTER_BODY,
        published_at=now - timedelta(days=180),
        published_by_id=accounts["admin@coop.demo"].id,
    )
    session.add(charter)

    used_names = {a.display_name for a in accounts.values()}
    used_emails = set(accounts)
    by_company: dict[str, list[Member]] = {slug: [] for slug in companies}
    for account in accounts.values():
        if account.company is not None:
            by_company[account.company.slug].append(account)
    for company_data in data.COMPANIES:
        company = companies[company_data.slug]
        group = by_company[company_data.slug]
        # A second correspondent in the two largest companies; one elsewhere.
        correspondents_wanted = 2 if company_data.members >= 28 else 1
        while len(group) < company_data.members:
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
            name = f"{first} {last}"
            if name in used_names:
                continue
            used_names.add(name)
            email = f"{_ascii(first)}.{_ascii(last)}@{_email_domain(company_data)}"
            if email in used_emails:
                continue
            used_emails.add(email)
            member = _new_member(cluster, company, email, name, rng.choice(company_data.jobs))
            member.job_title_visibility = rng.choice(
                (Visibility.COMPANY, Visibility.CLUSTER, Visibility.CLUSTER)
            )
            if rng.random() < 0.25:
                member.bio = rng.choice(data.BIOS)
                member.bio_visibility = rng.choice((Visibility.COMPANY, Visibility.CLUSTER))
            if rng.random() < 0.8:  # the others still have an invitation pending
                member.password_hash = password_hash
                member.activated_at = now - timedelta(days=rng.randint(5, 150))
            if sum(m.is_correspondent for m in group) < correspondents_wanted and (
                member.password_hash is not None
            ):
                member.is_correspondent = True
            group.append(member)
            session.add(member)
    session.flush()

    acceptances = [
        {"member_id": m.id, "charter_id": charter.id, "accepted_at": m.activated_at}
        for group in by_company.values()
        for m in group
        if m.password_hash is not None and (m.email in accounts or rng.random() < 0.85)
    ]
    acceptances += [
        {"member_id": a.id, "charter_id": charter.id, "accepted_at": a.activated_at}
        for a in accounts.values()
        if a.company_id is None
    ]
    session.execute(sa.insert(CharterAcceptance), acceptances)
    return DemoCluster(cluster, charter, companies, accounts, by_company)


def seed_venues(session: Session, demo: DemoCluster) -> None:
    for venue in data.VENUES:
        row = Venue(
            cluster_id=demo.cluster.id,
            name=venue.name,
            address=venue.address,
            capacity=venue.capacity,
            accessibility=venue.accessibility,
            opening_hours=venue.opening_hours,
        )
        session.add(row)
        demo.venues[venue.name] = row
    session.flush()


def seed_member_skills(session: Session, rng: random.Random, demo: DemoCluster) -> int:
    """Self-declared skills: what members practise, can teach, and want to learn."""
    index = demo.skills
    if index is None or not len(index):
        return 0
    rows: list[dict[str, object]] = []
    now = utcnow()
    for slug, group in demo.members_by_company.items():
        own = domain_uris(COMPANY_DOMAINS.get(slug, ()))
        shared = domain_uris(SHARED_DOMAINS)
        for member in group:
            practised = index.pick(rng, own, rng.randint(2, 4)) + index.pick(rng, shared, 1)
            teach = rng.sample(practised, 1) if rng.random() < 0.35 else []
            learn = [
                s for s in index.pick(rng, own + shared, rng.randint(0, 2)) if s not in practised
            ]
            for relation, skill_ids in (
                (SkillRelation.PRACTISES, practised),
                (SkillRelation.CAN_TEACH, teach),
                (SkillRelation.WANTS_TO_LEARN, learn),
            ):
                rows += [
                    {
                        "member_id": member.id,
                        "skill_id": sid,
                        "relation": relation,
                        "created_at": now,
                    }
                    for sid in dict.fromkeys(skill_ids)
                ]
    if rows:
        session.execute(sa.insert(MemberSkill), rows)
    return len(rows)
