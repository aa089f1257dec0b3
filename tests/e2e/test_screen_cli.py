"""`vip screen` through the real command line: the §15 JSON, exit codes, --quiet."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from tests import factories
from vipcli.db import models
from vipcli.domain.tiers import shift_month


def months(first="2025-01", last="2026-10"):
    out = [first]
    while out[-1] < last:
        out.append(shift_month(out[-1], 1))
    return out


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1")
    factories.customer(engine, "C2", signed_tier="platinum", status="signed")
    factories.assets(engine, "C1", {m: "100000.00" for m in months()})
    factories.assets(engine, "C2", {m: "200000.00" for m in months()})
    return engine


def test_screen_json_follows_the_contract(vip, data):
    result = vip("--as", "OP1", "screen", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["month"] == "2026-10"
    assert doc["window"] == ["2025-11", "2026-10"]
    assert doc["screened"] == 2
    assert doc["qualified"] == {"diamond": 0, "platinum": 0, "gold": 2, "none": 0}
    assert doc["newly_qualified"] == ["C1"]
    assert doc["downgrade_warnings"] == ["C2"]
    assert doc["downgraded"] == [] and doc["upgrade_candidates"] == []


def test_screen_month_option_and_table(vip, data):
    result = vip("--as", "H1", "screen", "--month", "2026-09")
    assert result.code == 0, result.err
    assert "Screening 2026-09" in result.out and "outlet O001" in result.out
    assert "downgrade warnings" in result.out and "C2" in result.out


def test_quiet_prints_nothing(vip, data):
    result = vip("--as", "OP1", "screen", "--quiet")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_missing_month_exits_2_naming_the_month(vip, data):
    with data.begin() as conn:
        conn.execute(delete(models.MonthlyAsset).where(models.MonthlyAsset.month == "2026-04"))
    result = vip("--as", "OP1", "screen", "--json")
    assert result.code == 2
    assert result.out == ""
    assert "2026-04" in result.err and "--allow-missing-months" in result.err
    assert vip("--as", "OP1", "screen", "--allow-missing-months", "--json").json()[
        "missing_months"] == ["2026-04"]


def test_screen_needs_an_operator_or_branch_head(vip, data):
    assert vip("screen").code == 1
    result = vip("--as", "M1", "screen")
    assert result.code == 1 and "Operator / Branch head" in result.err


def test_bad_month_is_refused(vip, data):
    result = vip("--as", "OP1", "screen", "--month", "2026-11")
    assert result.code == 1 and "not complete" in result.err
