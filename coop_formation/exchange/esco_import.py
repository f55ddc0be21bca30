"""Loading skills from ESCO's CSV files (skills, skill groups, broader relations).

Everything is validated before anything is written; loading the same files twice
changes nothing (upsert by concept URI). Callable from the CLI and from Python (the
demo seed).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from coop_formation.errors import InvalidInput
from coop_formation.exchange.models import Skill, SkillKind, SkillStatus
from coop_formation.exchange.search import skill_search_text

SKILL_COLUMNS = ("conceptUri", "preferredLabel")
BROADER_COLUMNS = ("conceptUri", "broaderUri")
GROUP_TYPES = {"skillgroup"}
SKILL_TYPES = {"", "knowledgeskillcompetence", "skill"}
MAX_LABEL = 255


@dataclass
class EscoConcept:
    uri: str
    label: str
    alt_labels: str
    description: str
    kind: SkillKind


@dataclass
class ImportSummary:
    """What an import did; ``total`` is the number of concepts in the files."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    parents_set: int = 0
    skipped_relations: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def read_csv(path: str | Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file (BOM tolerated) as dicts; raises InvalidInput if unreadable."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise InvalidInput(f"fichier introuvable : {path}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{path} n'est pas un fichier CSV UTF-8 lisible ({exc})") from exc
    except OSError as exc:
        raise InvalidInput(f"{path} ne peut pas être lu ({exc.strerror})") from exc


def _alt_labels(raw: str) -> str:
    parts = [part.strip() for part in raw.replace("|", "\n").splitlines()]
    return "\n".join(part for part in parts if part)


def parse_concepts(
    rows: Iterable[Mapping[str, str | None]], *, force_domain: bool = False, source: str = "fichier"
) -> list[EscoConcept]:
    """Validate ESCO skill or skill-group rows; raise InvalidInput naming the first problem."""
    rows = list(rows)
    if not rows:
        raise InvalidInput(f"{source} : aucune ligne à importer")
    missing = [col for col in SKILL_COLUMNS if col not in rows[0]]
    if missing:
        raise InvalidInput(f"{source} : colonne manquante {', '.join(missing)} (format CSV ESCO)")
    concepts: list[EscoConcept] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        uri = (row.get("conceptUri") or "").strip()
        label = " ".join((row.get("preferredLabel") or "").split())
        concept_type = (row.get("conceptType") or "").strip().lower()
        where = f"{source}, ligne {number}"
        if not uri or ":" not in uri or " " in uri or len(uri) > 255:
            raise InvalidInput(f"{where} : conceptUri absent ou invalide")
        if uri in seen:
            raise InvalidInput(f"{where} : conceptUri en double ({uri})")
        if not label or len(label) > MAX_LABEL:
            raise InvalidInput(f"{where} : preferredLabel vide ou trop long")
        if concept_type not in GROUP_TYPES | SKILL_TYPES:
            raise InvalidInput(f"{where} : conceptType inconnu « {row.get('conceptType')} »")
        seen.add(uri)
        kind = SkillKind.DOMAIN if force_domain or concept_type in GROUP_TYPES else SkillKind.SKILL
        concepts.append(
            EscoConcept(
                uri=uri,
                label=label,
                alt_labels=_alt_labels(row.get("altLabels") or ""),
                description=(row.get("description") or "").strip(),
                kind=kind,
            )
        )
    return concepts


def parse_broader(
    rows: Iterable[Mapping[str, str | None]], known: set[str], source: str = "relations"
) -> tuple[dict[str, str], int]:
    """Child URI -> parent URI (first relation wins); every URI must be known."""
    rows = list(rows)
    if rows:
        missing = [col for col in BROADER_COLUMNS if col not in rows[0]]
        if missing:
            raise InvalidInput(f"{source} : colonne manquante {', '.join(missing)} (format ESCO)")
    parents: dict[str, str] = {}
    skipped = 0
    for number, row in enumerate(rows, start=2):
        child = (row.get("conceptUri") or "").strip()
        parent = (row.get("broaderUri") or "").strip()
        where = f"{source}, ligne {number}"
        if not child or not parent:
            raise InvalidInput(f"{where} : conceptUri ou broaderUri vide")
        for uri in (child, parent):
            if uri not in known:
                raise InvalidInput(f"{where} : concept inconnu {uri}")
        if child == parent:
            raise InvalidInput(f"{where} : un concept ne peut pas être son propre parent")
        if child in parents:
            skipped += 1
            continue
        parents[child] = parent
    for start in parents:
        seen = {start}
        node = parents.get(start)
        while node is not None:
            if node in seen:
                raise InvalidInput(f"{source} : relations circulaires autour de {start}")
            seen.add(node)
            node = parents.get(node)
    return parents, skipped


@dataclass
class PreparedImport:
    concepts: list[EscoConcept]
    existing: dict[str, Skill]
    parents: dict[str, str]
    skipped: int


def prepare_esco_import(
    session: Session,
    rows: Iterable[Mapping[str, str | None]],
    broader_rows: Iterable[Mapping[str, str | None]] = (),
    domain_rows: Iterable[Mapping[str, str | None]] = (),
) -> PreparedImport:
    """Validate the files against each other and the database; writes nothing."""
    domain_rows, broader_rows = list(domain_rows), list(broader_rows)
    domains = (
        parse_concepts(domain_rows, force_domain=True, source="domaines") if domain_rows else []
    )
    concepts = domains + parse_concepts(rows, source="compétences")
    uris = [concept.uri for concept in concepts]
    if len(set(uris)) != len(uris):
        raise InvalidInput("un même conceptUri figure dans les domaines et les compétences")
    existing = {
        skill.uri: skill
        for skill in session.scalars(sa.select(Skill).where(Skill.uri.is_not(None)))
        if skill.uri
    }
    known = set(uris) | set(existing)
    parents, skipped = parse_broader(broader_rows, known) if broader_rows else ({}, 0)
    return PreparedImport(concepts, existing, parents, skipped)


def import_esco_skills(
    session: Session,
    rows: Iterable[Mapping[str, str | None]],
    broader_rows: Iterable[Mapping[str, str | None]] = (),
    domain_rows: Iterable[Mapping[str, str | None]] = (),
    progress: Callable[[int], object] | None = None,
) -> ImportSummary:
    """Upsert concepts by URI and set their parents; validates everything before writing.

    Raises InvalidInput (nothing flushed) on the first problem. Imported concepts are
    APPROVED; a concept that was merged keeps its MERGED status.
    """
    prepared = prepare_esco_import(session, rows, broader_rows, domain_rows)
    concepts, existing = prepared.concepts, prepared.existing
    parents, skipped = prepared.parents, prepared.skipped
    summary = ImportSummary(skipped_relations=skipped)
    by_uri: dict[str, Skill] = dict(existing)
    for concept in concepts:
        skill = existing.get(concept.uri)
        if skill is None:
            skill = Skill(
                uri=concept.uri,
                label=concept.label,
                alt_labels=concept.alt_labels,
                description=concept.description,
                kind=concept.kind,
                status=SkillStatus.APPROVED,
            )
            skill.search_text = skill_search_text(skill)
            session.add(skill)
            by_uri[concept.uri] = skill
            summary.created += 1
        else:
            values = (concept.label, concept.alt_labels, concept.description, concept.kind)
            if values != (skill.label, skill.alt_labels, skill.description, skill.kind):
                skill.label, skill.alt_labels, skill.description, skill.kind = values
                skill.search_text = skill_search_text(skill)
                summary.updated += 1
            else:
                summary.unchanged += 1
        if progress is not None:
            progress(1)
    session.flush()
    for child_uri, parent_uri in parents.items():
        child, parent = by_uri[child_uri], by_uri[parent_uri]
        if child.parent_id != parent.id:
            child.parent_id = parent.id
            summary.parents_set += 1
    session.flush()
    return summary


DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_SKILLS = DATA_DIR / "esco_fr_skills.csv"
SHIPPED_BROADER = DATA_DIR / "esco_fr_broader.csv"


def import_shipped_french_subset(session: Session) -> ImportSummary:
    """Load the curated French subset shipped with the application (used by the demo)."""
    return import_esco_skills(session, read_csv(SHIPPED_SKILLS), read_csv(SHIPPED_BROADER))
