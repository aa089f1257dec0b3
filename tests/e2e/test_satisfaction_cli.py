"""`vip log-contact … --satisfaction 1-5` and `vip report satisfaction` (§18)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories
from vipcli.db import models


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", signed_tier="gold", status="signed")
    factories.customer(engine, "C2", manager_id="M2", signed_tier="gold", status="signed")
    return engine


def contacts(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(models.Contact)).scalar_one()


def rate(vip, who: str, customer: str, rating: str, at: str | None = None):
    args = ["--as", who, "log-contact", customer, "--channel", "phone", "--summary", "回访",
            "--satisfaction", rating]
    return vip(*args, *(["--at", at] if at else []), "--json")


@pytest.mark.parametrize("rating", ["0", "6", "good", "4.5"])
def test_a_rating_outside_1_to_5_is_one_line_and_writes_nothing(vip, data, rating):
    result = rate(vip, "M1", "C1", rating)
    assert result.code == 1 and result.out == ""
    assert "--satisfaction must be a whole number from 1 to 5" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert contacts(data) == 0


def test_the_rating_is_stored_on_the_contact(vip, data):
    logged = rate(vip, "M1", "C1", "4")
    assert logged.code == 0, logged.err
    assert logged.json()["satisfaction"] == 4
    with data.connect() as conn:
        assert conn.execute(select(models.Contact.satisfaction)).scalar_one() == 4


def test_report_satisfaction_averages_and_trend(vip, data):
    for who, customer, rating, at in [("M1", "C1", "5", "2026-11-02"), ("M1", "C1", "4", "2026-11-03"),
                                      ("M1", "C1", "4", "2026-11-04"), ("M2", "C2", "3", "2026-11-05"),
                                      ("M1", "C1", "2", "2026-08-05")]:
        assert rate(vip, who, customer, rating, at).code == 0
    doc = vip("--as", "H1", "report", "satisfaction", "--month", "2026-11", "--json").json()
    assert doc["outlet"] == {"average": "4.00", "count": 4}
    assert [(m["staff_id"], m["average"], m["count"]) for m in doc["by_manager"]] == [
        ("M1", "4.33", 3), ("M2", "3.00", 1)]
    assert [t["month"] for t in doc["trend"]] == [
        "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert doc["trend"][2] == {"month": "2026-08", "average": "2.00", "count": 1}
    text = vip("--as", "H1", "report", "satisfaction", "--month", "2026-11")
    assert text.code == 0, text.err
    bars = [line for line in text.out.splitlines() if line.startswith("2026-")]
    assert len(bars) == 6 and "█" in bars[-1] and bars[-1].endswith("4.00")
    assert bars[0].endswith("—")  # a month without ratings has no average, not 0


def test_a_manager_sees_only_its_own_ratings(vip, data):
    rate(vip, "M1", "C1", "5")
    rate(vip, "M2", "C2", "1")
    doc = vip("--as", "M2", "report", "satisfaction", "--json").json()
    assert doc["scope"] == "own" and doc["outlet"] == {"average": "1.00", "count": 1}
    assert [m["staff_id"] for m in doc["by_manager"]] == ["M2"]
    refused = vip("--as", "OP1", "report", "satisfaction")
    assert refused.code == 1 and "may not see the satisfaction report" in refused.err
