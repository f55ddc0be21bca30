"""The one k-anonymity rule every club page and CSV applies."""

from __future__ import annotations

from decimal import Decimal

from coop_formation.club import kanon


def test_counts_under_five_are_masked_zero_included() -> None:
    for n in range(5):
        cell = kanon.count_cell(n)
        assert cell.masked and cell.display() == "< 5" and cell.csv() == ""
    assert kanon.count_cell(5).display() == "5"
    assert kanon.count_cell(5).csv() == "5"


def test_total_is_masked_when_any_cell_it_groups_is_masked(db_session) -> None:  # type: ignore[no-untyped-def]
    parts = [kanon.count_cell(12), kanon.count_cell(3)]
    total = kanon.group_cell(15, parts)
    assert total.masked and total.reason == kanon.COMPLEMENTARY
    assert total.display() == "n.d." and total.csv() == ""
    assert kanon.group_cell(24, [kanon.count_cell(12), kanon.count_cell(12)]).value == 24
    assert kanon.group_cell(4, []).display() == "< 5"


def test_rate_is_masked_with_its_count() -> None:
    assert kanon.rate_cell(kanon.count_cell(3), 100).masked
    assert kanon.rate_cell(kanon.count_cell(3), 100).display() == "< 5"
    assert kanon.rate_cell(kanon.count_cell(7), None).masked
    rate = kanon.rate_cell(kanon.count_cell(7), 30)
    assert rate.percent == Decimal("23.3") and rate.display() == "23,3 %" and rate.csv() == "23.3"


def test_company_group_count_is_masked_when_one_company_counts_one_to_four() -> None:
    assert kanon.companies_cell([7, 0, 12]).value == 19
    masked = kanon.companies_cell([7, 2])
    assert masked.masked and masked.reason == kanon.COMPLEMENTARY
    assert kanon.companies_cell([3]).display() == "< 5"
    assert kanon.companies_cell([]).display() == "< 5"
