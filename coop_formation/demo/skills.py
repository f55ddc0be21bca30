"""The demo's bridge to the exchange domain: taxonomy loading, skill lookup, search text.

The skills framework is loaded through the exchange import service (the shipped ESCO French
subset); ``search_text`` is computed with the exchange's own normaliser so that rows the
seeders insert in bulk are found by the same search as rows created through the UI.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.exchange.esco_import import import_shipped_french_subset
from coop_formation.exchange.models import Skill, SkillKind, SkillStatus
from coop_formation.exchange.search import item_search_text


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class SkillLabels:
    """The two fields of a skill that go into a need's or offer's search text."""

    label: str
    alt_labels: str = ""


def search_text_for(
    title: str, description: str, skills: Iterable[SkillLabels | Skill] = ()
) -> str:
    """What the exchange stores in ``search_text`` for a need or an offer (its own builder)."""
    return item_search_text(title, description, skills)  # type: ignore[arg-type]


def load_taxonomy(session: Session) -> int:
    """Import the shipped ESCO French subset (idempotent); returns the approved skills count."""
    import_shipped_french_subset(session)
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Skill)
            .where(Skill.kind == SkillKind.SKILL, Skill.status == SkillStatus.APPROVED)
        )
        or 0
    )


class SkillIndex:
    """Approved skills of the framework, looked up by label hints and grouped by domain."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            sa.select(Skill.id, Skill.label, Skill.parent_id, Skill.kind, Skill.uri)
            .where(Skill.status == SkillStatus.APPROVED)
            .order_by(Skill.id)
        ).all()
        self.labels: dict[int, str] = {}
        self.domain_uri: dict[int, str] = {}
        self.by_domain: dict[str, list[int]] = {}
        domains = {r.id: (r.uri or "") for r in rows if r.kind == SkillKind.DOMAIN}
        for row in rows:
            if row.kind != SkillKind.SKILL:
                continue
            self.labels[row.id] = row.label
            domain = domains.get(row.parent_id or 0, "")
            self.domain_uri[row.id] = domain
            self.by_domain.setdefault(domain, []).append(row.id)
        self._folded = [(skill_id, _fold(label)) for skill_id, label in self.labels.items()]
        self._cache: dict[str, int | None] = {}

    def __len__(self) -> int:
        return len(self.labels)

    def find(self, hint: str) -> int | None:
        """The skill labelled ``hint``, else the first whose label contains all its words."""
        if hint not in self._cache:
            folded = _fold(hint)
            exact = next((sid for sid, label in self._folded if label == folded), None)
            words = folded.split()
            self._cache[hint] = exact or next(
                (sid for sid, label in self._folded if all(w in label for w in words)), None
            )
        return self._cache[hint]

    def resolve(self, hints: Iterable[str]) -> list[int]:
        found: list[int] = []
        for hint in hints:
            skill_id = self.find(hint)
            if skill_id is not None and skill_id not in found:
                found.append(skill_id)
        return found

    def pick(self, rng: random.Random, domains: Iterable[str], count: int) -> list[int]:
        """``count`` distinct skills drawn from the given domain URIs (all skills if none)."""
        pool = [sid for d in domains for sid in self.by_domain.get(d, ())] or list(self.labels)
        return rng.sample(pool, min(count, len(pool)))
