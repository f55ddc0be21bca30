"""The correspondent dashboard: own company only, anonymous authors stay anonymous."""

from __future__ import annotations

from datetime import timedelta

from coop_formation.extensions import db
from coop_formation.training.models import SessionStatus
from tests.club.factories import NOW, attend, make_members, make_session
from tests.factories import NeedFactory


def test_dashboard_lists_open_needs_without_anonymous_authors(client_for, world) -> None:  # type: ignore[no-untyped-def]
    NeedFactory(author=world.member_alpha, title="Besoin signé")
    NeedFactory(author=world.other_alpha, title="Besoin discret", anonymous=True)
    NeedFactory(author=world.member_beta, title="Besoin de Beta")
    db.session.commit()
    html = client_for(world.correspondent_alpha).get("/correspondant").get_data(as_text=True)
    assert "Besoin signé" in html and world.member_alpha.display_name in html
    assert "Besoin discret" in html and "Anonyme" in html
    assert world.other_alpha.display_name not in html
    assert "Besoin de Beta" not in html


def test_dashboard_lists_sessions_to_organise_and_to_close(client_for, world) -> None:  # type: ignore[no-untyped-def]
    make_session(
        world.member_alpha,
        status=SessionStatus.PLANNED,
        starts_at=NOW + timedelta(days=4),
        title="À venir",
    )
    make_session(world.member_alpha, status=SessionStatus.HELD, title="À régler")
    make_session(
        world.member_beta,
        status=SessionStatus.PLANNED,
        starts_at=NOW + timedelta(days=4),
        title="Chez Beta",
    )
    db.session.commit()
    html = client_for(world.correspondent_alpha).get("/correspondant").get_data(as_text=True)
    assert "À venir" in html and "À régler" in html
    assert "Chez Beta" not in html


def test_dashboard_participation_is_an_aggregate_masked_under_five(client_for, world) -> None:  # type: ignore[no-untyped-def]
    learners = make_members(world.alpha, 3, "Apprenant")
    attend(make_session(world.member_alpha), learners)
    db.session.commit()
    client = client_for(world.correspondent_alpha)
    html = client.get("/correspondant").get_data(as_text=True)
    assert "&lt; 5" in html  # 4 participants (trainer + 3 learners)
    attend(make_session(world.other_alpha), [world.correspondent_alpha])
    db.session.commit()
    html = client.get("/correspondant").get_data(as_text=True)
    # 6 participants / headcount 100, published rounded to base 5 (cell key).
    assert "5,0 %" in html or "10,0 %" in html
    for member in learners:
        assert member.display_name not in html


def test_admin_cannot_read_a_company_dashboard(client_for, world) -> None:  # type: ignore[no-untyped-def]
    need = NeedFactory(author=world.member_alpha, title="Besoin réservé à Alpha")
    for company in (None, world.alpha.id, world.beta.id):
        query = "" if company is None else f"?entreprise={company}"
        response = client_for(world.admin).get(f"/correspondant{query}")
        assert response.status_code == 403
        assert need.title not in response.get_data(as_text=True)
    html = client_for(world.correspondent_alpha).get("/correspondant").get_data(as_text=True)
    assert need.title in html and 'name="entreprise"' not in html
