"""Fixtures for exchange tests.

Two shared fixtures are redefined here, as in ``tests/people/conftest.py`` (reported to
the lead, who owns ``tests/conftest.py``):

- ``db_session``: Flask-SQLAlchemy 3.1's ``Session.get_bind`` ignores the ``bind`` the shared
  fixture passes, so requests committed for real and data leaked between tests; this
  version sends every statement through the test's connection.
- ``client``: requests run inside the test's app context, so the user Flask-Login caches
  on ``g`` leaked from one request (and one client) to the next; each request starts clean.

``client_for(member)`` gives one signed-in browser per member.
"""

from __future__ import annotations
