"""`recommend_for` / `top_ideas` (§8, §15) on a real database, both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, PermissionDenied, RuleViolation
from vipcli.services.sales import recommend

TODAY = dt.date(2026, 11, 27)


def catalogue(engine) -> None:
    """A small product list and matching table: data, as `vip import` would load it."""
    products = [
        ("P_DQCK", "定期存款", "deposit", None, "deposit", 2),
        ("P_DECD", "大額存單", "deposit", None, "deposit", 3),
        ("P_JJB", "基金寶", "fund", 3, "fund", 2),
        ("P_GPJJ", "股票型基金", "fund", 4, "fund", 3),
        ("P_WSYH", "網上銀行", "e_banking", None, "e_banking", 1),
        ("P_PTXYK", "普通貸記卡", "card", None, "credit_card", 1),
        ("P_JKXYK", "金卡貸記卡", "card", None, "credit_card", 2),
        ("P_LC3", "理財產品(平衡型)", "wealth", 3, "wealth", 3),
    ]
    factories.rows(engine, models.Product, *[
        dict(product_code=c, name=n, category=cat, risk_rating=r, series=s, level=lv)
        for c, n, cat, r, s, lv in products
    ])
    factories.rows(engine, models.CrossSellRule,
                   dict(held="P_JJB", recommend="P_WSYH", kind="cross"),
                   dict(held="P_WSYH", recommend="P_JJB", kind="cross"),
                   dict(held="fund", recommend="P_LC3", kind="repeat"))


def hold(engine, cid, code, maturity=None):
    factories.rows(engine, models.Holding, dict(customer_id=cid, product_code=code,
                                           start_date=dt.date(2026, 1, 1), amount_fen=100_000_00,
                                           maturity_date=maturity))


def assess(engine, cid, level, valid_until=dt.date(2027, 6, 1), invalidated=None):
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id=cid, level=level, assessed_on=valid_until - dt.timedelta(days=365),
        valid_until=valid_until, recorded_at=dt.datetime(2026, 1, 1), invalidated_at=invalidated))


@pytest.fixture
def book(engine):
    factories.org(engine)
    catalogue(engine)
    factories.customer(engine, "C1", manager_id="M1", orientation="relationship")
    hold(engine, "C1", "P_JJB")
    return engine


def doc_for(engine, ctx, cid):
    with ctx().session() as s:
        return recommend.recommend_for(s, s.get(models.Customer, cid), TODAY, ctx().rules)


def test_cross_idea_reason_names_held_product(book, ctx):
    assess(book, "C1", 3)
    doc = doc_for(book, ctx, "C1")
    cross = [i for i in doc["ideas"] if i["product_code"] == "P_WSYH"][0]
    assert cross["kind"] == "cross"
    assert cross["reason"] == "holds 基金寶 P_JJB; matching table suggests 網上銀行 P_WSYH"
    assert (doc["risk_level"], doc["risk_valid_until"]) == (3, "2027-06-01")


def test_level_boundary_rating_equal_allowed_next_blocked(book, ctx):
    assess(book, "C1", 3)
    doc = doc_for(book, ctx, "C1")
    assert "P_LC3" in {i["product_code"] for i in doc["ideas"]}  # PR3 at level 3
    assert doc["blocked"] == [{"product_code": "P_GPJJ", "name": "股票型基金", "kind": "up",
                               "reason": "PR4 exceeds assessed level 3 Balanced"}]


def test_expired_assessment_blocks_every_rated_product(book, ctx):
    assess(book, "C1", 5, valid_until=dt.date(2026, 3, 1))
    doc = doc_for(book, ctx, "C1")
    assert doc["risk_level"] is None and doc["risk_valid_until"] is None
    assert {b["reason"] for b in doc["blocked"]} == {"risk assessment expired on 2026-03-01"}
    assert {b["product_code"] for b in doc["blocked"]} == {"P_GPJJ", "P_LC3"}
    assert [i["product_code"] for i in doc["ideas"]] == ["P_WSYH"]


def test_missing_assessment_blocks_with_reason(book, ctx):
    doc = doc_for(book, ctx, "C1")
    assert {b["reason"] for b in doc["blocked"]} == {"no risk assessment on file"}


def test_invalidated_assessment_is_not_valid(book, ctx):
    assess(book, "C1", 5, invalidated=dt.datetime(2026, 11, 1, 9))
    doc = doc_for(book, ctx, "C1")
    assert doc["risk_level"] is None
    assert "invalidated on 2026-11-01" in doc["blocked"][0]["reason"]


def test_held_product_not_suggested_again_as_cross(book, ctx):
    hold(book, "C1", "P_WSYH")
    assess(book, "C1", 3)
    codes = {i["product_code"] for i in doc_for(book, ctx, "C1")["ideas"]}
    assert "P_WSYH" not in codes and "P_JJB" not in codes


def test_maturing_holding_gives_repeat_first(book, ctx):
    hold(book, "C1", "P_DQCK", maturity=TODAY + dt.timedelta(days=3))
    assess(book, "C1", 3)
    first = doc_for(book, ctx, "C1")["ideas"][0]
    assert first["kind"] == "repeat" and "maturing on 2026-11-30" in first["reason"]


def test_up_idea_next_card_level(book, ctx):
    hold(book, "C1", "P_PTXYK")
    ideas = {i["product_code"]: i for i in doc_for(book, ctx, "C1")["ideas"]}
    assert ideas["P_JKXYK"]["kind"] == "up"
    assert "普通貸記卡 P_PTXYK" in ideas["P_JKXYK"]["reason"]


def test_portfolio_and_circle_prompts(book, ctx):
    factories.customer(book, "C2", manager_id="M1", orientation="value",
                       last_diagnosis_on=dt.date(2026, 1, 2))
    factories.customer(book, "C3", manager_id="M1", orientation="service")
    factories.rows(book, models.Activity, dict(id=1, branch_id="O001", kind="salon", title="沙龍",
                                          held_on=dt.date(2026, 11, 1),
                                          created_at=dt.datetime(2026, 10, 1)))
    factories.rows(book, models.Invitation, dict(activity_id=1, customer_id="C2",
                                            invited_at=dt.datetime(2026, 10, 2), attended=True))
    factories.rows(book, models.Referral, dict(referrer_id="C2", referred_id="C3",
                                          at=dt.datetime(2026, 11, 1)))
    kinds = [i["kind"] for i in doc_for(book, ctx, "C2")["ideas"]]
    assert kinds == ["portfolio", "circle"]
    assert doc_for(book, ctx, "C3")["ideas"] == []


def test_top_ideas_gives_best_suitable_idea_per_customer(book, ctx):
    factories.customer(book, "C2", manager_id="M1", orientation="service")  # no idea at all
    factories.customer(book, "C3", manager_id="M1", orientation="value")
    hold(book, "C3", "P_JJB", maturity=TODAY + dt.timedelta(days=2))
    assess(book, "C1", 3)
    with ctx().session() as s:
        top = recommend.top_ideas(s, ["C1", "C2", "C3"], TODAY, ctx().rules)
    assert set(top) == {"C1", "C3"}
    assert top["C1"]["kind"] == "cross" and top["C1"]["product_code"] == "P_WSYH"
    # C3 has no assessment: the maturing fund's rated repeat ideas are held back
    assert (top["C3"]["kind"], top["C3"]["product_code"]) == ("cross", "P_WSYH")


def test_accept_opens_opportunity_remembering_idea_kind(book, ctx, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY.isoformat())
    assess(book, "C1", 3)
    doc = recommend.recommend(ctx("M1"), "C1", accept="P_WSYH")
    assert doc["accepted"]["kind"] == "cross" and doc["accepted"]["owner_id"] == "M1"
    with book.connect() as conn:
        opp = conn.execute(select(models.Opportunity.product_code, models.Opportunity.idea_kind)).one()
    assert tuple(opp) == ("P_WSYH", "cross")


def test_accept_refuses_blocked_and_unknown_ideas(book, ctx, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY.isoformat())
    assess(book, "C1", 3)
    with pytest.raises(RuleViolation, match="PR4 exceeds"):
        recommend.recommend(ctx("M1"), "C1", accept="P_GPJJ")
    with pytest.raises(InvalidInput, match="not among the ideas"):
        recommend.recommend(ctx("M1"), "C1", accept="P_DECD")


def test_recommend_needs_a_visible_customer(book, ctx):
    with pytest.raises(PermissionDenied):
        recommend.recommend(ctx("M2"), "C1")
    assert recommend.recommend(ctx("H1"), "C1")["customer_id"] == "C1"
