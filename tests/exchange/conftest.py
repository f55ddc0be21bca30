"""Exchange tests use the shared fixtures of ``tests/conftest.py``: ``world``,
``client_for(member)`` (one signed-in browser per member) and ``nothing_written``."""
