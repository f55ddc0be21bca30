"""How the currency's pages and exports name transfer kinds, states and references."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

KIND_LABELS = {
    "session_fee": _l("Session de formation"),
    "teaching": _l("Formation donnée"),
    "welcome": _l("Allocation de bienvenue"),
    "direct": _l("Transfert entre membres"),
    "allocation": _l("Attribution de points"),
    "contribution": _l("Points de formation"),
    "reversal": _l("Correction"),
}
STATE_LABELS = {
    "pending": _l("réservé"),
    "posted": _l("effectué"),
    "voided": _l("réservation libérée"),
}


def reference_label(reference_type: str | None, reference_id: int | None) -> str:
    """``Session n° 12`` for a transfer that references a training session; else empty."""
    if reference_type == "training_session" and reference_id is not None:
        return _("Session n° %(id)s", id=reference_id)
    return ""


def reference_link(reference_type: str | None, reference_id: int | None) -> str | None:
    """The page of the referenced session, when the training room serves one."""
    if reference_type == "training_session" and reference_id is not None:
        try:
            return url_for("training.session_detail", session_id=reference_id)
        except BuildError:
            return None
    return None
