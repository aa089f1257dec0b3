"""Masking (SPEC §13) and exact money (SPEC §1, §15)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vipcli.domain.masking import mask_account, mask_id_number, mask_phone
from vipcli.domain.money import money_display, money_str, parse_yuan, yuan


def test_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_id_number_keeps_first_three_and_last_four():
    assert mask_id_number("11010119700615001X") == "110***********001X"


def test_account_keeps_first_six_and_last_four():
    assert mask_account("6228480012345678901") == "622848*********8901"


def test_short_values_are_fully_masked_and_empty_stays_empty():
    assert mask_phone("1234") == "****"
    assert mask_phone(None) is None
    assert mask_phone("") == ""


def test_money_parses_to_exact_fen():
    assert parse_yuan("100000.00") == 10_000_000
    assert parse_yuan("99,999.99") == 9_999_999
    assert parse_yuan("-500000") == -50_000_000
    assert parse_yuan("￥12.5") == 1250


@pytest.mark.parametrize("bad", ["12.345", "abc", "", "NaN", "1e400x", "1e400", "Infinity"])
def test_money_refuses_more_than_two_decimals_and_garbage(bad):
    with pytest.raises(ValueError):
        parse_yuan(bad)


def test_display_rounds_half_up_to_the_fen():
    assert yuan(Decimal("0.5")) == Decimal("0.01")
    assert money_str(Decimal("1234.5")) == "12.35"
    assert money_str(100_000_000) == "1000000.00"
    assert money_display(123456789) == "1,234,567.89"


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_money_string_round_trips(fen):
    assert parse_yuan(money_str(fen)) == fen
