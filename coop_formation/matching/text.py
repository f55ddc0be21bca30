"""Text likeness used by matching: significant words of normalised search text.

The same measure runs on SQLite and PostgreSQL so that explanations name the same words;
the database's own full-text search only preselects candidates (see :func:`text_candidates`).
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
    words: dict[str, str] = {}
    for word in normalise(text).split():
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


def text_candidates(column: Any, words: list[str], dialect: str) -> tuple[Any, Any]:
    """(WHERE clause, ORDER BY) preselecting rows sharing any word.

    PostgreSQL: French full-text (``to_tsvector('french')``, GIN-indexed) ranked by ts_rank;
    elsewhere: any word as a substring of the normalised search text, newest first.
    """
    words = [w for w in words if w.isalnum()][:8]
    if not words:
        return sa.false(), None
    if dialect == "postgresql":
        french = sa.literal_column("'french'::regconfig")
        vector = sa.func.to_tsvector(french, column)
        query = sa.func.to_tsquery(french, " | ".join(words))
        return vector.op("@@")(query), sa.func.ts_rank(vector, query).desc()
    return sa.or_(*(column.like(f"%{word}%") for word in words)), None
