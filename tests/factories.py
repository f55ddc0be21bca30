"""factory_boy factories and the small shared world most tests start from.

Every member made here has the password ``demo-coop-test`` and has accepted the cluster's
current charter, so that tests can sign in straight away.
"""

from __future__ import annotations

from dataclasses import dataclass

import factory
import pytest

from coop_formation.exchange.models import (
    Format,
    Need,
    NeedStatus,
    NeedVisibility,
    Offer,
    Skill,
    SkillKind,
    SkillStatus,
)
from coop_formation.extensions import db
from coop_formation.people.auth import hash_password
from coop_formation.people.models import Charter, CharterAcceptance, Cluster, Company, Member

TEST_PASSWORD = "demo-coop-test"
_PASSWORD_HASH = hash_password(TEST_PASSWORD)


class _Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class ClusterFactory(_Base):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Grappe {n}")
    slug = factory.Sequence(lambda n: f"grappe-{n}")


class CompanyFactory(_Base):
    class Meta:
        model = Company

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    slug = factory.Sequence(lambda n: f"entreprise-{n}")
    headcount = 100


class MemberFactory(_Base):
    class Meta:
        model = Member

    company = factory.SubFactory(CompanyFactory)
    cluster = factory.LazyAttribute(lambda o: o.company.cluster)
    email = factory.Sequence(lambda n: f"membre{n}@example.test")
    display_name = factory.Sequence(lambda n: f"Membre {n}")
    password_hash = _PASSWORD_HASH

    @factory.post_generation
    def accept_charter(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not create or extracted is False:
            return
        charter = (
            db.session.query(Charter)
            .filter_by(cluster_id=obj.cluster_id or obj.cluster.id)
            .order_by(Charter.version.desc())
            .first()
        )
        if charter is not None:
            db.session.add(CharterAcceptance(member=obj, charter=charter))  # type: ignore[call-arg]
            db.session.flush()


class CharterFactory(_Base):
    class Meta:
        model = Charter

    cluster = factory.SubFactory(ClusterFactory)
    version = 1
    title = "Charte de la coopérative"
    body = "Solidarité entre les entreprises. Anonymat pour qui le souhaite."


class SkillFactory(_Base):
    class Meta:
        model = Skill

    label = factory.Sequence(lambda n: f"Compétence {n}")
    uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/skill/test-{n}")
    kind = SkillKind.SKILL
    status = SkillStatus.APPROVED
    search_text = factory.LazyAttribute(lambda o: o.label.lower())


class NeedFactory(_Base):
    class Meta:
        model = Need

    author = factory.SubFactory(MemberFactory)
    company = factory.LazyAttribute(lambda o: o.author.company)
    cluster_id = factory.LazyAttribute(lambda o: o.author.cluster_id)
    title = factory.Sequence(lambda n: f"Besoin {n}")
    description = "Une description du besoin."
    format = Format.TRAINING
    visibility = NeedVisibility.COMPANY
    anonymous = False
    status = NeedStatus.OPEN
    search_text = factory.LazyAttribute(lambda o: f"{o.title} {o.description}".lower())


class OfferFactory(_Base):
    class Meta:
        model = Offer

    trainer = factory.SubFactory(MemberFactory)
    company = factory.LazyAttribute(lambda o: o.trainer.company)
    cluster_id = factory.LazyAttribute(lambda o: o.trainer.cluster_id)
    title = factory.Sequence(lambda n: f"Offre {n}")
    description = "Une description de l'offre."
    format = Format.TRAINING
    duration_minutes = 120
    capacity = 8
    search_text = factory.LazyAttribute(lambda o: f"{o.title} {o.description}".lower())


@dataclass
class World:
    """Two companies of one cluster, with a member and a correspondent in each."""

    cluster: Cluster
    charter: Charter
    alpha: Company
    beta: Company
    member_alpha: Member
    other_alpha: Member
    correspondent_alpha: Member
    member_beta: Member
    correspondent_beta: Member
    hr: Member
    admin: Member


@pytest.fixture()
def world(db_session) -> World:  # type: ignore[no-untyped-def]
    cluster = ClusterFactory(name="Grappe test", slug="grappe-test")
    charter = CharterFactory(cluster=cluster)
    alpha = CompanyFactory(cluster=cluster, name="Alpha", slug="alpha")
    beta = CompanyFactory(cluster=cluster, name="Beta", slug="beta")
    world = World(
        cluster=cluster,
        charter=charter,
        alpha=alpha,
        beta=beta,
        member_alpha=MemberFactory(
            company=alpha, email="membre@alpha.test", display_name="Alice Martin"
        ),
        other_alpha=MemberFactory(
            company=alpha, email="autre@alpha.test", display_name="Paul Durand"
        ),
        correspondent_alpha=MemberFactory(
            company=alpha,
            email="correspondant@alpha.test",
            display_name="Chloé Petit",
            is_correspondent=True,
        ),
        member_beta=MemberFactory(
            company=beta, email="membre@beta.test", display_name="Bruno Roux"
        ),
        correspondent_beta=MemberFactory(
            company=beta,
            email="correspondant@beta.test",
            display_name="Dora Blanc",
            is_correspondent=True,
        ),
        hr=MemberFactory(
            company=None,
            cluster=cluster,
            email="rh@club.test",
            display_name="Hélène RH",
            is_hr_club=True,
        ),
        admin=MemberFactory(
            company=None,
            cluster=cluster,
            email="admin@coop.test",
            display_name="Admin Coop",
            is_admin=True,
        ),
    )
    # Committed (a savepoint release inside the test's transaction) so that a view's
    # rollback after a refused action does not take the world away with it.
    db.session.commit()
    return world


__all__ = [
    "TEST_PASSWORD",
    "CharterFactory",
    "ClusterFactory",
    "CompanyFactory",
    "MemberFactory",
    "NeedFactory",
    "OfferFactory",
    "SkillFactory",
    "World",
    "world",
]
