"""Calls to the wider community and consent preferences."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coop_formation.exchange.models import NeedStatus, NeedVisibility
from coop_formation.extensions import db
from coop_formation.matching.models import MatchingPreference
from coop_formation.notifications.models import Notification
from tests.factories import MemberFactory
from tests.matching.factories import can_teach, consent, make_need, make_tree


@pytest.fixture()
def tree(world):  # type: ignore[no-untyped-def]
    return make_tree()


@pytest.fixture()
def need(world, tree):  # type: ignore[no-untyped-def]
    made = make_need(world.member_alpha, [tree.welding], title="Soudure TIG", anonymous=True)
    db.session.commit()
    return made


def _calls() -> list[Notification]:
    return list(
        db.session.scalars(sa.select(Notification).where(Notification.kind == "call_for_trainers"))
    )


def test_call_opens_need_and_notifies_only_opted_in_fitting_members(
    world, tree, need, client_for, nothing_written
):
    fits = MemberFactory(company=world.beta)
    can_teach(fits, tree.welding)
    consent(fits, suggest=False, calls=True)
    no_consent = MemberFactory(company=world.beta)
    can_teach(no_consent, tree.welding)
    consent(no_consent, suggest=True, calls=False)
    other_skill = MemberFactory(company=world.beta)
    can_teach(other_skill, tree.spreadsheet)
    consent(other_skill, calls=True)
    db.session.commit()
    response = client_for(world.member_alpha).post(f"/needs/{need.id}/appel")
    assert response.status_code == 302
    db.session.expire_all()
    assert need.visibility == NeedVisibility.CLUSTER and need.anonymous
    notes = _calls()
    assert [n.recipient_id for n in notes] == [fits.id]
    assert "Soudure TIG" in notes[0].subject
    assert world.member_alpha.display_name not in f"{notes[0].subject} {notes[0].body}"
    with nothing_written():
        again = client_for(world.member_alpha).post(f"/needs/{need.id}/appel")
    assert again.status_code == 403 and len(_calls()) == 1  # already open to the cluster


def test_company_correspondent_may_open_a_call(world, need, client_for):
    assert client_for(world.correspondent_alpha).post(f"/needs/{need.id}/appel").status_code == 302


@pytest.mark.parametrize(
    "who,status",
    [("other_alpha", 403), ("member_beta", 404), ("correspondent_beta", 404), ("hr", 404)],
)
def test_others_cannot_open_a_call(world, need, client_for, nothing_written, who, status):
    client = client_for(getattr(world, who))
    with nothing_written():
        assert client.post(f"/needs/{need.id}/appel").status_code == status
    db.session.expire_all()
    assert need.visibility == NeedVisibility.COMPANY


def test_no_call_for_a_matched_need(world, need, client_for, nothing_written):
    need.status = NeedStatus.MATCHED
    db.session.commit()
    client = client_for(world.member_alpha)
    with nothing_written():
        assert client.post(f"/needs/{need.id}/appel").status_code == 403
    assert _calls() == []


def test_consent_is_off_until_the_member_says_yes(world, client_for):
    client = client_for(world.member_beta)
    page = client.get("/me/suggestions").get_data(as_text=True)
    assert 'name="suggest_me"' in page and "checked" not in page
    response = client.post("/me/suggestions", data={"suggest_me": "y", "availability": "mardi"})
    assert response.status_code == 302
    pref = db.session.get(MatchingPreference, world.member_beta.id)
    assert pref.suggest_me and not pref.accept_calls and pref.availability == "mardi"


def test_consent_page_requires_login(client):
    assert client.get("/me/suggestions").status_code == 302
