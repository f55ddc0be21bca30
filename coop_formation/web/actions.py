"""Running one user action from a view: one transaction, committed once, here only.

``perform`` is the single place that commits a web request's work, rolls it back on
any failure and retries it once when the database reports a deadlock or a
serialisation failure. ``submit_form`` and ``post_action`` add the two shapes views
need: a form that re-renders with its errors (422), a button that flashes and
redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy.exc
from flask import flash, redirect, render_template, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from coop_formation.errors import Conflict, InvalidInput
from coop_formation.extensions import db

T = TypeVar("T")

#: PostgreSQL's deadlock_detected and serialization_failure; SQLite's "database is locked".
_RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})

Done = Callable[[Any], "tuple[str, str] | Response | str"]


def is_retryable(error: BaseException) -> bool:
    """Whether the database refused the transaction only because of a concurrent one."""
    if not isinstance(error, sqlalchemy.exc.OperationalError | sqlalchemy.exc.DBAPIError):
        return False
    orig = getattr(error, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(orig or "")


def perform(action: Callable[[], T]) -> T:
    """Run ``action`` as one transaction: commit on success, roll back on any error.

    A deadlock or serialisation failure rolls back and runs ``action`` once more; the
    action must therefore read what it needs inside itself, not before.
    """
    for attempt in (1, 2):
        try:
            result = action()
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            if attempt == 1 and is_retryable(exc):
                continue
            raise
        return result
    raise AssertionError("unreachable")  # pragma: no cover


def show_error(form: FlaskForm, error: InvalidInput | Conflict) -> str | None:
    """Attach a service error to the form field it names; return it when it names none."""
    if error.field and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, error.message]
        return None
    return error.message


def _finish(outcome: tuple[str, str] | Response | str) -> Response | str:
    if isinstance(outcome, tuple):
        message, target = outcome
        if message:
            flash(message, "success")
        return redirect(target)
    return outcome


def submit_form(
    form: FlaskForm,
    action: Callable[[], Any],
    *,
    done: Done,
    template: str,
    status_from_error: bool = False,
    **context: Any,
) -> Any:
    """A form page: on a valid POST run ``action`` (one transaction); on success
    ``done(result)`` gives ``(flash message, redirect target)`` or a response; on a
    refused action the form re-renders (422) with the service's message on its field.

    ``status_from_error=True`` answers the refusal's own status (409 for a conflict)
    instead of 422. ``Forbidden`` and ``NotFound`` are not form errors: they reach the
    error pages.
    """
    error: str | None = None
    refused_status = 422
    if form.validate_on_submit():
        try:
            result = perform(action)
        except (InvalidInput, Conflict) as exc:
            error = show_error(form, exc)
            if status_from_error:
                refused_status = exc.status
        else:
            return _finish(done(result))
    status = refused_status if request.method == "POST" else 200
    return render_template(template, form=form, error=error, **context), status


def post_action(
    action: Callable[[], T],
    *,
    success: str | Callable[[T], str] | None,
    next_url: str | Callable[[T], str],
    failure_url: str | None = None,
) -> Response:
    """A button (a POST without a page of its own): run ``action``, flash the outcome,
    redirect. A refused action flashes the service's message and changes nothing."""
    try:
        result = perform(action)
    except (InvalidInput, Conflict) as exc:
        flash(exc.message, "error")
        target = failure_url or (next_url if isinstance(next_url, str) else request.path)
        return redirect(target)
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return redirect(next_url(result) if callable(next_url) else next_url)
