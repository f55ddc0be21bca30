"""Club services: one import point for the views (the behaviour lives in topic modules).

Every function takes the session and the acting member, asks :mod:`coop_formation.authz`
(rules in :mod:`.rules`), raises domain errors and flushes; views commit through the web
layer. The club only reads the rooms below it and writes its own tables.
"""

from __future__ import annotations

from coop_formation.club.dashboard import Dashboard, company_dashboard
from coop_formation.club.filters import (
    ClubFilters,
    cluster_companies,
    resolve_filters,
    resolve_filters_or_refusal,
)
from coop_formation.club.participation import ParticipationReport, participation_report
from coop_formation.club.pooled_trainings import (
    TrainingView,
    format_euros,
    get_training,
    joinable_companies,
    list_trainings,
    propose_training,
    reserve_seats,
    split_cost,
)
from coop_formation.club.skills_map import SkillsMap, map_chart, skills_map

__all__ = [
    "ClubFilters",
    "Dashboard",
    "ParticipationReport",
    "SkillsMap",
    "TrainingView",
    "cluster_companies",
    "company_dashboard",
    "format_euros",
    "get_training",
    "joinable_companies",
    "list_trainings",
    "map_chart",
    "participation_report",
    "propose_training",
    "reserve_seats",
    "resolve_filters",
    "resolve_filters_or_refusal",
    "skills_map",
    "split_cost",
]
