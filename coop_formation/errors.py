"""Domain errors: the small hierarchy services raise (no Flask here).

They are mapped once, to HTML error pages and to ``application/problem+json``, by
:mod:`coop_formation.web.errors`.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of the errors services raise; each maps to one HTTP status and problem type."""

    status = 400
    type_slug = "invalid-input"

    def __init__(self, message: str = "", *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra


class InvalidInput(DomainError):
    status = 422
    type_slug = "invalid-input"


class NotFound(DomainError):
    status = 404
    type_slug = "not-found"


class Forbidden(DomainError):
    status = 403
    type_slug = "forbidden"


class Conflict(DomainError):
    status = 409
    type_slug = "conflict"


class LimitExceeded(Conflict):
    type_slug = "limit-exceeded"
