"""French labels of the exchange enums (msgids in French, translated by Flask-Babel)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from coop_formation.exchange.models import (
    Format,
    NeedStatus,
    NeedVisibility,
    OfferStatus,
    SkillRelation,
    SkillStatus,
    Urgency,
)

FORMAT_LABELS = {
    Format.TRAINING: _l("Formation"),
    Format.PROBLEM_SOLVING: _l("Groupe de résolution de problèmes"),
    Format.WORK_GROUP: _l("Groupe de travail"),
    Format.TALK_GROUP: _l("Groupe d'échange"),
    Format.ONE_TO_ONE: _l("En tête-à-tête"),
}

URGENCY_LABELS = {
    Urgency.URGENT: _l("Urgent"),
    Urgency.SOON: _l("Dans les prochaines semaines"),
    Urgency.THIS_YEAR: _l("Dans l'année"),
    Urgency.WHENEVER: _l("Pas pressé"),
}

VISIBILITY_LABELS = {
    NeedVisibility.COMPANY: _l("Mon entreprise"),
    NeedVisibility.CLUSTER: _l("Toute la grappe"),
}

NEED_STATUS_LABELS = {
    NeedStatus.OPEN: _l("Ouvert"),
    NeedStatus.MATCHED: _l("Solution trouvée"),
    NeedStatus.CLOSED: _l("Clos"),
}

OFFER_STATUS_LABELS = {
    OfferStatus.ACTIVE: _l("Active"),
    OfferStatus.ARCHIVED: _l("Archivée"),
}

SKILL_STATUS_LABELS = {
    SkillStatus.APPROVED: _l("Validée"),
    SkillStatus.PROPOSED: _l("Proposée"),
    SkillStatus.MERGED: _l("Fusionnée"),
    SkillStatus.REJECTED: _l("Refusée"),
}

RELATION_LABELS = {
    SkillRelation.PRACTISES: _l("Je pratique"),
    SkillRelation.CAN_TEACH: _l("Je peux transmettre"),
    SkillRelation.WANTS_TO_LEARN: _l("Je veux apprendre"),
}

LABELS = {
    "format": FORMAT_LABELS,
    "urgency": URGENCY_LABELS,
    "visibility": VISIBILITY_LABELS,
    "need_status": NEED_STATUS_LABELS,
    "offer_status": OFFER_STATUS_LABELS,
    "skill_status": SKILL_STATUS_LABELS,
    "relation": RELATION_LABELS,
}


def choices(mapping: dict) -> list[SelectChoice]:
    """The options of a select field, in the enum's order."""
    return [SelectChoice(key.value, label) for key, label in mapping.items()]
