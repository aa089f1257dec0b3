"""§17 through the real command line: `vip due` shows the after-sales reasons in Simplified
Chinese with the product and the figure, its JSON keeps the codes, and `vip show` lists
loans, cards (masked 6+4) and fund values beside the holdings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from vipcli.db import models

AS_OF = dt.date(2026, 11, 27)
CARD = "6222021234567890123"


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", AS_OF.isoformat())
    factories.org(engine)
    factories.customer(engine, "C1", name="李白", manager_id="M1", signed_tier="diamond",
                       status="signed", preferred_channel="phone", birth_date=dt.date(1970, 6, 15))
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id="C1", level=3, assessed_on=dt.date(2026, 6, 1),
        valid_until=dt.date(2027, 6, 1), recorded_at=dt.datetime(2026, 6, 1, 9)))
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", channel="meeting",
                                                contacted_at=dt.datetime(2026, 11, 12, 9)))
    factories.rows(engine, models.Product, dict(product_code="F1", name="基金宝", category="fund",
                                                risk_rating=3))
    factories.rows(engine, models.Holding, dict(
        customer_id="C1", product_code="F1", start_date=dt.date(2026, 1, 5),
        amount_fen=1_000_000, units=Decimal("10000")))
    factories.rows(engine, models.Price, dict(product_code="F1", date=AS_OF - dt.timedelta(days=1),
                                              nav=Decimal("1.1000")),
                   dict(product_code="F1", date=AS_OF, nav=Decimal("1.2340")))
    factories.rows(engine, models.Loan, dict(
        loan_id="L1", customer_id="C1", product="个人住房贷款", principal_fen=80_000_000,
        balance_fen=50_000_000, due_date=AS_OF + dt.timedelta(days=3), overdue_days=0,
        overdue_amount_fen=0))
    factories.rows(engine, models.CardStatement, dict(
        card_no=CARD, statement_date=dt.date(2026, 11, 10), customer_id="C1",
        due_date=AS_OF + dt.timedelta(days=2), amount_due_fen=1_200_000, min_due_fen=120_000,
        paid_fen=0))
    return engine


def test_due_json_keeps_the_codes_and_names_the_figure(vip, data):
    result = vip("--as", "M1", "due", "--json")
    assert result.code == 0, result.err
    (item,) = result.json()["items"]
    assert [r["kind"] for r in item["reasons"]] == ["stop_profit", "card_repayment", "loan_due"]
    assert item["suggested_channel"] == "phone"
    assert item["suggested_content"] == "基金宝 F1 value vs cost +23.4%: consider taking profit"
    assert CARD not in result.out and "622202*********0123" in result.out


@pytest.mark.parametrize("columns", ["80", "200"])
def test_due_in_chinese_at_80_and_200_columns(vip, data, chinese, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    result = vip("--as", "M1", "due")
    assert result.code == 0, result.err
    text = result.out
    assert "基金宝 F1 净值较成本 +23.4%，建议止盈" in text
    assert "信用卡 622202*********0123 待还 ¥12,000.00" in text.replace("\n", "")
    assert "贷款 个人住房贷款" in text and CARD not in text


def test_show_lists_loans_cards_and_fund_values(vip, data):
    doc = vip("--as", "M1", "show", "C1", "--json").json()
    (held,) = doc["holdings"]
    assert held["units"] == "10000.0000" and held["nav"] == "1.2340"
    assert held["value"] == "12340.00" and held["value_vs_cost"] == "0.2340"
    assert doc["loans"][0]["loan_id"] == "L1" and doc["loans"][0]["balance"] == "500000.00"
    assert doc["cards"][0]["card_no"] == "622202*********0123"
    table = vip("--as", "M1", "show", "C1")
    assert table.code == 0, table.err
    assert "+23.4%" in table.out and "622202*********0123" in table.out and CARD not in table.out
    assert "L1" in table.out


def test_show_in_chinese(vip, data, chinese, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = vip("--as", "M1", "show", "C1")
    assert result.code == 0, result.err
    assert "贷款" in result.out and "信用卡（最近账单）" in result.out and "+23.4%" in result.out
