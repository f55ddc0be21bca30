"""The strict JSON reader of request bodies: ambiguous or crafted bodies are refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop_formation import jsoninput

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_ordinary_json_reads_as_json_does(value: object) -> None:
    assert jsoninput.loads(json.dumps(value)) == value


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"a": 1, "a": 2}', "deux fois"),
        ('{"x": {"k": 1, "k": 1}}', "deux fois"),
        ("[" * 33 + "]" * 33, "imbrication"),
        ('{"a": ' * 40 + "1" + "}" * 40, "imbrication"),
        (b"\xff\xfe{}", "UTF-8"),
        ("{not json", "pas du JSON"),
    ],
)
def test_duplicate_keys_deep_nesting_and_bad_text_are_refused(body: str | bytes, reason: str):
    with pytest.raises(jsoninput.UnusableJSON) as refused:
        jsoninput.loads(body)
    assert reason in refused.value.reason


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert jsoninput.loads('{"text": "' + "[" * 100 + '"}') == {"text": "[" * 100}
