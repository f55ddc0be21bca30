"""The one disclosure rule every club page and CSV applies: threshold + cell-key rounding."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from coop_formation.club import kanon

SECRET = b"test-secret"


def test_counts_under_five_are_masked_zero_included() -> None:
    for n in range(5):
        cell = kanon.count_cell(n)
        assert cell.masked and cell.display() == "< 5" and cell.csv() == ""
        assert kanon.people_cell(range(n), SECRET).masked
    assert kanon.count_cell(5).display() == "5"
    assert kanon.count_cell(5).csv() == "5"
    assert kanon.people_cell(range(5), SECRET).value == 5


def test_counts_are_published_as_multiples_of_five_next_to_the_true_count() -> None:
    for n in range(5, 60):
        cell = kanon.people_cell(range(1000, 1000 + n), SECRET)
        assert cell.value is not None and cell.value % 5 == 0 and cell.value >= 5
        assert abs(cell.value - n) <= 4
        # The same people always give the same figure (no averaging by repetition).
        assert kanon.people_cell(reversed(range(1000, 1000 + n)), SECRET) == cell


def test_rounding_is_unbiased_over_many_cells() -> None:
    published = [kanon.people_cell(range(s, s + 7), SECRET).value for s in range(0, 20000, 7)]
    mean = sum(v or 0 for v in published) / len(published)
    assert 6.6 < mean < 7.4  # 7 is rounded up to 10 with probability 2/5


def test_rate_is_masked_with_its_count() -> None:
    assert kanon.rate_cell(kanon.count_cell(3), 100).masked
    assert kanon.rate_cell(kanon.count_cell(3), 100).display() == "< 5"
    assert kanon.rate_cell(kanon.count_cell(7), None).masked
    rate = kanon.rate_cell(kanon.count_cell(10), 30)
    assert rate.percent == Decimal("33.3") and rate.display() == "33,3 %" and rate.csv() == "33.3"


# -- the property: no two queries reveal 1 to 4 people by difference ---------------------------

# A small cluster: each person belongs to one of three companies and takes part in some months.
people = st.dictionaries(
    keys=st.integers(min_value=1, max_value=10_000),
    values=st.tuples(
        st.integers(min_value=0, max_value=2), st.frozensets(st.integers(0, 11), max_size=6)
    ),
    min_size=0,
    max_size=80,
)
window = st.tuples(st.integers(0, 11), st.integers(0, 11)).map(sorted)
group = st.frozensets(st.integers(0, 2), min_size=1)


def _published(population, months, companies) -> int | None:  # type: ignore[no-untyped-def]
    start, end = months
    ids = [
        member
        for member, (company, active) in population.items()
        if company in companies and any(start <= m <= end for m in active)
    ]
    return kanon.people_cell(ids, SECRET).value


@settings(max_examples=300, deadline=None)
@given(population=people, first=st.tuples(window, group), second=st.tuples(window, group))
def test_no_pair_of_queries_differs_by_one_to_four_people(population, first, second) -> None:  # type: ignore[no-untyped-def]
    one = _published(population, *first)
    two = _published(population, *second)
    if one is not None and two is not None:
        assert abs(one - two) not in (1, 2, 3, 4)
