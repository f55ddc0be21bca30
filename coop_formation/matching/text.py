"""Text likeness used by matching: significant words of normalised search text.

The same measure runs on SQLite and PostgreSQL so that explanations name the same words;
a plain substring match on the stored search text preselects candidates (see
:func:`text_candidates`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from coop_formation.exchange.search import normalise

# Frequent French words that say nothing about a subject (after accents are stripped).
_STOP_TEXT = """
    avec aussi avoir besoin besoins cette dans des donc elle elles entre etre faire leur leurs
    mais meme nous notre nos pour plus pour quand que qui sans selon sont sous tous tout toute
    toutes une vers votre vous afin chez comme comment depuis encore deux ainsi alors apres
    avant bien bonne bon celle celui ceux dont etc ici lors peu peut pouvoir quel quelle
    quelles quels savoir souhaite souhaitons voudrais voulons formation formations offre
    description travail equipe equipes niveau
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
STEM = 6


def significant_words(text: str) -> dict[str, str]:
    """Stem → first word seen, for words of 4+ letters that are not stop words."""
    return stored_words(normalise(text))


def stored_words(search_text: str) -> dict[str, str]:
    """:func:`significant_words` of a stored ``search_text``, already normalised (faster)."""
    words: dict[str, str] = {}
    for word in search_text.split():
        if len(word) < 4 or word in STOP_WORDS or word.isdigit():
            continue
        words.setdefault(word[:STEM], word)
    return words


def common_words(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(a[stem] for stem in a.keys() & b.keys())


def likeness(a: dict[str, str], b: dict[str, str]) -> float:
    """Share of the smaller text's words found in the other (0..1)."""
    if not a or not b:
        return 0.0
    return len(a.keys() & b.keys()) / min(len(a), len(b))


def text_candidates(column: Any, stems: list[str]) -> Any:
    """WHERE clause preselecting rows whose normalised search text contains one of the stems.

    Same clause on SQLite and PostgreSQL, aligned with :func:`likeness` (which compares the
    same stems); callers take the newest few. Not the French full-text index: for a frequent
    word PostgreSQL then recomputes ``to_tsvector`` on every offer (a seq scan, 100+ ms).
    """
    stems = [s for s in stems if s.isalnum()][:8]
    if not stems:
        return sa.false()
    return sa.or_(*(column.like(f"%{stem}%") for stem in stems))
