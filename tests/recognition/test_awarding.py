"""Awarding: automatic on settlement (idempotent), by hand with evidence (correspondent
for their company, admin for the cluster), to a team; revocation; recipients' choices."""

from __future__ import annotations

import json

import pytest

from coop_formation import events
from coop_formation.db import utcnow
from coop_formation.errors import Forbidden, InvalidInput, NotFound
from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.models import (
    AchievementKind,
    Credential,
    CredentialStatus,
    RecipientChoice,
)
from coop_formation.training.models import Enrollment, EnrollmentStatus, SessionStatus
from tests.factories import OfferFactory, SkillFactory
from tests.recognition.conftest import award, document_of, make_achievement
from tests.training.factories import make_session


def test_settled_session_awards_learners_and_trainer_once(world):
    skill = SkillFactory(label="Tableur", uri="http://data.europa.eu/esco/skill/tableur-test")
    training = make_session(world.other_alpha, status=SessionStatus.SETTLED, title="Tableurs")
    offer = OfferFactory(trainer=world.other_alpha)
    offer.skills = [skill]
    training.offer = offer
    for member, status in (
        (world.member_alpha, EnrollmentStatus.ATTENDED),
        (world.member_beta, EnrollmentStatus.ATTENDED),
        (world.correspondent_beta, EnrollmentStatus.NO_SHOW),
    ):
        db.session.add(Enrollment(session=training, member=member, status=status))
    db.session.flush()

    issued = services.award_for_settled_session(db.session, training_session=training)
    kinds = sorted((c.recipient_id, c.achievement.kind) for c in issued)
    assert kinds == sorted(
        [
            (world.member_alpha.id, AchievementKind.TRAINING_FOLLOWED),
            (world.member_beta.id, AchievementKind.TRAINING_FOLLOWED),
            (world.other_alpha.id, AchievementKind.PEER_TRAINER),
        ]
    )
    learner = next(c for c in issued if c.recipient_id == world.member_alpha.id)
    alignment = document_of(learner)["credentialSubject"]["achievement"]["alignment"]
    assert alignment[0]["targetUrl"] == skill.uri
    assert services.award_for_settled_session(db.session, training_session=training) == []


def test_session_settled_event_awards_the_badges_once(world):
    training = make_session(world.other_alpha, status=SessionStatus.SETTLED, title="Palettes")
    db.session.add(
        Enrollment(session=training, member=world.member_alpha, status=EnrollmentStatus.ATTENDED)
    )
    db.session.flush()

    def recipients() -> list[int]:
        rows = db.session.execute(
            db.select(Credential.recipient_id).where(
                Credential.source_key.like(f"session:{training.id}:%")
            )
        ).scalars()
        return sorted(rows)

    events.session_settled.send(db.session, training_session=training, actor=world.other_alpha)
    assert recipients() == sorted([world.member_alpha.id, world.other_alpha.id])
    events.session_settled.send(db.session, training_session=training, actor=world.other_alpha)
    assert services.award_for_settled_session(db.session, training_session=training) == []
    assert recipients() == sorted([world.member_alpha.id, world.other_alpha.id])


