"""Closure test fixtures: services translate their messages, which needs a request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask


@pytest.fixture(autouse=True)
def request_context(app: Flask, db_session: sa.orm.scoped_session) -> Iterator[None]:
    with app.test_request_context():
        yield
