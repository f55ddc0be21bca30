"""``coop-formation import-members``: validate everything first, then create or update."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from coop_formation.cli.people import import_members_command
from coop_formation.extensions import db
from coop_formation.people.models import Member, TokenPurpose
from tests.factories import ClusterFactory, World
from tests.people.helpers import read_mails

GOOD = (
    "email,display_name,company,role,job_title\n"
    "lea@alpha.test,Léa Nouvelle,alpha,,Soudeuse\n"
    "marc@beta.test,Marc Neuf,Beta,correspondent,\n"
    "rh2@club.test,Rita RH,,hr_club,\n"
)


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def _write(tmp_path: Path, text: str, name: str = "membres.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _count_members() -> int:
    return db.session.scalar(sa.select(sa.func.count(Member.id))) or 0


def test_import_creates_members_and_invites_them(
    runner: FlaskCliRunner, world: World, tmp_path: Path, outbox: Path
) -> None:
    result = runner.invoke(import_members_command, [_write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "3 membre(s) créé(s), 0 mis à jour, 3 invitation(s)" in result.stdout
    lea = db.session.scalar(sa.select(Member).where(Member.email == "lea@alpha.test"))
    marc = db.session.scalar(sa.select(Member).where(Member.email == "marc@beta.test"))
    rita = db.session.scalar(sa.select(Member).where(Member.email == "rh2@club.test"))
    assert lea is not None and lea.company_id == world.alpha.id and lea.job_title == "Soudeuse"
    assert marc is not None and marc.company_id == world.beta.id and marc.is_correspondent
    assert rita is not None and rita.company_id is None and rita.is_hr_club
    assert not lea.is_active  # until the invitation is used
    assert sorted(m["To"] for m in read_mails(outbox)) == [
        "lea@alpha.test",
        "marc@beta.test",
        "rh2@club.test",
    ]


def test_import_is_idempotent(
    runner: FlaskCliRunner, world: World, tmp_path: Path, outbox: Path
) -> None:
    path = _write(tmp_path, GOOD)
    assert runner.invoke(import_members_command, [path]).exit_code == 0
    before = _count_members()
    changed = GOOD.replace("Léa Nouvelle", "Léa Martin")
    result = runner.invoke(import_members_command, [_write(tmp_path, changed, "again.csv")])
    assert result.exit_code == 0, result.output
    assert "0 membre(s) créé(s), 3 mis à jour, 0 invitation(s)" in result.stdout
    assert _count_members() == before
    assert (
        db.session.scalar(sa.select(Member.display_name).where(Member.email == "lea@alpha.test"))
        == "Léa Martin"
    )
    assert len(read_mails(outbox)) == 3  # nobody is invited twice


def test_import_updates_an_existing_member_without_touching_their_password(
    runner: FlaskCliRunner, world: World, tmp_path: Path
) -> None:
    old_hash = world.member_alpha.password_hash
    text = "email,display_name,company\nMEMBRE@alpha.test,Alice Martin-Roy,alpha\n"
    result = runner.invoke(import_members_command, [_write(tmp_path, text)])
    assert result.exit_code == 0, result.output
    db.session.refresh(world.member_alpha)
    assert world.member_alpha.display_name == "Alice Martin-Roy"
    assert world.member_alpha.password_hash == old_hash


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "email,display_name,company\nok@alpha.test,Ok,alpha\nmauvais,Bad,alpha\n",
            "ligne 3 : adresse e-mail invalide",
        ),
        (
            "email,display_name,company\nok@alpha.test,Ok,alpha\nx@alpha.test,X,gamma\n",
            "ligne 3 : entreprise inconnue « gamma »",
        ),
        ("email,display_name,company\nok@alpha.test,,alpha\n", "ligne 2 : nom manquant"),
        (
            "email,display_name,company,role\nok@alpha.test,Ok,alpha,chef\n",
            "ligne 2 : rôle inconnu « chef »",
        ),
        (
            "email,display_name,company\nok@alpha.test,Ok,alpha\nOK@alpha.test,Ok,alpha\n",
            "ligne 3 : adresse déjà présente ligne 2",
        ),
        (
            "email,display_name\nok@alpha.test,Ok\n",
            "ligne 1 : colonne obligatoire absente : company",
        ),
        (
            "email,display_name,company,age\nok@alpha.test,Ok,alpha,3\n",
            "ligne 1 : colonne inconnue « age »",
        ),
        ("email,display_name,company\nok@alpha.test,Ok\n", "ligne 2 : 2 valeurs au lieu de 3"),
        ("email,display_name,company\nok@alpha.test,Ok,\n", "ligne 2 : entreprise manquante"),
        ("email,display_name,company\n", "aucun membre"),
        ("", "vide"),
    ],
)
def test_a_bad_line_writes_nothing_and_exits_2_with_one_line(
    runner: FlaskCliRunner, world: World, tmp_path: Path, outbox: Path, text: str, expected: str
) -> None:
    before = _count_members()
    result = runner.invoke(import_members_command, [_write(tmp_path, text)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr
    assert _count_members() == before
    assert read_mails(outbox) == []


def test_file_that_is_not_utf8_is_refused(
    runner: FlaskCliRunner, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("email,display_name,company\né@alpha.test,Élise,alpha\n".encode("latin-1"))
    result = runner.invoke(import_members_command, [str(path)])
    assert result.exit_code == 2 and "UTF-8" in result.stderr


def test_missing_file_exits_2(runner: FlaskCliRunner, world: World, tmp_path: Path) -> None:
    result = runner.invoke(import_members_command, [str(tmp_path / "absent.csv")])
    assert result.exit_code == 2 and "illisible" in result.stderr


def test_semicolon_separated_file_from_a_spreadsheet_is_read(
    runner: FlaskCliRunner, world: World, tmp_path: Path
) -> None:
    text = "\ufeffemail;display_name;company\nsemi@alpha.test;Sémi Colon;Alpha\n"
    result = runner.invoke(import_members_command, [_write(tmp_path, text), "--no-invite"])
    assert result.exit_code == 0, result.output
    assert "1 membre(s) créé(s), 0 mis à jour, 0 invitation(s)" in result.stdout


def test_no_invite_writes_no_mail_and_no_token(
    runner: FlaskCliRunner, world: World, tmp_path: Path, outbox: Path
) -> None:
    from coop_formation.people.models import OneTimeToken

    result = runner.invoke(import_members_command, [_write(tmp_path, GOOD), "--no-invite"])
    assert result.exit_code == 0
    assert read_mails(outbox) == []
    assert not db.session.scalars(
        sa.select(OneTimeToken).where(OneTimeToken.purpose == TokenPurpose.INVITATION)
    ).all()


def test_cluster_must_be_named_when_there_are_several(
    runner: FlaskCliRunner, world: World, tmp_path: Path
) -> None:
    ClusterFactory(slug="autre-grappe")
    path = _write(tmp_path, GOOD)
    result = runner.invoke(import_members_command, [path])
    assert result.exit_code == 2 and "--cluster" in result.stderr
    assert runner.invoke(import_members_command, [path, "--cluster", "inconnue"]).exit_code == 2
    result = runner.invoke(import_members_command, [path, "--cluster", "grappe-test"])
    assert result.exit_code == 0, result.output


def test_long_file_shows_progress_and_imports_everything(
    runner: FlaskCliRunner, world: World, tmp_path: Path
) -> None:
    lines = ["email,display_name,company"] + [
        f"p{i}@alpha.test,Personne {i},alpha" for i in range(250)
    ]
    result = runner.invoke(
        import_members_command, [_write(tmp_path, "\n".join(lines)), "--no-invite"]
    )
    assert result.exit_code == 0, result.output
    assert "Import des membres" in result.output
    assert "250 membre(s) créé(s)" in result.stdout
