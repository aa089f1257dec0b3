"""Risk disclosure (风险披露, §18): winning a product rated PR3 or above needs the disclosure;
the sale keeps the product's rating and the customer's level of that day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, RuleViolation
from vipcli.services.sales import opportunities as opps


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.rows(engine, models.Product, *[
        dict(product_code=c, name=c, category=cat, risk_rating=r) for c, cat, r in [
            ("P_LC2", "wealth", 2), ("P_JJB", "fund", 3), ("P_GPJJ", "fund", 4),
            ("P_WSYH", "e_banking", None)]])
    factories.customer(engine, "C1", manager_id="M1")
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id="C1", level=3, assessed_on=dt.date(2026, 6, 1), valid_until=dt.date(2027, 6, 1),
        recorded_at=dt.datetime(2026, 6, 1)))
    return engine


def opened(ctx, product):
    c = ctx("M1")
    with c.session() as s:
        return opps.open_opportunity(s, c.actor(), "C1", product_code=product).id


def stored(engine, oid):
    with engine.connect() as conn:
        return conn.execute(select(models.Opportunity).where(models.Opportunity.id == oid)).one()


def test_winning_a_pr3_product_without_disclosure_is_refused(book, ctx):
    oid = opened(ctx, "P_JJB")
    with pytest.raises(RuleViolation, match="risk disclosure is needed.*--won --disclosed"):
        opps.close(ctx("M1"), oid, won=True)
    row = stored(book, oid)
    assert (row.stage, row.disclosed_at, row.sale_product_rating) == ("lead", None, None)


def test_winning_with_disclosure_records_it_with_rating_and_level(book, ctx):
    oid = opened(ctx, "P_JJB")
    doc = opps.close(ctx("M1"), oid, won=True, disclosed=True)
    assert doc["stage"] == "won" and doc["disclosed_at"] is not None
    assert (doc["sale_product_rating"], doc["sale_risk_level"]) == (3, 3)
    row = stored(book, oid)
    assert (row.sale_product_rating, row.sale_risk_level) == (3, 3) and row.disclosed_at
    with book.connect() as conn:
        detail = conn.execute(select(models.AuditLog.detail).where(
            models.AuditLog.action == "opportunity_move")).scalar_one()
    assert '"disclosed": true' in detail and '"product_rating": 3' in detail


def test_below_pr3_needs_no_disclosure_but_keeps_rating_and_level(book, ctx):
    oid = opened(ctx, "P_LC2")
    doc = opps.close(ctx("M1"), oid, won=True)
    assert (doc["disclosed_at"], doc["sale_product_rating"], doc["sale_risk_level"]) == (None, 2, 3)


def test_unsuitable_product_is_refused_even_with_disclosure(book, ctx):
    oid = opened(ctx, "P_GPJJ")
    with pytest.raises(RuleViolation, match="PR4 exceeds assessed level 3"):
        opps.close(ctx("M1"), oid, won=True, disclosed=True)


def test_disclosed_goes_with_won_only(book, ctx):
    oid = opened(ctx, "P_JJB")
    with pytest.raises(InvalidInput, match="goes with --won"):
        opps.close(ctx("M1"), oid, won=False, lost_reason="no", disclosed=True)


def test_a_stage_move_to_won_elsewhere_is_refused_too(book, ctx):
    """log-contact --stage won uses the same move: no way round the disclosure."""
    oid = opened(ctx, "P_JJB")
    c = ctx("M1")
    with c.session() as s, pytest.raises(RuleViolation, match="risk disclosure"):
        opps.move_opportunity(s, c.actor(), oid, "won", disclose_from=3)


def test_list_and_show_carry_the_disclosure(book, ctx, vip):
    oid = opened(ctx, "P_JJB")
    refused = vip("--as", "M1", "opp", "close", str(oid), "--won")
    assert refused.code == 1 and "risk disclosure is needed" in refused.err
    assert vip("--as", "M1", "opp", "close", str(oid), "--won", "--disclosed").code == 0
    (row,) = vip("--as", "M1", "opp", "list", "--json").json()
    assert row["disclosed_at"] and (row["sale_product_rating"], row["sale_risk_level"]) == (3, 3)
    assert "Won (disclosed)" in vip("--as", "M1", "opp", "list").out
    shown = vip("--as", "M1", "opp", "show", str(oid))
    assert "product rated PR3, customer's risk level 3 Balanced; risk disclosed at" in shown.err


def test_the_rating_that_needs_disclosure_comes_from_the_rules_file(book, ctx, tmp_path):
    """[relationship] disclosure_from_rating: an outlet that asks it from PR4 sells PR3 plainly
    and still needs it for PR4."""
    from vipcli.config import load_rules

    path = tmp_path / "rules.toml"
    path.write_text("[relationship]\ndisclosure_from_rating = 4\n", encoding="utf-8")
    rules = load_rules(path)
    pr3 = opened(ctx, "P_JJB")
    doc = opps.close(ctx("M1", rules=rules), pr3, won=True)
    assert doc["stage"] == "won" and doc["disclosed_at"] is None
    assert doc["sale_product_rating"] == 3  # the sale keeps the rating all the same
    factories.rows(book, models.RiskAssessment, dict(
        customer_id="C1", level=4, assessed_on=dt.date(2026, 11, 2),
        valid_until=dt.date(2027, 11, 2), recorded_at=dt.datetime(2026, 11, 2)))
    pr4 = opened(ctx, "P_GPJJ")
    with pytest.raises(RuleViolation, match="rated PR4: the risk disclosure is needed"):
        opps.close(ctx("M1", rules=rules), pr4, won=True)
