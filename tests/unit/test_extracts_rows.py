"""Issue 15 (§12): the fields of the prices, loans and cards extracts, and their bulk path —
`rows.fast_chunk` gives exactly what `rows.convert` gives, or None when anything is unusual."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vipcli.domain import rows
from vipcli.domain.masking import mask_card

TODAY = dt.date(2026, 11, 27)


def slow(kind: str, block: list[list[str]]) -> list[tuple]:
    fields = rows.fields_for(kind, TODAY)
    positions = list(range(len(fields)))
    out = []
    for cells in block:
        values, problems = rows.convert(fields, positions, cells)
        assert not problems and not rows.row_checks(kind, values), (cells, problems)
        out.append(values)
    return out


def fast(kind: str, block: list[list[str]]):
    fields = rows.fields_for(kind, TODAY)
    return rows.fast_chunk(kind, fields, list(range(len(fields))), block)


CLEAN = {
    "prices": [["P_JJB", "2026-11-26", "1.2345", "", ""], ["P_JJB", "2026/11/27", " 1.3 ", "", "0.0150"],
               ["P_LC3", "20261126", "", "-0.25", ""]],
    "loans": [["L1", "C1", "房贷", "500000.00", "320000.50", "2026-12-05", "0", "0"],
              ["L2", "C1", "", "50000", "12000.00", "", "7", "1500.01"]],
    "cards": [["6222 0212 3456 7890", "C1", "2026-11-05", "2026-11-25", "-12.50", "0.10", ""],
              ["6222021234567890", "C2", "2026-10-05", "2026-10-25", "8000.00", "800.00", "8000.00"]],
}


@pytest.mark.parametrize("kind", sorted(CLEAN))
def test_a_clean_chunk_converts_exactly_as_row_by_row(kind):
    assert fast(kind, CLEAN[kind]) == slow(kind, CLEAN[kind])


@pytest.mark.parametrize("kind, row, column", [
    ("prices", ["P_JJB", "2026-11-26", "1.23456", "", ""], 2),
    ("prices", ["P_JJB", "2026-11-26", "", "", ""], 2),
    ("loans", ["L3", "", "x", "1.00", "1.00", "", "0", "0"], 1),
    ("loans", ["L3", "C1", "x", "1.00", "1.00", "", "0", "5.00"], 6),
    ("cards", ["6222021234567890", "C1", "2026-11-05", "2026-11-01", "1.00", "0.10", "0"], 3),
    ("cards", ["62220212345678901234", "C1", "2026-11-05", "2026-11-25", "1.00", "0.10", "0"], 0),
    ("cards", ["6222021234567890", "C1", "2026-11-05", "2026-11-25", "1.00", "-0.10", "0"], 5),
])
def test_anything_unusual_leaves_the_chunk_to_the_row_by_row_path(kind, row, column):
    assert fast(kind, [*CLEAN[kind], row]) is None
    fields = rows.fields_for(kind, TODAY)
    values, problems = rows.convert(fields, list(range(len(fields))), row)
    found = problems or rows.row_checks(kind, values)
    assert found and found[0][0] == fields[column].name


def test_a_blank_row_or_a_short_row_goes_row_by_row():
    assert fast("prices", [*CLEAN["prices"], ["", "", "", "", ""]]) is None
    assert fast("prices", [*CLEAN["prices"], ["P_JJB", "2026-11-26"]]) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-10**12, 10**12), st.integers(0, 10**9), st.integers(1, 28)),
                min_size=1, max_size=30))
def test_amounts_and_dates_agree_with_convert(draws):
    block = [[f"6222021234{n % 1000000:06d}", f"C{n % 7}", f"2026-10-{day:02d}", f"2026-11-{day:02d}",
              f"{'-' if amount < 0 else ''}{abs(amount) // 100}.{abs(amount) % 100:02d}",
              f"{least // 100}.{least % 100:02d}", "0"]
             for n, (amount, least, day) in enumerate(draws)]
    assert fast("cards", block) == slow("cards", block)


def test_nav_is_kept_to_4_decimals_and_yield_may_be_negative():
    nav = rows.decimal_of(4)
    assert nav("1.3") == Decimal("1.3000") and str(nav("1.3")) == "1.3000"
    with pytest.raises(ValueError, match="0 or more"):
        nav("-1")
    assert rows.decimal_of(2, negative=True)("-0.25") == Decimal("-0.25")


def test_a_card_number_is_masked_6_plus_4_in_its_error():
    with pytest.raises(ValueError) as info:
        rows.card_number("62220212345678901234")
    assert "622202**********1234" in str(info.value) and "62220212345678901234" not in str(info.value)
    assert mask_card("6222021234567890") == "622202******7890"


def test_a_due_date_header_in_chinese_may_be_the_maturity_spelling():
    fields = rows.fields_for("cards", TODAY)
    header = ["卡号", "客户号", "账单日", "到期日", "应还金额", "最低还款"]
    assert rows.header_positions(fields, header) == [0, 1, 2, 3, 4, 5, None]
    assert rows.header_positions(rows.fields_for("holdings", TODAY), ["客户号", "产品代码", "金额", "起始日", "到期日"])[4] == 4
