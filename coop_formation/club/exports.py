"""CSV exports of the club: the same k-anonymised cells as the pages, never a person."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response
from flask_babel import gettext as _

from coop_formation.club.kanon import csv_note
from coop_formation.club.participation import ParticipationReport
from coop_formation.club.pooled_trainings import TrainingView
from coop_formation.club.skills_map import SkillsMap
from coop_formation.csvfile import csv_download


def csv_response(rows: Iterable[Iterable[object]], filename: str) -> Response:
    """A download through the platform's one CSV writer (BOM, ``;``, no formula)."""
    return csv_download(rows, filename)


def _period_lines(start: object, end: object, companies: Iterable[str]) -> list[list[object]]:
    return [
        [_("période"), f"{start}", f"{end}"],
        [_("entreprises"), ", ".join(companies)],
    ]


def skills_map_rows(skills: SkillsMap) -> list[list[object]]:
    f = skills.filters
    rows = _period_lines(f.start, f.end, [c.name for c in f.companies])
    rows.append([])
    rows.append(["niveau", "domaine", "competence", "offre_personnes", "demande_personnes"])
    for domain in skills.domains:
        rows.append(["domaine", domain.label, "", domain.supply.csv(), domain.demand.csv()])
        for row in domain.skills:
            rows.append(["competence", domain.label, row.label, row.supply.csv(), row.demand.csv()])
    rows.append([])
    rows.append([csv_note()])
    return rows


def participation_rows(report: ParticipationReport) -> list[list[object]]:
    f = report.filters
    rows = _period_lines(f.start, f.end, [c.name for c in f.companies])
    rows.append([])
    rows.append(["entreprise", "effectif", "participants", "taux_pourcent"])
    for line in report.companies:
        rows.append([line.name, line.headcount or "", line.participants.csv(), line.rate.csv()])
    rows.append(
        [_("Total"), report.total_headcount or "", report.total.csv(), report.total_rate.csv()]
    )
    rows.append([])
    rows.append(["mois", "participants", "taux_pourcent"])
    for month in report.months:
        rows.append([month.month, month.participants.csv(), month.rate.csv()])
    rows.append([])
    rows.append([csv_note()])
    return rows


def _euros(cents: int) -> str:
    units, rest = divmod(cents, 100)
    return f"{units},{rest:02d}"


def pooled_training_rows(view: TrainingView) -> list[list[object]]:
    t = view.training
    rows: list[list[object]] = [
        [_("formation"), t.title],
        [_("organisme"), t.provider],
        [_("prix_total_euros"), _euros(t.price_cents)],
        [_("places_proposees"), t.seats],
        [_("places_prises"), view.seats_taken],
        [],
        ["entreprise", "places", "part_euros", "part_centimes"],
    ]
    for line in view.lines:
        rows.append([line.company, line.seats, _euros(line.cents), line.cents])
    rows.append([_("Total"), view.seats_taken, _euros(view.total_cents), view.total_cents])
    rows.append([])
    rows.append(
        [
            _(
                "Répartition : prix total × places de l'entreprise ÷ places prises par toutes "
                "les entreprises, arrondi au centime ; les centimes restants vont aux plus "
                "grands restes, la somme des parts est exactement le prix."
            )
        ]
    )
    return rows
