"""§5/§17: the suggested channel when product information, after-sales and contact reasons
share a row, and the suggested content that names the product and the figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from vipcli.domain import cadence
from vipcli.domain.due_rules import holding_value_fen, percent


@pytest.mark.parametrize("kinds, preferred, channel", [
    (["nav_move"], "phone", "sms"),
    (["dividend", "yield_change", "new_product"], "wechat", "sms"),
    (["nav_move", "card_repayment"], "wechat", "wechat"),  # after-sales: the customer's own
    (["stop_profit"], None, "phone"),
    (["loan_overdue", "nav_move"], "sms", "meeting"),  # a retention alert → a meeting
    (["new_product", "cadence"], "sms", "phone"),  # the cadence asks for a call
])
def test_suggested_channel(kinds, preferred, channel):
    assert cadence.suggested_channel(kinds, preferred) == channel


def test_the_most_urgent_reason_with_content_speaks():
    day = dt.date(2026, 11, 27)
    reasons = [cadence.reason("cadence", "x", day, day),
               cadence.reason("stop_profit", "y", day, day, trigger=day, content="基金宝 +23.4%"),
               cadence.reason("dividend", "z", day, day, trigger=day, content="分红")]
    assert cadence.suggested_content("value", reasons) == "基金宝 +23.4%"
    assert cadence.suggested_content(None, reasons[:1]) == cadence.suggested_content(None)


def test_money_and_percent_are_exact():
    assert holding_value_fen(Decimal("10000.0000"), Decimal("1.2340")) == 1_234_000
    assert holding_value_fen(Decimal("3.3333"), Decimal("1.0001")) == 333  # 333.36… fen half up
    assert percent(Decimal("0.234")) == "+23.4%" and percent(Decimal("-0.1")) == "-10.0%"
    assert percent(Decimal("0")) == "0.0%"


def test_a_retention_row_keeps_to_retention():
    day = dt.date(2026, 11, 27)
    news = cadence.reason("dividend", "z", day, day, trigger=day, content="分红")
    drop = cadence.reason("downgrade_risk", "d", day, day, trigger=day)
    overdue = cadence.reason("loan_overdue", "l", day, day, trigger=day, content="贷款逾期")
    assert cadence.suggested_content(None, [drop, news]) == cadence.suggested_content(None)
    assert cadence.suggested_content(None, [overdue, news]) == "贷款逾期"
