"""Opportunities (§7): opening, forward-only moves, closing, history, visibility, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.services.sales import opportunities as opps


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.rows(engine, models.Product,
                   dict(product_code="P_LC4", name="理財產品(進取型)", category="wealth", risk_rating=4),
                   dict(product_code="P_WSYH", name="網上銀行", category="e_banking", risk_rating=None))
    factories.customer(engine, "C1", manager_id="M1")
    factories.customer(engine, "C2", manager_id="M2")
    return engine


def open_one(ctx, actor="M1", cid="C1", **kw):
    c = ctx(actor)
    with c.session() as s:
        return opps.open_opportunity(s, c.actor(), cid, **kw).id


def move(ctx, oid, stage, actor="M1", **kw):
    c = ctx(actor)
    with c.session() as s:
        return opps.move_opportunity(s, c.actor(), oid, stage, disclose_from=3, **kw).stage


def test_open_records_owner_history_and_audit(book, ctx):
    oid = open_one(ctx, product_code="P_WSYH", expected_amount_fen=5_000_00, idea_kind="cross")
    with book.connect() as conn:
        opp = conn.execute(select(models.Opportunity)).one()
        hist = conn.execute(select(models.OpportunityStage.from_stage, models.OpportunityStage.to_stage)).all()
        audited = conn.execute(select(models.AuditLog.action, models.AuditLog.customer_id)).all()
    assert (opp.id, opp.owner_id, opp.stage, opp.idea_kind) == (oid, "M1", "lead", "cross")
    assert hist == [(None, "lead")]
    assert audited == [("opportunity_open", "C1")]


def test_branch_head_owns_what_it_opens(book, ctx):
    oid = open_one(ctx, actor="H1", cid="C2")
    assert opps.detail(ctx("H1"), oid)["owner_id"] == "H1"


def test_cannot_open_for_invisible_customer(book, ctx):
    with pytest.raises(PermissionDenied):
        open_one(ctx, actor="M1", cid="C2")


def test_unknown_product_refused(book, ctx):
    with pytest.raises(NotFound):
        open_one(ctx, product_code="NOPE")


def test_forward_moves_and_skipping_allowed(book, ctx):
    oid = open_one(ctx)
    assert move(ctx, oid, "contacted") == "contacted"
    assert move(ctx, oid, "proposal") == "proposal"
    hist = opps.detail(ctx("M1"), oid)["history"]
    assert [(h["from"], h["to"]) for h in hist] == [(None, "lead"), ("lead", "contacted"),
                                                   ("contacted", "proposal")]


def test_backward_move_refused(book, ctx):
    oid = open_one(ctx, stage="proposal")
    with pytest.raises(RuleViolation, match="only move forward"):
        move(ctx, oid, "contacted")


def test_same_stage_without_changes_refused(book, ctx):
    oid = open_one(ctx)
    with pytest.raises(InvalidInput, match="already at Lead"):
        move(ctx, oid, "lead")


def test_closed_opportunity_cannot_move(book, ctx):
    oid = open_one(ctx)
    move(ctx, oid, "won")
    with pytest.raises(RuleViolation, match="already closed"):
        move(ctx, oid, "lost", lost_reason="changed mind")


def test_lost_needs_a_reason(book, ctx):
    oid = open_one(ctx)
    with pytest.raises(InvalidInput, match="needs a reason"):
        move(ctx, oid, "lost")
    with pytest.raises(InvalidInput):
        move(ctx, oid, "lost", lost_reason="   ")
    assert move(ctx, oid, "lost", lost_reason="rate too low") == "lost"
    doc = opps.detail(ctx("M1"), oid)
    assert doc["lost_reason"] == "rate too low" and doc["closed_at"] is not None


def test_won_amount_defaults_to_expected(book, ctx):
    oid = open_one(ctx, expected_amount_fen=200_000_00, next_date=dt.date(2026, 12, 1))
    move(ctx, oid, "won")
    doc = opps.detail(ctx("M1"), oid)
    assert doc["won_amount"] == "200000.00" and doc["next_date"] is None


def test_won_refused_for_unsuitable_product(book, ctx):
    factories.rows(book, models.RiskAssessment, dict(
        customer_id="C1", level=3, assessed_on=dt.date(2026, 6, 1), valid_until=dt.date(2027, 6, 1),
        recorded_at=dt.datetime(2026, 6, 1)))
    oid = open_one(ctx, product_code="P_LC4")
    with pytest.raises(RuleViolation, match="PR4 exceeds assessed level 3"):
        move(ctx, oid, "won")


def test_other_manager_cannot_move(book, ctx):
    oid = open_one(ctx)
    with pytest.raises(PermissionDenied):
        move(ctx, oid, "contacted", actor="M2")
    assert move(ctx, oid, "contacted", actor="H1") == "contacted"


def test_next_date_in_the_past_refused_by_the_command(book, ctx):
    with pytest.raises(InvalidInput, match="in the past"):
        opps.add(ctx("M1"), "C1", next_date=dt.date(2026, 11, 26))


def test_list_scopes_manager_and_outlet(book, ctx):
    open_one(ctx)
    open_one(ctx, actor="M2", cid="C2")
    assert [r["customer_id"] for r in opps.list_opportunities(ctx("M1"))] == ["C1"]
    assert len(opps.list_opportunities(ctx("H1"), outlet=True)) == 2
    assert [r["owner_id"] for r in opps.list_opportunities(ctx("H1"), staff_id="M2")] == ["M2"]
    with pytest.raises(PermissionDenied):
        opps.list_opportunities(ctx("M1"), outlet=True)
    with pytest.raises(PermissionDenied):
        opps.list_opportunities(ctx("M1"), staff_id="M2")


def test_list_open_only(book, ctx):
    a = open_one(ctx)
    open_one(ctx)
    move(ctx, a, "lost", lost_reason="no")
    assert len(opps.list_opportunities(ctx("M1"), open_only=True)) == 1
    assert len(opps.list_opportunities(ctx("M1"), stage="lost")) == 1
    with book.connect() as conn:
        assert conn.execute(select(func.count()).select_from(models.OpportunityStage)).scalar_one() == 3


def test_advisor_opens_for_the_customers_manager(book, ctx):
    factories.customer(book, "C3", manager_id="M1", advisor_id="A1")
    oid = open_one(ctx, actor="A1", cid="C3")
    assert opps.detail(ctx("A1"), oid)["owner_id"] == "M1"
