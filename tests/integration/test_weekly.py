"""`vip report weekly` and targets (§7) on a hand-checked fixture, both engines.

Week 2026-W48 runs Monday 2026-11-23 to Sunday 2026-11-29; today is Friday 2026-11-27.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, PermissionDenied
from vipcli.services.sales import targets, weekly

D = dt.datetime


def opp(id_, cid, owner, opened, stage, expected, *, won=None, closed=None, next_date=None,
        kind=None):
    return dict(id=id_, customer_id=cid, owner_id=owner, stage=stage, opened_at=opened,
                expected_amount_fen=expected * 100, won_amount_fen=won and won * 100,
                closed_at=closed, next_date=next_date, idea_kind=kind,
                lost_reason="rate" if stage == "lost" else None)


def stage(id_, oid, frm, to, at):
    return dict(id=id_, opportunity_id=oid, from_stage=frm, to_stage=to, at=at, by_staff_id="M1")


def contact(id_, cid, staff, at):
    return dict(id=id_, customer_id=cid, staff_id=staff, contacted_at=at, channel="phone")


@pytest.fixture
def week48(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    for cid in ("C1", "C2", "C3", "C4"):
        factories.customer(engine, cid, manager_id="M1")
    factories.customer(engine, "C5", manager_id="M1", status="signed", signed_tier="gold",
                       tier_since=dt.date(2026, 11, 24))
    factories.customer(engine, "C8", manager_id="M1", status="signed", signed_tier="gold",
                       tier_since=dt.date(2026, 11, 20))  # signed the week before
    for cid in ("C6", "C7"):
        factories.customer(engine, cid, manager_id="M2")
    factories.customer(engine, "C9", manager_id="M4", branch_id="O002")
    factories.rows(engine, models.Opportunity,
                   opp(1, "C1", "M1", D(2026, 11, 23, 10), "won", 100000, won=120000,
                       closed=D(2026, 11, 25, 15), kind="cross"),
                   opp(2, "C2", "M1", D(2026, 11, 24, 9), "lost", 50000, closed=D(2026, 11, 26, 9),
                       kind="cross"),
                   opp(3, "C3", "M1", D(2026, 11, 10, 9), "proposal", 30000,
                       next_date=dt.date(2026, 11, 26), kind="up"),
                   opp(4, "C6", "M2", D(2026, 11, 25, 9), "contacted", 20000,
                       next_date=dt.date(2026, 11, 28)),
                   opp(5, "C7", "M2", D(2026, 11, 16, 9), "won", 10000, won=10000,
                       closed=D(2026, 11, 20, 9)),
                   opp(6, "C9", "M4", D(2026, 11, 24, 9), "lead", 99999))
    factories.rows(engine, models.OpportunityStage,
                   stage(1, 3, "lead", "contacted", D(2026, 11, 12, 9)),
                   stage(2, 3, "contacted", "proposal", D(2026, 11, 24, 11)),
                   stage(3, 4, "lead", "contacted", D(2026, 11, 25, 10)),
                   stage(4, 4, None, "lead", D(2026, 11, 25, 9)))
    factories.rows(engine, models.Contact,
                   contact(1, "C1", "M1", D(2026, 11, 23, 9)),
                   contact(2, "C1", "M1", D(2026, 11, 26, 9)),
                   contact(3, "C2", "M1", D(2026, 11, 24, 9)),
                   contact(4, "C3", "M1", D(2026, 11, 29, 20)),
                   contact(5, "C4", "M1", D(2026, 11, 22, 23)),
                   contact(6, "C6", "M2", D(2026, 11, 25, 9)),
                   contact(7, "C7", "M2", D(2026, 11, 27, 9)),
                   contact(8, "C1", "H1", D(2026, 11, 27, 10)),
                   contact(9, "C9", "M4", D(2026, 11, 27, 10)))
    factories.rows(engine, models.CommunicationReport,
                   dict(contact_id=3, next_plan="call back", next_date=dt.date(2026, 11, 25)),
                   dict(contact_id=2, next_plan="visit", next_date=dt.date(2026, 11, 30)))
    return engine


def set_w48_targets(ctx):
    head = ctx("H1")
    targets.set_targets(head, staff_id=None, week="2026-W48", month=None,
                        values={"contacts": 20, "signings": None, "opps_won": None,
                                "won_amount": None})
    targets.set_targets(head, staff_id=None, week=None, month="2026-11",
                        values={"won_amount": 300000_00})
    targets.set_targets(head, staff_id="M1", week="2026-W48", month=None, values={"opps_won": 2})


def test_manager_figures_for_the_week(week48, ctx):
    doc = weekly.weekly_report(ctx("H1"), week="2026-W48")
    assert (doc["from"], doc["to"]) == ("2026-11-23", "2026-11-29")
    rows = {r["staff_id"]: r for r in doc["managers"]}
    assert list(rows) == ["H1", "M1", "M2", "M3"]
    m1 = rows["M1"]
    assert (m1["opened"], m1["opened_amount"], m1["advanced"]) == (2, "150000.00", 1)
    assert (m1["won"], m1["won_amount"], m1["lost"], m1["lost_amount"]) == (1, "120000.00", 1, "50000.00")
    assert (m1["contacts"], m1["contact_rule"], m1["contact_rule_met"]) == (3, 10, False)
    assert m1["signings"] == 1
    assert (m1["overdue_opportunities"], m1["overdue_reports"], m1["overdue_followups"]) == (1, 1, 2)
    m2 = rows["M2"]
    assert (m2["opened"], m2["opened_amount"], m2["advanced"], m2["won"], m2["contacts"]) == (
        1, "20000.00", 1, 0, 2)
    assert m2["overdue_followups"] == 0  # next date 11-28 is after today
    assert rows["M3"]["opened"] == 0 and rows["H1"]["contacts"] == 1
    assert rows["H1"]["contact_rule"] is None  # the weekly rule binds account managers


def test_outlet_totals_against_targets(week48, ctx):
    set_w48_targets(ctx)
    doc = weekly.weekly_report(ctx("H1"), week="2026-W48")
    out = doc["outlet"]
    assert (out["opened"], out["opened_amount"], out["advanced"]) == (3, "170000.00", 2)
    assert (out["won"], out["won_amount"], out["lost"], out["lost_amount"]) == (1, "120000.00", 1, "50000.00")
    assert (out["contacts"], out["signings"], out["overdue_followups"]) == (5, 1, 2)
    assert out["targets"]["contacts"] == {"target": 20, "actual": 5, "basis": "week", "met": False}
    # 300,000.00 for November × 7/30 days = 70,000.00
    assert out["targets"]["won_amount"] == {"target": "70000.00", "actual": "120000.00",
                                            "basis": "month pro rata", "met": True}
    m1 = {r["staff_id"]: r for r in doc["managers"]}["M1"]
    assert m1["targets"] == {"opps_won": {"target": 2, "actual": 1, "basis": "week", "met": False}}


def test_conversion_by_idea_kind(week48, ctx):
    conv = {c["kind"]: c for c in weekly.weekly_report(ctx("H1"), week="2026-W48")["conversion_by_kind"]}
    assert list(conv) == ["cross", "up", "none"]
    assert (conv["cross"]["opened"], conv["cross"]["won"], conv["cross"]["lost"]) == (2, 1, 1)
    assert conv["cross"]["conversion"] == 0.5 and conv["cross"]["won_amount"] == "120000.00"
    assert (conv["up"]["open"], conv["none"]["opened"], conv["none"]["won"]) == (1, 2, 1)


def test_manager_sees_only_itself(week48, ctx):
    doc = weekly.weekly_report(ctx("M1"), week="2026-W48")
    assert [r["staff_id"] for r in doc["managers"]] == ["M1"]
    assert doc["outlet"] is None
    assert {c["kind"] for c in doc["conversion_by_kind"]} == {"cross", "up"}


def test_earlier_week_counts_only_its_own_events(week48, ctx):
    doc = weekly.weekly_report(ctx("H1"), week="2026-W47")
    rows = {r["staff_id"]: r for r in doc["managers"]}
    assert (rows["M2"]["won"], rows["M2"]["won_amount"], rows["M2"]["opened"]) == (1, "10000.00", 1)
    assert rows["M1"]["contacts"] == 1  # C4 late on Sunday 11-22 belongs to W47
    assert rows["M1"]["signings"] == 1  # C8 signed on 11-20
    assert rows["M1"]["overdue_followups"] == 0  # nothing was due before 2026-11-23


def test_default_week_is_this_week(week48, ctx):
    assert weekly.weekly_report(ctx("H1"))["week"] == "2026-W48"


def test_target_set_needs_branch_head_and_one_period(week48, ctx):
    with pytest.raises(PermissionDenied):
        targets.set_targets(ctx("M1"), staff_id=None, week="2026-W48", month=None,
                            values={"contacts": 1})
    with pytest.raises(InvalidInput):
        targets.set_targets(ctx("H1"), staff_id=None, week="2026-W48", month="2026-11",
                            values={"contacts": 1})
    with pytest.raises(InvalidInput):
        targets.set_targets(ctx("H1"), staff_id=None, week="2026-W54", month=None,
                            values={"contacts": 1})


def test_target_set_replaces_previous_value(week48, ctx):
    set_w48_targets(ctx)
    targets.set_targets(ctx("H1"), staff_id=None, week="2026-W48", month=None,
                        values={"contacts": 25})
    listed = [t for t in targets.list_targets(ctx("H1"), period="2026-W48") if t["staff_id"] is None]
    assert [(t["metric"], t["value"]) for t in listed] == [("contacts", 25)]
    assert [t["staff_id"] for t in targets.list_targets(ctx("M2"))] == [None, None]
