"""§11 retention report on a fixture with known losses, downgrades and upgrades."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, PreconditionFailed
from vipcli.services.routine.retention import retention_report

AT = dt.datetime(2026, 5, 2, 3, 0)

# customer: (tier at start, tier now, status, outlet, assets at start, assets at end, adb12 fen)
BOOK = {
    "D1": ("diamond", "diamond", "signed", "O001", "6000000", "6100000", 600_000_000),
    "D2": ("diamond", "platinum", "signed", "O001", "6000000", "1500000", None),
    "P1": ("platinum", "platinum", "lost", "O001", "2000000", None, None),
    "P2": ("platinum", "diamond", "signed", "O001", "2000000", "5200000", 400_000_000),
    "G1": ("gold", "gold", "signed", "O001", "150000", "150000", None),
    "G2": ("gold", None, "signed", "O001", "150000", "200000", None),
    "G3": ("gold", "gold", "signed", "O001", "150000", "150000", None),
    "N1": (None, "gold", "signed", "O001", "10000", "150000", None),
    "O1": ("diamond", "diamond", "lost", "O002", "9000000", None, None),
}


@pytest.fixture
def fixture(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    for cid, (start, now, status, outlet, a0, a1, adb12) in BOOK.items():
        factories.customer(engine, cid, signed_tier=now, status=status, branch_id=outlet,
                           tier_since=dt.date(2020, 11, 27),
                           manager_id="M1" if outlet == "O001" else "M4")
        factories.assets(engine, cid, {"2025-10": a0, **({"2026-10": a1} if a1 else {})})
        factories.rows(engine, models.ScreeningResult,
                       dict(month="2025-10", customer_id=cid, adb12_fen=0, qualified_tier=start,
                            signed_tier=start, months_below=0),
                       dict(month="2026-10", customer_id=cid, adb12_fen=adb12 or 0, qualified_tier=now,
                            signed_tier=now, months_below=0))

    with engine.begin() as conn:
        factories.screened(conn, "2025-10")
        factories.screened(conn, "2026-10")

    def change(cid, kind, month, frm, to, at=AT):
        return dict(customer_id=cid, kind=kind, month=month, from_tier=frm, to_tier=to,
                    reason="test", at=at)

    factories.rows(engine, models.TierHistory,
                   change("D2", "signed", "2026-05", "diamond", "platinum"),
                   change("P2", "signed", None, "platinum", "diamond"),  # a signing, dated only
                   change("G2", "signed", "2026-10", "gold", None),  # the end month counts
                   change("G3", "signed", "2025-09", "platinum", "gold"),  # before the period
                   change("D1", "qualified", "2026-05", "diamond", "platinum"))  # not a signed change
    factories.rows(engine, models.Product, dict(product_code="F1", name="理財", category="wealth"))
    factories.rows(engine, models.Holding, *[
        dict(customer_id="D1", product_code="F1", start_date=start, amount_fen=1, maturity_date=mat)
        for start, mat in ((dt.date(2026, 1, 1), None), (dt.date(2026, 2, 1), dt.date(2027, 1, 1)),
                           (dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    ])
    factories.rows(engine, models.Contact, *[
        dict(customer_id="D1", staff_id="M1", contacted_at=at, channel="phone")
        for at in (dt.datetime(2026, 11, 1), dt.datetime(2026, 6, 1), dt.datetime(2025, 12, 1),
                   dt.datetime(2025, 11, 1))
    ])
    return engine


def test_retention_by_tier_with_known_losses(fixture, ctx):
    doc = retention_report(ctx("H1"), from_month="2025-10", to_month="2026-10")
    assert doc["basis"] == "screening"
    assert doc["by_tier"]["diamond"] == {"start": 2, "retained": 1, "downgraded": 1, "lost": 0, "rate": 0.5}
    assert doc["by_tier"]["platinum"] == {"start": 2, "retained": 1, "downgraded": 0, "lost": 1, "rate": 0.5}
    assert doc["by_tier"]["gold"] == {"start": 3, "retained": 2, "downgraded": 1, "lost": 0, "rate": 0.6667}
    assert doc["total"] == {"start": 7, "retained": 4, "downgraded": 2, "lost": 1, "rate": 0.5714}


def test_lost_and_downgraded_customers_and_assets_lost(fixture, ctx):
    doc = retention_report(ctx("H1"), from_month="2025-10", to_month="2026-10")
    assert [(r["customer_id"], r["from_tier"], r["to_tier"]) for r in doc["lost"]] == [
        ("P1", "platinum", None)]
    assert [(r["customer_id"], r["to_tier"], r["assets_drop"]) for r in doc["downgraded"]] == [
        ("D2", "platinum", "4500000.00"), ("G2", None, "0.00")]
    # D2 fell 4,500,000 and P1 2,000,000; G2's assets rose
    assert doc["assets_lost"] == "6500000.00"


def test_other_outlets_customers_are_not_counted(fixture, ctx):
    doc = retention_report(ctx("H2"), from_month="2025-10", to_month="2026-10")
    assert doc["by_tier"]["diamond"]["lost"] == 1 and doc["total"]["start"] == 1


def test_default_period_is_the_year_before_the_latest_screening(fixture, ctx):
    doc = retention_report(ctx("H1"))
    assert (doc["from"], doc["to"]) == ("2025-10", "2026-10")


def test_contribution_and_loyalty_per_customer(fixture, ctx):
    doc = retention_report(ctx("H1"), from_month="2025-10", to_month="2026-10")
    d1 = next(c for c in doc["customers"] if c["customer_id"] == "D1")
    # share of the outlet's ADB12 (6M of 10M); 2 current holdings of 1 product; 3 contacts / 12
    assert d1 == {"customer_id": "D1", "name": "歐陽明", "tier": "diamond", "adb12": "6000000.00",
                  "adb12_share": 0.6, "holdings": 2, "products": 1, "tenure_months": 72,
                  "contacts_per_month": 0.3}
    ids = [c["customer_id"] for c in doc["customers"]]
    assert ids[:2] == ["D1", "P2"]  # largest contribution first
    assert "P1" not in ids and "G2" not in ids  # lost, or no longer signed


def test_period_is_validated(fixture, ctx):
    with pytest.raises(InvalidInput):
        retention_report(ctx("H1"), from_month="2026-10", to_month="2025-10")
    with pytest.raises(InvalidInput):
        retention_report(ctx("H1"), from_month="2026-13")


def test_no_screening_yet_is_a_precondition(engine, ctx):
    factories.org(engine)
    with pytest.raises(PreconditionFailed):
        retention_report(ctx("H1"))


def test_without_a_screening_of_the_start_month_the_history_rebuilds_the_start(fixture, ctx, engine):
    from sqlalchemy import delete, update

    with engine.begin() as conn:
        conn.execute(delete(models.ScreeningResult).where(models.ScreeningResult.month == "2025-10"))
        # N1 was signed during the period: not in the cohort
        conn.execute(update(models.Customer).where(models.Customer.customer_id == "N1")
                     .values(tier_since=dt.date(2026, 3, 1)))
    doc = retention_report(ctx("H1"), from_month="2025-10", to_month="2026-10")
    assert doc["basis"] == "history"
    assert doc["total"] == {"start": 7, "retained": 4, "downgraded": 2, "lost": 1, "rate": 0.5714}
    assert doc["assets_lost"] == "6500000.00"
