"""App-level external checks reuse the recognition fixtures (isolated session, clients)."""

from tests.recognition.conftest import (  # noqa: F401
    client,
    credential,
    db_session,
    recognition_wired,
    request_context,
)
