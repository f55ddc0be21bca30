"""French is the source language; the English catalogue must translate every message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "coop_formation" / "translations" / "en" / "LC_MESSAGES"


def _message_key(message) -> str:  # type: ignore[no-untyped-def]
    return message.id if isinstance(message.id, str) else message.id[0]


def _strings(message) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def test_english_catalogue_translates_every_message_of_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    extracted = {_message_key(m) for m in read_po(pot.open("rb")) if m.id}
    with (CATALOGUE / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        _message_key(m)
        for m in catalogue
        if m.id and m.string and (isinstance(m.string, str) or all(m.string))
    }
    missing = sorted(extracted - translated)
    assert not missing, f"{len(missing)} messages without English translation: {missing[:10]}"


def test_compiled_catalogue_matches_the_po_file():
    with (CATALOGUE / "messages.po").open("rb") as handle:
        po = {_message_key(m): _strings(m) for m in read_po(handle) if m.id}
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        mo = {_message_key(m): _strings(m) for m in read_mo(handle) if m.id}
    assert po == mo, "run: pybabel compile -d coop_formation/translations"


def test_login_page_speaks_english_after_switching(client):
    client.post("/langue", data={"lang": "en", "next": "/login"})
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in body
    assert "Se connecter" not in body


def test_login_page_speaks_french_by_default(client):
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="fr">' in body
    assert "Se connecter" in body
