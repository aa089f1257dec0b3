"""§11 the one-page profile: contents, masking, reveal permission and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models
from vipcli.errors import PermissionDenied
from vipcli.services.routine.profile import show

NOW = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", name="歐陽明", signed_tier="platinum", qualified_tier="platinum",
                       tier_since=dt.date(2024, 3, 1), adb12_fen=150_000_000, screened_month="2026-10",
                       manager_id="M1", advisor_id="A1", status="signed", orientation="value")
    factories.assets(engine, "C1", {"2025-11": "1000000.00", "2026-10": "2000000.00"})
    factories.rows(engine, models.Product, dict(product_code="F1", name="穩健理財1號", category="wealth",
                                           risk_rating=2, series="WM", level=1))
    factories.rows(engine, models.Holding, dict(customer_id="C1", product_code="F1",
                                           start_date=dt.date(2026, 6, 1), amount_fen=50_000_000,
                                           maturity_date=dt.date(2026, 12, 1)))
    factories.rows(engine, models.RiskAssessment, dict(customer_id="C1", level=3,
                                                  assessed_on=dt.date(2025, 12, 1),
                                                  valid_until=dt.date(2026, 12, 1),
                                                  recorded_at=NOW))
    factories.rows(engine, models.Contact, dict(id=1, customer_id="C1", staff_id="M1", contacted_at=NOW,
                                           channel="meeting", summary="談理財到期"))
    factories.rows(engine, models.CommunicationReport, dict(contact_id=1, next_plan="續作",
                                                       next_date=dt.date(2026, 11, 30)))
    factories.rows(engine, models.Opportunity,
                   dict(customer_id="C1", owner_id="M1", product_code="F1", stage="proposal",
                        expected_amount_fen=30_000_000, opened_at=NOW))
    factories.rows(engine, models.Opportunity,
                   dict(customer_id="C1", owner_id="M1", product_code="F1", stage="won",
                        won_amount_fen=10_000_000, opened_at=NOW, closed_at=NOW))
    return engine


def test_profile_holds_every_part_of_the_page(book, ctx):
    doc = show(ctx("M1"), "C1")
    assert doc["tier"] == {"signed": "platinum", "qualified": "platinum", "since": dt.date(2024, 3, 1)}
    assert doc["adb12"] == "1500000.00"
    assert [x["month"] for x in doc["months"]][0::11] == ["2025-11", "2026-10"]
    assert doc["months"][-1]["avg_daily"] == "2000000.00"
    assert doc["months"][1]["avg_daily"] == "0.00"  # §1: a missing month counts as zero
    assert doc["manager"]["staff_id"] == "M1" and doc["advisor"]["staff_id"] == "A1"
    assert doc["risk"]["level"] == 3 and doc["risk"]["valid"] is True
    assert doc["holdings"][0]["maturity_date"] == dt.date(2026, 12, 1)
    assert doc["holdings"][0]["days_to_maturity"] == 4
    assert doc["contacts"][0]["report"]["next_plan"] == "續作"
    assert [o["stage"] for o in doc["opportunities"]] == ["proposal"]  # only open ones
    assert doc["maintenance"].startswith("after-sales follow-up")  # §4, in the screen's language
    assert isinstance(doc["due"], list) and isinstance(doc["ideas"], list)


def test_identity_is_masked_by_default(book, ctx):
    doc = show(ctx("M1"), "C1")
    assert doc["phone"] == "138****5678"
    assert doc["id_number"] == "110***********0011"
    assert doc["revealed"] is False


def test_expired_risk_assessment_is_shown_as_not_valid(book, ctx, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-12-02")
    assert show(ctx("M1"), "C1")["risk"]["valid"] is False


def test_own_manager_may_reveal_and_it_is_audited(book, ctx, engine):
    doc = show(ctx("M1"), "C1", reveal=True)
    assert doc["phone"] == "13812345678" and doc["id_number"] == "110101197006150011"
    with engine.connect() as conn:
        rows = conn.execute(select(models.AuditLog.actor_id, models.AuditLog.action, models.AuditLog.customer_id)).all()
    assert ("M1", "reveal", "C1") in rows


def test_branch_head_may_reveal(book, ctx):
    assert show(ctx("H1"), "C1", reveal=True)["phone"] == "13812345678"


def test_advisor_sees_but_may_not_reveal(book, ctx, engine):
    assert show(ctx("A1"), "C1")["phone"] == "138****5678"
    with pytest.raises(PermissionDenied):
        show(ctx("A1"), "C1", reveal=True)
    with engine.connect() as conn:
        assert conn.execute(select(models.AuditLog).where(models.AuditLog.action == "reveal")).first() is None


def test_other_manager_and_other_outlet_may_not_see(book, ctx):
    for staff in ("M2", "H2"):
        with pytest.raises(PermissionDenied):
            show(ctx(staff), "C1")
