"""Issue 15 item 3: the rules that read the handbook wrong, on both engines.

The current risk assessment is the one recorded last (§3); a branch head's own Gold request
goes one level up (§3); every Diamond walk-in goes to the branch head and the business card
is for strangers (§9); a card tier upgrade is an `up` idea and a card below the qualified
tier is a deliberate choice (§3, §8); attendance only once an activity has happened and
running weeks are not missed (§5, §10).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from tests import factories
from vipcli.db import models
from vipcli.errors import NotFound, PermissionDenied, RuleViolation
from vipcli.services.contact.compliance import compliance
from vipcli.services.lifecycle.admission import admit, approvals, approve
from vipcli.services.lifecycle.risk import record_risk, show_risk, valid_risk_assessment
from vipcli.services.lifecycle.signing import sign
from vipcli.services.routine import activities as act
from vipcli.services.routine.lobby import lobby
from vipcli.services.sales import opportunities as opps
from vipcli.services.sales import recommend

TODAY = dt.date(2026, 11, 27)  # a Friday: ISO week 2026-W48 runs Nov 23–29


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY.isoformat())
    factories.org(engine)
    factories.rows(engine, models.Product,
                   dict(product_code="P_JJB", name="基金宝", category="fund", risk_rating=3,
                        series="fund", level=2),
                   dict(product_code="P_GPJJ", name="股票型基金", category="fund", risk_rating=4,
                        series="fund", level=3),
                   dict(product_code="P_WSYH", name="网上银行", category="e_banking",
                        risk_rating=None, series=None, level=None))
    factories.rows(engine, models.CrossSellRule,
                   dict(held="P_JJB", recommend="P_WSYH", kind="cross"))
    factories.customer(engine, "C1", manager_id="M1", orientation="relationship")
    factories.rows(engine, models.Holding, dict(customer_id="C1", product_code="P_JJB",
                                                start_date=dt.date(2026, 1, 1),
                                                amount_fen=100_000_00))
    return engine


def assessed(engine, level, on=TODAY, days=365, cid="C1"):
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id=cid, level=level, assessed_on=on, valid_until=on + dt.timedelta(days=days),
        recorded_by="M1", recorded_at=dt.datetime.combine(on, dt.time(9))))


def recommended(engine, ctx, cid="C1"):
    with ctx().session() as s:
        return recommend.recommend_for(s, s.get(models.Customer, cid), TODAY, ctx().rules)


# Suitability: the assessment recorded last is the current one (§3, §8) ----------------------

def test_a_same_day_reassessment_4_to_1_is_no_longer_offered_a_pr4_fund(book, ctx):
    assessed(book, 4)
    assessed(book, 1)  # the same day, recorded after: it replaces level 4
    doc = recommended(book, ctx)
    assert doc["risk_level"] == 1
    offered = {i["product_code"] for i in doc["ideas"]}
    assert "P_GPJJ" not in offered and "P_JJB" not in offered
    assert {b["product_code"] for b in doc["blocked"]} >= {"P_GPJJ"}


def test_a_same_day_reassessment_1_to_4_is_offered_a_pr4_fund(book, ctx):
    assessed(book, 1)
    assessed(book, 4)
    doc = recommended(book, ctx)
    assert doc["risk_level"] == 4
    assert "P_GPJJ" in {i["product_code"] for i in doc["ideas"]}


def test_a_same_day_reassessment_4_to_1_cannot_be_sold_a_pr4_fund(book, ctx):
    assessed(book, 4)
    assessed(book, 1)
    c = ctx("M1")
    with c.session() as s:
        oid = opps.open_opportunity(s, c.actor(), "C1", product_code="P_GPJJ").id
    with c.session() as s, pytest.raises(RuleViolation, match="PR4 exceeds assessed level 1"):
        opps.move_opportunity(s, c.actor(), oid, "won", disclose_from=3)


def test_record_risk_twice_on_one_day_keeps_the_second(book, ctx):
    record_risk(ctx("M1"), "C1", 4)
    doc = record_risk(ctx("M1"), "C1", 1)
    assert (doc["status"], doc["risk_level"]) == ("valid", 1)
    assert show_risk(ctx("M1"), "C1")["risk_level"] == 1
    factories.customer(book, "Q1", manager_id="M1", qualified_tier="gold", status="potential")
    record_risk(ctx("M1"), "Q1", 5)
    record_risk(ctx("M1"), "Q1", 2)
    assert sign(ctx("M1"), "Q1", "gold")["risk_level"] == 2


def test_an_expired_last_assessment_does_not_bring_back_an_earlier_one(book, ctx):
    # recorded under a longer validity, then re-assessed under a shorter one that has lapsed
    assessed(book, 5, on=dt.date(2026, 1, 5), days=730)
    assessed(book, 2, on=dt.date(2026, 2, 1), days=180)  # valid until 2026-07-31
    with Session(book) as s:
        assert valid_risk_assessment(s, "C1", TODAY) is None
        assert valid_risk_assessment(s, "C1", dt.date(2026, 7, 31)).level == 2
    doc = recommended(book, ctx)
    assert doc["risk_level"] is None
    assert "P_GPJJ" in {b["product_code"] for b in doc["blocked"]}


# A branch head's own Gold request goes one level up (§3) -----------------------------------

def test_a_branch_heads_own_gold_request_goes_to_the_second_level_approver(book, ctx):
    factories.customer(book, "G1", manager_id="M1")
    own = admit(ctx("H1"), "G1", "gold", "met at the lobby")
    assert "孫審批 AP2" in own["to_be_decided_by"]
    assert [i["id"] for i in approvals(ctx("AP2"))] == [own["id"]]
    assert approvals(ctx("H1")) == [] and approvals(ctx("H2")) == []
    with pytest.raises(PermissionDenied, match="own request"):
        approve(ctx("H1"), own["id"])
    with pytest.raises(PermissionDenied, match="second-level branch approver"):
        approve(ctx("H2"), own["id"])
    assert approve(ctx("AP2"), own["id"])["status"] == "approved"


def test_a_managers_gold_request_stays_with_the_branch_head(book, ctx):
    factories.customer(book, "G1", manager_id="M1")
    request = admit(ctx("M1"), "G1", "gold", "lobby lead")
    assert approvals(ctx("AP2")) == []
    assert [i["id"] for i in approvals(ctx("H1"))] == [request["id"]]
    with pytest.raises(PermissionDenied):
        approve(ctx("AP2"), request["id"])


# Lobby (§9) --------------------------------------------------------------------------------

def test_every_diamond_walk_in_goes_to_the_branch_head_even_with_its_own_manager(book, ctx):
    factories.customer(book, "D1", signed_tier="diamond", manager_id="M1")
    doc = lobby(ctx("L1"), "D1")
    assert doc["route_to"] == {"staff_id": "H1", "name": "王主任", "role": "branch_head"}
    factories.customer(book, "P1", signed_tier="platinum", manager_id="M2")
    assert lobby(ctx("L1"), "P1")["route_to"]["staff_id"] == "M2"  # Platinum: its own manager


def test_a_recognised_customer_is_not_handed_a_business_card(book, ctx):
    for cid, tier in (("D1", "diamond"), ("P1", "platinum")):
        factories.customer(book, cid, signed_tier=tier, manager_id="M1")
        service = lobby(ctx("L1"), cid)["service"]
        assert not any("business card" in item for item in service)
        assert len(service) == 4  # greeting, tea or coffee, manager, leaflet


def test_an_unknown_phone_says_not_a_customer_and_offers_lead_add(book, ctx):
    with pytest.raises(NotFound) as err:
        lobby(ctx("L1"), "13700000000")
    message = err.value.message
    assert "not the bank's customer" in message and "business card" in message
    assert "vip --as L1 lead add --phone 13700000000 --name NAME" in message  # §18


# Card upgrades (§3, §8) --------------------------------------------------------------------

def test_recommend_offers_the_card_upgrade_when_qualified_above_the_card(book, ctx):
    factories.customer(book, "U1", manager_id="M1", signed_tier="gold",
                       qualified_tier="platinum", status="signed")
    doc = recommended(book, ctx, "U1")
    up = [i for i in doc["ideas"] if i["kind"] == "up" and i["product_code"] is None]
    assert up == [{"rank": up[0]["rank"], "product_code": None, "name": "Upgrade to Platinum",
                   "kind": "up", "reason": "holds a Gold card but qualifies for Platinum: "
                                           "vip sign U1 --tier platinum"}]
    with ctx().session() as s:
        assert recommend.top_ideas(s, ["U1"], TODAY, ctx().rules)["U1"]["name"] == (
            "Upgrade to Platinum")


@pytest.mark.parametrize("card, qualified", [
    ("platinum", "platinum"), ("diamond", "platinum"), (None, "diamond")])
def test_no_card_upgrade_at_or_above_the_qualified_tier_nor_without_a_card(book, ctx, card,
                                                                           qualified):
    factories.customer(book, "U1", manager_id="M1", signed_tier=card, qualified_tier=qualified)
    assert not [i for i in recommended(book, ctx, "U1")["ideas"] if i["kind"] == "up"]


def test_signing_below_the_qualified_tier_needs_below_qualified(book, ctx):
    factories.customer(book, "Q1", manager_id="M1", qualified_tier="platinum", status="potential")
    assessed(book, 3, cid="Q1")
    with pytest.raises(RuleViolation) as err:
        sign(ctx("M1"), "Q1", "gold")
    assert err.value.message == ("customer Q1 qualifies for Platinum: vip sign Q1 --tier platinum; "
                                 "to issue Gold anyway, add --below-qualified")
    doc = sign(ctx("M1"), "Q1", "gold", below_qualified=True)
    assert (doc["signed_tier"], doc["qualified_tier"]) == ("gold", "platinum")
    assert sign(ctx("M1"), "Q1", "platinum")["signed_tier"] == "platinum"  # no flag needed


# Activities and compliance (§5, §10) ---------------------------------------------------------

@pytest.mark.parametrize("held_on, ok", [
    (TODAY - dt.timedelta(days=1), True), (TODAY, True), (TODAY + dt.timedelta(days=1), False)])
def test_attendance_only_once_the_activity_has_happened(book, ctx, held_on, ok):
    aid = act.add_activity(ctx("M1"), kind="salon", title="沙龙", held_on=held_on,
                           place=None)["id"]
    if ok:
        assert act.attend(ctx("M1"), aid, "C1")["attended"] is True
        return
    with pytest.raises(RuleViolation, match=f"held on {held_on.isoformat()}, after today"):
        act.attend(ctx("M1"), aid, "C1")
    assert act.list_activities(ctx("M1"))[0]["attended"] == 0


@pytest.mark.parametrize("today, w48_ended", [("2026-11-29", False), ("2026-11-30", True)])
def test_a_week_that_has_not_ended_is_not_missed(book, ctx, monkeypatch, today, w48_ended):
    monkeypatch.setenv("VIP_TODAY", today)
    m1 = next(m for m in compliance(ctx("H1"), "2026-11")["managers"] if m["staff_id"] == "M1")
    weeks = {w["week"]: w for w in m1["weeks"]}
    assert weeks["2026-W47"] == {"week": "2026-W47", "contacted": 0, "target": 10, "met": False,
                                 "ended": True}
    assert weeks["2026-W48"]["ended"] is w48_ended
    assert weeks["2026-W48"]["met"] is (False if w48_ended else None)
    assert weeks["2026-W49"] == {"week": "2026-W49", "contacted": 0, "target": 10, "met": None,
                                 "ended": False}
    assert m1["weeks_met"] == 0 and m1["weeks_ended"] == (5 if w48_ended else 4)
