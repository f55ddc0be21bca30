"""API tests reuse two recognition fixtures: an awarded ``credential`` and the request
context services need to translate their messages. Signed-in browsers are the shared
``client_for(member)``."""

from __future__ import annotations

from tests.recognition.conftest import credential, request_context  # noqa: F401
