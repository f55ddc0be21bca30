"""The ``coop-formation`` command group: every command is registered and explains itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from coop_formation.cli import main

COMMANDS = (
    ("credentials",),
    ("credentials", "list"),
    ("db",),
    ("demo",),
    ("import-members",),
    ("import-skills",),
    ("keys",),
    ("keys", "rotate"),
    ("ledger",),
    ("ledger", "check"),
    ("notifications",),
    ("notifications", "send"),
    ("seed",),
    ("token",),
    ("token", "create"),
    ("token", "revoke"),
    ("verify",),
)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_is_registered_and_shows_its_help(app: Flask, command: tuple[str, ...]):
    result = app.test_cli_runner().invoke(args=[*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_the_entry_point_lists_the_commands(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("COOP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("COOP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    listed = capsys.readouterr().out
    for name in {command[0] for command in COMMANDS}:
        assert name in listed


def test_an_unknown_command_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("COOP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("COOP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with pytest.raises(SystemExit) as exited:
        main(["no-such-command"])
    assert exited.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
