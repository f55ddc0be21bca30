"""JSON API under ``/api/v1`` (CSRF-exempt; errors as ``application/problem+json``)."""
