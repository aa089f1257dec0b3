"""Import row parsing (SPEC §12): aliases, labels in both scripts, money, dates, booleans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vipcli.domain import asset_rows, rows

TODAY = dt.date(2026, 11, 27)


def convert(kind: str, header: list[str], cells: list[str]):
    fields = rows.fields_for(kind, TODAY)
    values, problems = rows.convert(fields, rows.header_positions(fields, header), cells)
    return dict(zip([f.name for f in fields], values, strict=True)), dict(problems)


def test_traditional_and_simplified_headers_map_to_the_same_columns():
    trad = ["客戶號", "姓名", "網點號", "卡級", "客戶經理", "出生日期"]
    simp = ["客户号", "姓名", "网点号", "卡级", "客户经理", "出生日期"]
    fields = rows.fields_for("customers", TODAY)
    assert rows.header_positions(fields, trad) == rows.header_positions(fields, simp)


def test_english_headers_are_case_and_space_insensitive_and_bom_is_ignored():
    fields = rows.fields_for("assets", TODAY)
    assert rows.header_positions(fields, ["\ufeffCustomer ID", "Month", "avg daily assets"]) == [0, 1, 2]


def test_missing_required_columns_are_one_error_naming_them_all():
    fields = rows.fields_for("holdings", TODAY)
    with pytest.raises(rows.HeaderError, match="product_code, amount, start_date"):
        rows.header_positions(fields, ["customer_id", "maturity_date"])


def test_a_column_named_twice_is_refused():
    fields = rows.fields_for("assets", TODAY)
    with pytest.raises(rows.HeaderError, match="twice"):
        rows.header_positions(fields, ["customer_id", "客戶號", "month", "avg_daily_assets"])


@pytest.mark.parametrize(
    "label, code",
    [("鑽石卡", "diamond"), ("钻石卡", "diamond"), ("白金卡", "platinum"), ("金卡", "gold"),
     ("普通客戶", None), ("普通客户", None), ("GOLD", "gold")],
)
def test_tier_labels_in_both_scripts(label, code):
    values, problems = convert("customers", ["customer_id", "name", "branch_id", "tier"], ["C1", "王", "O001", label])
    assert problems == {}
    assert values["tier"] == code


@pytest.mark.parametrize(
    "column, label, code",
    [("occupation", "企業高管", "executive"), ("occupation", "企业高管", "executive"),
     ("orientation", "關係取向", "relationship"), ("orientation", "关系取向", "relationship"),
     ("gender", "女", "F"), ("birthday_calendar", "農曆", "lunar"), ("birthday_calendar", "农历", "lunar"),
     ("preferred_channel", "微信", "wechat"), ("source", "轉介紹", "referral"), ("source", "转介绍", "referral")],
)
def test_customer_enum_labels_in_both_scripts(column, label, code):
    values, problems = convert("customers", ["customer_id", "name", "branch_id", column], ["C1", "王", "O001", label])
    assert problems == {}
    assert values[column] == code


def test_staff_role_labels_and_defaults():
    values, problems = convert("staff", ["工號", "姓名", "崗位", "機構號"], ["S1", "李", "個人客戶經理", "O001"])
    assert problems == {}
    assert values["role"] == "account_manager"
    assert values["capacity"] == Decimal("1.00")
    assert values["active"] is True


def test_an_unknown_enum_value_names_the_expected_codes():
    _, problems = convert("transactions", ["txn_id", "customer_id", "date", "amount", "channel"],
                          ["T1", "C1", "2026-11-01", "-10.00", "branch"])
    assert "counter, online, mobile, atm" in problems["channel"]


@pytest.mark.parametrize("text, expected", [("true", True), ("1", True), ("是", True), ("在職", True),
                                            ("false", False), ("0", False), ("否", False), ("離職", False)])
def test_booleans(text, expected):
    assert rows.boolean(text) is expected


def test_a_word_that_is_not_a_boolean_is_refused():
    with pytest.raises(ValueError, match="true/false"):
        rows.boolean("maybe")


@pytest.mark.parametrize("text", ["2026-11-27", "2026/11/27", "2026/11/27", "20261127", "2026.11.27",
                                  "2026-11-27 00:00:00"])
def test_date_spellings(text):
    assert rows.parse_date(text) == dt.date(2026, 11, 27)


@pytest.mark.parametrize("text", ["2026-02-30", "27/11/2026", "2026-13-01", "yesterday"])
def test_malformed_dates_are_refused(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        rows.parse_date(text)


def test_a_birth_date_in_the_future_is_an_error():
    _, problems = convert("customers", ["customer_id", "name", "branch_id", "birth_date"],
                          ["C1", "王", "O001", "2026-11-28"])
    assert "not after today" in problems["birth_date"]


def test_a_transaction_dated_today_is_accepted():
    values, problems = convert("transactions", ["txn_id", "customer_id", "date", "amount", "channel"],
                               ["T1", "C1", "2026-11-27", "-500000.00", "櫃面"])
    assert problems == {}
    assert values["amount"] == -50_000_000
    assert values["channel"] == "counter"


@pytest.mark.parametrize("text, month", [("2026-10", "2026-10"), ("2026/1", "2026-01"), ("2026-11", "2026-11")])
def test_months(text, month):
    assert rows.month_until("2026-11")(text) == month


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "202610", "2026-12"])
def test_bad_or_future_months_are_refused(text):
    with pytest.raises(ValueError):
        rows.month_until("2026-11")(text)


@pytest.mark.parametrize("text, fen", [("100000", 10_000_000), ("99,999.99", 9_999_999), ("¥1.5", 150),
                                       ("0.01", 1)])
def test_money_is_stored_as_integer_fen(text, fen):
    assert rows.money(text) == fen


@pytest.mark.parametrize("text", ["1.234", "abc", "1e400", "NaN"])
def test_money_with_more_than_two_decimals_or_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        rows.money(text)


def test_asset_amounts_cannot_be_negative():
    with pytest.raises(ValueError, match="0 or more"):
        rows.money_not_negative("-1.00")


@pytest.mark.parametrize("text, level", [("PR1", 1), ("pr5", 5), ("3", 3)])
def test_risk_ratings(text, level):
    assert rows.risk_rating(text) == level


def test_risk_rating_out_of_range_is_refused():
    with pytest.raises(ValueError, match="PR1 to PR5"):
        rows.risk_rating("PR6")


def test_capacity_is_a_decimal_above_zero():
    assert rows.capacity("0.5") == Decimal("0.5")
    with pytest.raises(ValueError):
        rows.capacity("0")


def test_required_value_missing_is_named():
    _, problems = convert("assets", ["customer_id", "month", "avg_daily_assets"], ["C1", "", "1.00"])
    assert problems == {"month": "a value is required"}


def test_maturity_before_start_is_an_error():
    fields = rows.fields_for("holdings", TODAY)
    values, _ = rows.convert(fields, [0, 1, 2, 3, 4, None], ["C1", "P1", "1.00", "2026-01-02", "2026-01-01"])
    assert rows.row_checks("holdings", values)[0][0] == "maturity_date"


def test_an_outlet_needs_a_parent_and_a_first_level_branch_has_none():
    assert rows.row_checks("branches", ("O1", "x", None, 3))[0][0] == "parent_id"
    assert rows.row_checks("branches", ("B1", "x", "B0", 1))[0][0] == "parent_id"
    assert rows.row_checks("branches", ("B1", "x", None, 1)) == []


# -- money round-trips and the asset fast path (hypothesis) -----------------------------

amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)


@given(amounts)
def test_money_round_trips_through_fen(value):
    assert rows.money(str(value)) == int(value * 100)
    assert rows.money(f"{value:,.2f}") == int(value * 100)


@given(st.lists(st.tuples(st.from_regex(r"C[0-9]{1,8}", fullmatch=True),
                          st.sampled_from(["2025-12", "2026-01", "2026-11"]), amounts), min_size=1, max_size=20))
def test_fast_chunk_agrees_with_the_row_parser(data):
    block = [[cid, month, f"{value:.2f}"] for cid, month, value in data]
    fields = rows.fields_for("assets", TODAY)
    expected = [rows.convert(fields, [0, 1, 2], cells)[0] for cells in block]
    assert asset_rows.fast_assets_chunk([0, 1, 2], "2026-11", block) == expected


@given(st.lists(st.tuples(st.text(min_size=0, max_size=6), st.text(min_size=0, max_size=8),
                          st.text(min_size=0, max_size=10)), min_size=1, max_size=10))
def test_fast_paths_never_accept_what_the_row_parser_refuses(data):
    fields = rows.fields_for("assets", TODAY)
    block = [list(cells) for cells in data]
    numbered = list(enumerate(block, start=2))
    good, numbers, slow = asset_rows.fast_assets([0, 1, 2], "2026-11", numbered)
    for number, values in zip(numbers, good, strict=True):
        assert rows.convert(fields, [0, 1, 2], block[number - 2]) == (values, [])
    chunk = asset_rows.fast_assets_chunk([0, 1, 2], "2026-11", block)
    if chunk is not None:
        assert chunk == [rows.convert(fields, [0, 1, 2], cells)[0] for cells in block]
        assert all(rows.convert(fields, [0, 1, 2], cells)[1] == [] for cells in block)


@pytest.mark.parametrize("text", ["C 1", "C\u30001", "x" * 33])
def test_identifiers_are_short_and_have_no_inner_spaces(text):
    with pytest.raises(ValueError, match="identifier"):
        rows.code(text)
