"""Hostile or malformed input gives an invalid report (or UnusableInput), never a crash:
the verifier backs a public page."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import badges
from badges import ob2

from .conftest import NOW, Issuer

_ISSUER = Issuer()
_SIGNED = _ISSUER.signed()
_OB2 = ob2.assertion(
    assertion_id="https://coop.example/a/1",
    badge_url="https://coop.example/b/1",
    email="a@b.fr",
    issued_on=NOW,
)


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.lists(st.none() | st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["x", "_:b0", "did:web:x", "https://evil.example/c", "@id"]),
)


def _mutate(document: dict, path: tuple, value: Any) -> dict:
    changed = copy.deepcopy(document)
    node = changed
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return changed


def _verify_does_not_crash(data: Any) -> None:
    try:
        report = badges.verify(data, resolver=_ISSUER.resolver, now=NOW)
    except badges.UnusableInput:
        return
    assert isinstance(report.valid, bool)
    assert [c.name for c in report.checks] == list(badges.CHECK_NAMES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(_paths(_SIGNED)), value=_JUNK)
def test_junk_anywhere_in_a_credential_is_reported_not_raised(path: tuple, value: Any) -> None:
    _verify_does_not_crash(_mutate(_SIGNED, path, value))


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(_paths(_OB2)), value=_JUNK)
def test_junk_in_an_ob2_assertion_is_reported_not_raised(path: tuple, value: Any) -> None:
    _verify_does_not_crash(_mutate(_OB2, path, value))


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=64) | st.text(max_size=64))
def test_random_input_is_unusable_or_reported(data: bytes | str) -> None:
    _verify_does_not_crash(data)
