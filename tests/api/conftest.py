"""API tests reuse the recognition fixtures (isolated session, clients, wiring)."""

from tests.recognition.conftest import (  # noqa: F401
    client,
    credential,
    db_session,
    recognition_wired,
    request_context,
    signed_in,
)
