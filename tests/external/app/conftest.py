"""App-level external checks reuse the recognition fixtures (isolated session, clients)."""

from tests.recognition.conftest import (  # noqa: F401
    credential,
    recognition_wired,
    request_context,
)
