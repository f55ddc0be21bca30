"""Credentials issued by the app (learner, trainer, collective, endorsement, status list,
after a key rotation) verify with Digital Bazaar's eddsa-rdfc-2022 implementation, run by
node through tests/external/verify.mjs, and a changed one does not."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coop_formation.extensions import db
from coop_formation.recognition import services
from coop_formation.recognition.models import AchievementKind
from tests.factories import SkillFactory
from tests.recognition.conftest import document_of, make_achievement

pytestmark = pytest.mark.external

EXTERNAL = Path(__file__).resolve().parent.parent / "external"


@pytest.fixture(scope="module")
def node() -> str:
    executable = shutil.which("node")
    if executable is None:
        pytest.skip("Node.js (node) est absent : tests d'interopérabilité impossibles.")
    if not (EXTERNAL / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        npm = shutil.which("npm")
        assert npm is not None, "npm est nécessaire pour installer les paquets de test"
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=EXTERNAL, check=True, timeout=300
        )
    return executable


def db_verify(node: str, credential: dict[str, Any]) -> dict[str, Any]:
    documents = {services.issuer_did(): services.did_document(db.session)}
    result = subprocess.run(
        [node, "verify.mjs"],
        cwd=EXTERNAL,
        input=json.dumps({"credential": credential, "documents": documents}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_digital_bazaar_verifies_what_the_app_issues(node, world):
    skill = SkillFactory(uri="http://data.europa.eu/esco/skill/abcd-test")
    issued = services.award_for_session(
        db.session,
        cluster_id=world.cluster.id,
        session_title="Soudure « TIG »",
        learner_ids=[world.member_alpha.id],
        trainer_id=world.other_alpha.id,
        reference="session:db",
        skill_ids=[skill.id],
    )
    collective = make_achievement(world.admin, AchievementKind.COLLECTIVE_ACHIEVEMENT)
    issued += services.award_collective(
        db.session,
        world.admin,
        achievement_id=collective.id,
        team_name="Les Castors",
        member_ids=[world.member_alpha.id, world.member_beta.id],
        evidence="Chantier livré.",
    )
    for credential in issued:
        assert db_verify(node, document_of(credential)) == {"verified": True, "error": None}
    status_list = services.status_list_document(db.session, issued[0].status_list_id)
    assert db_verify(node, status_list)["verified"] is True


def test_digital_bazaar_verifies_an_endorsement_and_after_rotation(node, world):
    skill = SkillFactory()
    endorsement = services.endorse(
        db.session,
        world.member_beta,
        endorsed_id=world.member_alpha.id,
        skill_id=skill.id,
        comment="Patiente et précise.",
    )
    services.rotate_key(db.session)
    after = services.award_for_session(
        db.session,
        cluster_id=world.cluster.id,
        session_title="Après rotation",
        learner_ids=[world.member_beta.id],
        trainer_id=None,
        reference="session:rot",
    )[0]
    assert db_verify(node, json.loads(endorsement.document))["verified"] is True
    assert db_verify(node, document_of(after))["verified"] is True


def test_digital_bazaar_refuses_a_changed_app_credential(node, world):
    credential = services.award_for_session(
        db.session,
        cluster_id=world.cluster.id,
        session_title="Tableurs",
        learner_ids=[world.member_alpha.id],
        trainer_id=None,
        reference="session:tamper",
    )[0]
    changed = json.loads(credential.document.replace("Tableurs", "Tableuses", 1))
    assert db_verify(node, changed)["verified"] is False
