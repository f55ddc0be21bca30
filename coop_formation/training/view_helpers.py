"""What the training view modules share: loading the session of a URL, its public address."""

from __future__ import annotations

from flask import current_app, request, url_for

from coop_formation.extensions import db
from coop_formation.training import services as training
from coop_formation.training.models import TrainingSession
from coop_formation.web import acting_member


def load_session(session_id: int) -> TrainingSession:
    """The session of the URL as the acting member may read it (404 otherwise)."""
    return training.get_session(db.session, actor=acting_member(), session_id=session_id)


def session_url(training_session: TrainingSession) -> str:
    """The session page's absolute address (e-mails, calendar feeds)."""
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return base + url_for("training.session_detail", session_id=training_session.id)
