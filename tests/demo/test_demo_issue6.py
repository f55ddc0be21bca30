"""The demo shows issue 6's acceptance: suggestions, pools, relay, HR club aggregates."""

from __future__ import annotations

import re

import sqlalchemy as sa

from coop_formation.club import kanon
from coop_formation.club import services as club
from coop_formation.club.filters import resolve_filters
from coop_formation.club.participation import participation_report
from coop_formation.club.skills_map import skills_map
from coop_formation.communities.models import Community, CommunityPost, CommunityResource
from coop_formation.demo.club_seed import POOLED_TRAINING
from coop_formation.exchange.models import Need, NeedStatus
from coop_formation.matching import services as matching
from coop_formation.matching.models import Pool
from coop_formation.notifications.models import Notification
from coop_formation.people import mobility
from coop_formation.relations.models import (
    AssistConsent,
    AssistedAction,
    Introduction,
    IntroductionStatus,
    RelayThread,
)
from tests.conftest import login

DEMO_PASSWORD = "demo-coop"


def _alpha_open_needs(db_session, demo):  # type: ignore[no-untyped-def]
    return list(
        db_session.scalars(
            sa.select(Need)
            .where(Need.company_id == demo.companies["alpha"].id, Need.status == NeedStatus.OPEN)
            .order_by(Need.id)
        )
    )


def test_alpha_correspondent_sees_explained_suggestions_for_alpha_needs(demo, db_session):
    correspondent = demo.accounts["correspondant@alpha.demo"]
    with_members = 0
    for need in _alpha_open_needs(db_session, demo):
        suggestions = matching.suggestions_for_need(db_session, correspondent, need)
        assert all(s.reasons for s in suggestions)
        with_members += any(s.kind == "member" and not s.same_company for s in suggestions)
    assert with_members >= 3  # opted-in trainers of other companies are suggested


def test_suggestions_page_shows_reasons_to_the_alpha_correspondent(demo, db_session, client):
    need = next(
        n
        for n in _alpha_open_needs(db_session, demo)
        if n.title.startswith("Habilitation électrique")
    )
    login(client, "correspondant@alpha.demo", DEMO_PASSWORD)
    response = client.get(f"/needs/{need.id}/suggestions")
    assert response.status_code == 200
    assert "Règles de sécurité électrique" in response.get_data(as_text=True)


def test_pool_candidates_group_an_alpha_need_with_a_beta_need(demo, db_session):
    groups = matching.pool_candidates(db_session, demo.accounts["correspondant@alpha.demo"])
    alpha, beta = demo.companies["alpha"].name, demo.companies["beta"].name
    assert any({alpha, beta} <= {item.company_name for item in g.items} for g in groups)


def test_demo_holds_one_open_pool_made_by_beta(demo, db_session):
    pools = list(db_session.scalars(sa.select(Pool).where(Pool.cluster_id == demo.cluster.id)))
    assert len(pools) == 1 and len(pools[0].needs) == 2


def _cells(rows) -> list[kanon.Cell]:  # type: ignore[no-untyped-def]
    return [cell for row in rows for cell in (row.supply, row.demand)]


def test_skills_map_and_participation_show_cells_and_none_under_five(demo, db_session):
    hr = demo.accounts["rh@club.demo"]
    filters = resolve_filters(db_session, hr, start=None, end=None)
    found = skills_map(db_session, hr, filters)
    cells = _cells(found.skill_rows) + _cells(found.domains)
    visible = [c for c in cells if not c.masked]
    assert len([r for r in found.skill_rows if not r.supply.masked]) >= 3
    assert visible and all(c.value >= kanon.K for c in visible)
    report = participation_report(db_session, hr, filters)
    shown = [c.participants for c in report.companies if not c.participants.masked]
    assert len(shown) >= 5 and all(c.value >= kanon.K for c in shown)
    assert not report.total.masked
    assert all(not c.rate.masked for c in report.companies if not c.participants.masked)


def test_hr_pages_show_numbers_and_never_a_small_count(demo, client):
    login(client, "rh@club.demo", DEMO_PASSWORD)
    for url in ("/club/carte-des-competences", "/club/participation"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<svg" in html or url.endswith("participation")
        numbers = [int(n) for n in re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", html)]
        assert numbers and all(n >= kanon.K for n in numbers)


def test_pooled_training_cost_split_sums_exactly_to_the_price(demo, db_session):
    hr = demo.accounts["rh@club.demo"]
    views = club.list_trainings(db_session, hr)
    assert len(views) == 1
    view = views[0]
    assert view.training.price_cents == 480_000 and view.training.seats == POOLED_TRAINING["seats"]
    assert len(view.lines) == 4 and all(line.cents > 0 for line in view.lines)
    assert sum(line.cents for line in view.lines) == view.training.price_cents


def test_relay_thread_about_the_anonymous_need_never_names_its_author(demo, db_session, client):
    need = db_session.scalars(
        sa.select(Need).where(
            Need.company_id == demo.companies["alpha"].id, Need.anonymous.is_(True)
        )
    ).one()
    thread = db_session.scalars(sa.select(RelayThread).where(RelayThread.need_id == need.id)).one()
    assert len(thread.messages) == 2 and not thread.recipient_revealed
    login(client, "membre@beta.demo", DEMO_PASSWORD)
    for url in (f"/messages/{thread.id}", "/messages"):
        response = client.get(url)
        assert response.status_code == 200
        assert need.author.display_name not in response.get_data(as_text=True)


def test_relations_communities_and_notifications_are_seeded(demo, db_session):
    alpha_member = demo.accounts["membre@alpha.demo"]
    correspondent = demo.accounts["correspondant@alpha.demo"]
    assert [w.title for w in mobility.wishes_shared_with(db_session, correspondent)] == [
        "Évoluer vers le contrôle qualité"
    ]
    for email in ("correspondant@beta.demo", "rh@club.demo", "admin@coop.demo"):
        assert mobility.wishes_shared_with(db_session, demo.accounts[email]) == []
    assert len(mobility.my_wishes(db_session, alpha_member)) == 1
    consent = db_session.scalars(sa.select(AssistConsent)).one()
    assert consent.correspondent_id == demo.accounts["correspondant@beta.demo"].id
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AssistedAction)) == 1
    intro = db_session.scalars(sa.select(Introduction)).one()
    assert intro.status == IntroductionStatus.PENDING
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Community)) == 3
    replies = sa.select(sa.func.count()).where(CommunityPost.parent_id.is_not(None))
    assert db_session.scalar(replies.select_from(CommunityPost)) >= 4
    assert db_session.scalar(sa.select(sa.func.count()).select_from(CommunityResource)) >= 4
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Notification)) >= 5
