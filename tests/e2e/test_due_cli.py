"""`vip due` and `vip report compliance` through the real command line."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from vipcli.db import models


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", name="李白", manager_id="M1", signed_tier="diamond", status="signed")
    factories.customer(engine, "C2", manager_id="M2", signed_tier="gold", status="signed",
               birth_date=dt.date(1980, 11, 29))
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", channel="phone",
                                   contacted_at=dt.datetime(2026, 11, 24, 9)))
    factories.rows(engine, models.Transaction, dict(customer_id="C2", txn_id="T1", date=dt.date(2026, 11, 26),
                                       amount_fen=-80_000_000, channel="online"))
    return engine


def test_due_json_follows_the_contract(vip, data):
    result = vip("--as", "M1", "due", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert set(doc) >= {"as_of", "staff_id", "week", "items"}
    assert doc["as_of"] == "2026-11-27" and doc["week"] == {"contacted": 1, "target": 10}
    item = doc["items"][0]
    assert item["customer_id"] == "C1" and item["tier"] == "diamond"
    assert set(item["reasons"][0]) == {"kind", "detail", "due_date", "overdue_days"}


def test_due_as_of_a_later_day_plans_ahead(vip, data):
    doc = vip("--as", "M1", "due", "--as-of", "2026-12-09", "--json").json()
    cadence = next(r for r in doc["items"][0]["reasons"] if r["kind"] == "cadence")
    assert cadence == {"kind": "cadence", "detail": "Diamond contact due today; last phone Nov 24",
                       "due_date": "2026-12-09", "overdue_days": 0}


def test_branch_head_table_shows_the_outlet_header(vip, data):
    result = vip("--as", "H1", "due")
    assert result.code == 0, result.err
    assert "Today's plan for the outlet" in result.out and "2026-11-27" in result.out
    assert "Outlet: retention alerts 1, reports to review 0" in result.out and "C2" in result.out


def test_branch_head_limits_to_one_staff_member(vip, data):
    doc = vip("--as", "H1", "due", "--staff", "M2", "--limit", "1", "--json").json()
    assert doc["staff_id"] == "M2" and [i["customer_id"] for i in doc["items"]] == ["C2"]
    assert doc["items"][0]["priority"] == "retention"
    assert doc["outlet"]["retention_alerts"] == 1


@pytest.mark.parametrize("args, message", [
    (("--as", "M1", "due", "--staff", "M2"), "may see only its own list"),
    (("--as", "OP1", "due"), "may not see a morning list"),
    (("--as", "M1", "due", "--as-of", "27/11/2026"), "--as-of must be a date"),
    (("due",), "needs to know who you are"),
])
def test_due_refusals_are_one_line_and_exit_1(vip, data, args, message):
    result = vip(*args)
    assert result.code == 1 and message in result.err and result.out == ""


def test_compliance_report_json_and_table(vip, data):
    doc = vip("--as", "H1", "report", "compliance", "--month", "2026-11", "--json").json()
    m1 = next(x for x in doc["managers"] if x["staff_id"] == "M1")
    assert m1["tiers"][0] == {"tier": "diamond", "customers": 1, "monthly_met": 0, "quarterly_met": 1}
    table = vip("--as", "M1", "report", "compliance")
    assert table.code == 0 and "Contact compliance 2026-11" in table.out
