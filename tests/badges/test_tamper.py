"""Property: a signed credential verifies, and any one-byte change of it fails."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import badges

from .conftest import NOW, Issuer

_ISSUER = Issuer()
_SIGNED = _ISSUER.signed()
_TEXT = json.dumps(_SIGNED, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, (*path, i))]
    return [path] if isinstance(node, str) else []


_STRING_FIELDS = _leaves(_SIGNED)


def _fails(data: bytes | dict) -> bool:
    try:
        report = badges.verify(data, resolver=_ISSUER.resolver, now=NOW)
    except badges.UnusableInput:
        return True
    return not report.valid


def test_untouched_credential_verifies() -> None:
    assert not _fails(_TEXT)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(0, len(_TEXT) - 1), value=st.integers(0, 255))
def test_any_one_byte_change_fails(position: int, value: int) -> None:
    assume(_TEXT[position] != value)
    changed = bytearray(_TEXT)
    changed[position] = value
    # same JSON => same credential; not JSON any more => must be refused as unusable
    with contextlib.suppress(ValueError):
        assume(json.loads(bytes(changed)) != _SIGNED)
    assert _fails(bytes(changed))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(_STRING_FIELDS), data=st.data())
def test_any_change_of_a_signed_field_fails(field: tuple, data: st.DataObject) -> None:
    document = copy.deepcopy(_SIGNED)
    node = document
    for step in field[:-1]:
        node = node[step]
    original = node[field[-1]]
    index = data.draw(st.integers(0, max(len(original) - 1, 0)))
    char = data.draw(st.characters(codec="utf-8", exclude_characters=original[index : index + 1]))
    node[field[-1]] = original[:index] + char + original[index + 1 :]
    assert _fails(document)