def test_awarding_and_revoking_send_their_events(world):
    sent: list[tuple[str, dict]] = []

    def awarded(session, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(("awarded", kwargs))

    def revoked(session, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(("revoked", kwargs))

    with (
        events.credential_awarded.connected_to(awarded),
        events.credential_revoked.connected_to(revoked),
    ):
        credential = award(world.member_alpha, by=world.correspondent_alpha)
        services.revoke_credential(
            db.session, world.correspondent_alpha, credential.public_id, "Erreur de saisie"
        )
    assert sent == [
        ("awarded", {"credential": credential, "actor": world.correspondent_alpha}),
        (
            "revoked",
            {
                "credential": credential,
                "actor": world.correspondent_alpha,
                "reason": "Erreur de saisie",
            },
        ),
    ]


def test_plain_argument_award_needs_someone_present_for_the_trainer(world):
    assert (
        services.award_for_session(
            db.session,
            cluster_id=world.cluster.id,
            session_title="Vide",
            learner_ids=[],
            trainer_id=world.other_alpha.id,
            reference="session:x",
        )
        == []
    )
    issued = services.award_for_session(
        db.session,
        cluster_id=world.cluster.id,
        session_title="Pleine",
        learner_ids=[world.member_alpha.id],
        trainer_id=world.other_alpha.id,
        reference="session:y",
    )
    assert len(issued) == 2
    assert all(services.verify_input(db.session, c.document).valid for c in issued)


def test_correspondent_awards_to_own_company_with_evidence(world):
    credential = award(world.member_alpha, by=world.correspondent_alpha)
    assert credential.awarded_by_id == world.correspondent_alpha.id
    assert credential.recipient_choice == RecipientChoice.PENDING
    assert document_of(credential)["evidence"][0]["narrative"].startswith("A soudé")


def test_evidence_is_required(world):
    achievement = make_achievement(world.correspondent_alpha)
    with pytest.raises(InvalidInput):
        services.award_manually(
            db.session,
            world.correspondent_alpha,
            achievement_id=achievement.id,
            recipient_id=world.member_alpha.id,
            evidence="  ",
        )


def test_beta_correspondent_cannot_award_or_revoke_for_alpha(world, client_for, nothing_written):
    achievement = make_achievement(world.correspondent_beta)
    with pytest.raises(NotFound):
        award(world.member_alpha, by=world.correspondent_beta, achievement=achievement)
    alpha_credential = award(world.member_alpha, by=world.correspondent_alpha)
    db.session.commit()
    with pytest.raises(NotFound):
        services.revoke_credential(
            db.session, world.correspondent_beta, alpha_credential.public_id, "x"
        )
    browser = client_for(world.correspondent_beta)
    with nothing_written():
        response = browser.post(
            f"/badges/catalogue/{achievement.id}/decerner",
            data={"recipient_id": world.member_alpha.id, "evidence": "preuve"},
        )
    assert response.status_code == 404
    with nothing_written():
        revoke = browser.post(
            f"/badges/credentials/{alpha_credential.public_id}/revoquer", data={"reason": "non"}
        )
    assert revoke.status_code == 404
    assert alpha_credential.status == CredentialStatus.ISSUED


def test_members_cannot_award_or_revoke(world, client_for, nothing_written):
    achievement = make_achievement(world.correspondent_alpha)
    with pytest.raises(Forbidden):
        award(world.other_alpha, by=world.member_alpha, achievement=achievement)
    credential = award(world.other_alpha, by=world.correspondent_alpha, achievement=achievement)
    db.session.commit()
    browser = client_for(world.member_alpha)
    assert browser.get(f"/badges/catalogue/{achievement.id}/decerner").status_code == 403
    with nothing_written():
        refused = browser.post(
            f"/badges/credentials/{credential.public_id}/revoquer", data={"reason": "non"}
        )
    assert refused.status_code == 403


def test_admin_awards_anyone_in_the_cluster_through_the_form(world, client_for):
    achievement = make_achievement(world.admin)
    db.session.commit()
    browser = client_for(world.admin)
    response = browser.post(
        f"/badges/catalogue/{achievement.id}/decerner",
        data={"recipient_id": world.member_beta.id, "evidence": "A animé l'atelier."},
    )
    assert response.status_code == 302
    assert "/credentials/" in response.headers["Location"]


def test_revocation_needs_a_reason_and_happens_once(world, client_for, credential, nothing_written):
    browser = client_for(world.correspondent_alpha)
    with nothing_written():
        form = browser.post(
            f"/badges/credentials/{credential.public_id}/revoquer", data={"reason": ""}
        )
    assert form.status_code == 422
    done = browser.post(
        f"/badges/credentials/{credential.public_id}/revoquer",
        data={"reason": "Attribué par erreur"},
    )
    assert done.status_code == 302
    db.session.refresh(credential)
    assert credential.status == CredentialStatus.REVOKED
    assert credential.revocation_reason == "Attribué par erreur"
    with nothing_written():
        again = browser.post(
            f"/badges/credentials/{credential.public_id}/revoquer", data={"reason": "encore"}
        )
    assert again.status_code == 422
    page = browser.get(f"/credentials/{credential.public_id}").get_data(as_text=True)
    assert "Révoqué le" in page


def test_signed_document_is_immutable(credential):
    credential.document = credential.document.replace("Badge", "Bodge")
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_collective_badge_names_the_team_in_each_credential(world):
    achievement = make_achievement(world.admin, AchievementKind.COLLECTIVE_ACHIEVEMENT)
    issued = services.award_collective(
        db.session,
        world.admin,
        achievement_id=achievement.id,
        team_name="Les Castors",
        member_ids=[world.member_alpha.id, world.member_beta.id],
        evidence="Chantier livré.",
    )
    assert len(issued) == 2
    for credential in issued:
        report = services.verify_input(db.session, credential.document)
        assert report.valid and report.team == "Les Castors"
        assert "Bruno" not in credential.document and "Alice" not in credential.document


def test_collective_badge_needs_a_team(world):
    achievement = make_achievement(world.admin, AchievementKind.COLLECTIVE_ACHIEVEMENT)
    with pytest.raises(InvalidInput):
        services.award_collective(
            db.session,
            world.admin,
            achievement_id=achievement.id,
            team_name="Seul",
            member_ids=[world.member_alpha.id],
            evidence="",
        )


def test_only_the_recipient_chooses(world, client_for, credential, nothing_written):
    other = client_for(world.other_alpha)
    with nothing_written():
        refused = other.post(
            f"/me/badges/{credential.public_id}/choix", data={"choice": "accepted", "public": "y"}
        )
    assert refused.status_code == 404
    db.session.refresh(credential)
    assert credential.recipient_choice == RecipientChoice.PENDING
    mine = client_for(world.member_alpha)
    response = mine.post(
        f"/me/badges/{credential.public_id}/choix", data={"choice": "accepted", "public": "y"}
    )
    assert response.status_code == 302
    db.session.refresh(credential)
    assert credential.recipient_choice == RecipientChoice.ACCEPTED and credential.is_public


def test_my_badges_page_lists_and_offers_downloads(world, client_for, credential):
    html = client_for(world.member_alpha).get("/me/badges").get_data(as_text=True)
    assert credential.achievement.name in html
    for suffix in (".json", ".png", ".svg"):
        assert f"/credentials/{credential.public_id}{suffix}" in html


def test_badge_pages_require_login(client, world):
    for path in ("/me/badges", "/me/badges/importer", "/badges/catalogue"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_jury_of_two_companies_validates_a_collaborative_skill(world, client_for):
    achievement = make_achievement(world.correspondent_alpha, AchievementKind.COLLABORATIVE_SKILL)
    with pytest.raises(InvalidInput):  # same company only
        services.open_validation(
            db.session,
            world.correspondent_alpha,
            achievement_id=achievement.id,
            candidate_id=world.member_alpha.id,
            juror_ids=[world.other_alpha.id, world.correspondent_alpha.id],
            evidence="Animation",
        )
    validation = services.open_validation(
        db.session,
        world.correspondent_alpha,
        achievement_id=achievement.id,
        candidate_id=world.member_alpha.id,
        juror_ids=[world.other_alpha.id, world.member_beta.id],
        evidence="A animé un atelier.",
    )
    db.session.commit()
    assert (
        client_for(world.member_alpha)
        .post(f"/badges/jury/{validation.id}", data={"decision": "approve"})
        .status_code
        == 403
    )
    first = client_for(world.other_alpha).post(
        f"/badges/jury/{validation.id}", data={"decision": "approve"}
    )
    assert first.status_code == 302 and validation.credential_id is None
    client_for(world.member_beta).post(
        f"/badges/jury/{validation.id}", data={"decision": "approve"}
    )
    db.session.refresh(validation)
    assert validation.status.value == "approved" and validation.credential_id is not None
    credential = services.my_credentials(db.session, world.member_alpha)[0]
    assert (
        "jury de 2 pairs de 2 entreprises"
        in json.loads(credential.document)["evidence"][0]["narrative"]
    )


def test_collaborative_skill_cannot_be_awarded_without_a_jury(world):
    achievement = make_achievement(world.correspondent_alpha, AchievementKind.COLLABORATIVE_SKILL)
    with pytest.raises(InvalidInput):
        award(world.member_alpha, by=world.correspondent_alpha, achievement=achievement)


def test_one_refusal_closes_the_jury(world):
    achievement = make_achievement(world.admin, AchievementKind.COLLABORATIVE_SKILL)
    validation = services.open_validation(
        db.session,
        world.admin,
        achievement_id=achievement.id,
        candidate_id=world.member_alpha.id,
        juror_ids=[world.other_alpha.id, world.member_beta.id],
        evidence="Atelier",
    )
    services.cast_vote(db.session, world.member_beta, validation.id, approve=False)
    assert validation.status.value == "rejected" and validation.credential_id is None
    with pytest.raises(Forbidden):
        services.cast_vote(db.session, world.other_alpha, validation.id, approve=True)


def test_a_closed_account_is_skipped_not_fatal_for_settlement(world):
    world.member_beta.closed_at = utcnow()
    db.session.flush()
    issued = services.award_for_session(
        db.session,
        cluster_id=world.cluster.id,
        session_title="Fermeture",
        learner_ids=[world.member_alpha.id, world.member_beta.id],
        trainer_id=world.other_alpha.id,
        reference="session:closed",
    )
    assert sorted(c.recipient_id for c in issued) == sorted(
        [world.member_alpha.id, world.other_alpha.id]
    )
