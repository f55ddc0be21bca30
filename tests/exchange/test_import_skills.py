"""ESCO CSV import: idempotent, validated before writing, and the shipped French subset."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa

from coop_formation.cli.exchange import import_skills_command
from coop_formation.exchange import services
from coop_formation.exchange.models import Skill, SkillKind
from coop_formation.extensions import db

ESCO_HEADER = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
]


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _skills_file(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "skills.csv",
        ESCO_HEADER,
        [
            {
                "conceptType": "SkillGroup",
                "conceptUri": "urn:coop:domain:test",
                "preferredLabel": "Domaine test",
            },
            {
                "conceptType": "KnowledgeSkillCompetence",
                "conceptUri": "http://data.europa.eu/esco/skill/t-1",
                "preferredLabel": "Lire des plans",
                "altLabels": "read blueprints\nlire un plan",
                "description": "D",
            },
            {
                "conceptType": "KnowledgeSkillCompetence",
                "conceptUri": "http://data.europa.eu/esco/skill/t-2",
                "preferredLabel": "Souder",
                "altLabels": "",
                "description": "",
            },
        ],
    )


def _broader_file(tmp_path: Path) -> Path:
    header = ["conceptType", "conceptUri", "broaderType", "broaderUri"]
    return _write(
        tmp_path / "broader.csv",
        header,
        [
            {
                "conceptUri": "http://data.europa.eu/esco/skill/t-1",
                "broaderUri": "urn:coop:domain:test",
            },
            {
                "conceptUri": "http://data.europa.eu/esco/skill/t-2",
                "broaderUri": "urn:coop:domain:test",
            },
        ],
    )


def _count() -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(Skill)) or 0)


def test_import_skills_is_idempotent(app, db_session, tmp_path):
    runner = app.test_cli_runner()
    args = [str(_skills_file(tmp_path)), "--broader", str(_broader_file(tmp_path))]
    first = runner.invoke(import_skills_command, args)
    assert first.exit_code == 0, first.output
    assert "3 créés" in first.output
    assert _count() == 3
    second = runner.invoke(import_skills_command, args)
    assert second.exit_code == 0, second.output
    assert "0 créés, 0 mis à jour, 3 inchangés" in second.output
    assert _count() == 3
    plans = db.session.scalar(sa.select(Skill).where(Skill.uri.like("%t-1")))
    assert plans.parent.label == "Domaine test" and plans.parent.kind == SkillKind.DOMAIN
    assert plans.alt_labels.splitlines() == ["read blueprints", "lire un plan"]


def test_bad_file_exits_2_with_one_line_and_writes_nothing(app, db_session, tmp_path):
    runner = app.test_cli_runner()
    bad_rows = _write(
        tmp_path / "bad.csv",
        ESCO_HEADER,
        [
            {"conceptUri": "http://data.europa.eu/esco/skill/ok", "preferredLabel": "Bon"},
            {"conceptUri": "http://data.europa.eu/esco/skill/ko", "preferredLabel": ""},
        ],
    )
    wrong_columns = _write(tmp_path / "cols.csv", ["uri", "label"], [{"uri": "x:y", "label": "z"}])
    unknown_parent = _write(
        tmp_path / "rel.csv",
        ["conceptUri", "broaderUri"],
        [
            {"conceptUri": "http://data.europa.eu/esco/skill/t-1", "broaderUri": "urn:nowhere"},
        ],
    )
    cases = [
        [str(bad_rows)],
        [str(wrong_columns)],
        [str(tmp_path / "missing.csv")],
        [str(_skills_file(tmp_path)), "--broader", str(unknown_parent)],
    ]
    for args in cases:
        result = runner.invoke(import_skills_command, args)
        assert result.exit_code == 2, (args, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("Erreur :"), result.output
        assert _count() == 0


def test_service_is_callable_from_python(db_session):
    rows = [
        {
            "conceptUri": "http://data.europa.eu/esco/skill/p-1",
            "preferredLabel": "Travailler en équipe",
        }
    ]
    summary = services.import_esco_skills(db.session, rows)
    assert summary.created == 1 and summary.total == 1
    assert services.approved_skills(db.session)[0].search_text == "travailler en equipe"


def test_shipped_french_subset_loads_with_real_esco_uris(db_session):
    summary = services.import_shipped_french_subset(db.session)
    skills = services.approved_skills(db.session)
    assert 250 <= len(skills) <= 400
    assert summary.total == len(skills) + 11
    assert all(skill.uri.startswith("http://data.europa.eu/esco/skill/") for skill in skills)
    assert all(
        skill.parent is not None and skill.parent.uri.startswith("urn:coop:domain:")
        for skill in skills
    )
    groups = services.skill_choices(db.session)
    assert len(groups) == 11
    again = services.import_shipped_french_subset(db.session)
    assert again.created == 0 and again.updated == 0
