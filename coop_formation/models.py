"""One import point for every domain's models (used by Alembic and the app factory).

Importing this module registers every table on ``db.metadata``; a missing module is an
error, never skipped.
"""

from __future__ import annotations

from coop_formation.api import models as api_models
from coop_formation.club import models as club_models
from coop_formation.communities import models as communities_models
from coop_formation.exchange import models as exchange_models
from coop_formation.ledger import models as ledger_models
from coop_formation.matching import models as matching_models
from coop_formation.notifications import models as notifications_models
from coop_formation.people import models as people_models
from coop_formation.recognition import models as recognition_models
from coop_formation.relations import models as relations_models
from coop_formation.training import models as training_models

MODULES = (
    people_models,
    exchange_models,
    ledger_models,
    training_models,
    recognition_models,
    matching_models,
    club_models,
    notifications_models,
    relations_models,
    communities_models,
    api_models,
)


def import_all() -> None:
    """Kept for callers: the imports above already registered every table."""
