"""The one CSV writer: BOM, ``;``, amounts stay numbers, no cell runs as a formula."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from coop_formation.csvfile import BOM, csv_text, safe_cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _read(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=";"))


@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=5), min_size=1, max_size=5))
def test_no_text_cell_reaches_a_spreadsheet_as_a_formula(rows: list[list[str]]) -> None:
    for row in _read(csv_text(rows)):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                plain = cell.replace(",", ".", 1).lstrip("+-")
                assert plain.replace(".", "", 1).isdigit(), cell


@given(st.integers(min_value=-(10**9), max_value=10**9), st.sampled_from(["", ",5", ",00", ".25"]))
def test_a_plain_number_stays_a_number(whole: int, frac: str) -> None:
    number = f"{whole}{frac}"
    assert safe_cell(number) == number


def test_formulas_are_neutralised_and_text_kept_readable() -> None:
    rows = _read(csv_text([["=SOMME(A1:A2)", "@cmd", "-5,00", "+33 6 12", "Café ; crème"]]))
    assert rows == [["'=SOMME(A1:A2)", "'@cmd", "-5,00", "'+33 6 12", "Café ; crème"]]


def test_the_file_starts_with_a_bom_and_uses_semicolons() -> None:
    text = csv_text([["a", "b"], ["1", "2"]])
    assert text == BOM + "a;b\r\n1;2\r\n"
