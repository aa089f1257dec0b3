"""`assign`, plans and `handover` on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from tests import factories
from vipcli.db.models import AssignmentHistory, AuditLog, Customer, Staff
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation, StalePlan
from vipcli.services.allocation.assignment import apply_plan, assign, handover, save_plan

TODAY = "2026-11-27"
MILLION = 1_000_000 * 100  # fen


@pytest.fixture
def outlet(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)
    factories.org(engine)
    return engine


def vip(engine, customer_id, tier="gold", adb_fen=300_000 * 100, **fields):
    fields.setdefault("status", "potential")
    factories.customer(engine, customer_id, qualified_tier=tier, adb12_fen=adb_fen, **fields)


def holders(engine):
    with engine.connect() as conn:
        rows = conn.execute(select(Customer.customer_id, Customer.manager_id, Customer.advisor_id,
                                   Customer.assigned_on)).all()
    return {r.customer_id: (r.manager_id, r.advisor_id, r.assigned_on) for r in rows}


def history(engine):
    with engine.connect() as conn:
        return conn.execute(select(AssignmentHistory).order_by(AssignmentHistory.id)).all()


def audits(engine, action):
    with engine.connect() as conn:
        return conn.execute(select(AuditLog).where(AuditLog.action == action)).all()


def test_assign_sets_managers_first_contact_date_history_and_audit(outlet, ctx):
    vip(outlet, "C1", "diamond", 6 * MILLION)
    vip(outlet, "C2", "gold")
    doc = assign(ctx("H1"))
    book = holders(outlet)
    assert book["C1"][0] in ("H1", "M1", "M2", "M3") and book["C1"][1] == "A1"
    assert book["C2"][0] in ("M1", "M2", "M3") and book["C2"][1] is None
    assert book["C1"][2] == book["C2"][2] == dt.date.fromisoformat(TODAY)
    rows = history(outlet)
    assert {(r.customer_id, r.role, r.from_staff_id, r.by_staff_id) for r in rows} == {
        ("C1", "primary", None, "H1"), ("C1", "advisor", None, "H1"), ("C2", "primary", None, "H1")}
    assert sorted(a.customer_id for a in audits(outlet, "assign")) == ["C1", "C1", "C2"]
    assert len(audits(outlet, "assign_run")) == 1
    assert {a["role"] for a in doc["assignments"]} == {"primary", "advisor"}


def test_dry_run_writes_nothing(outlet, ctx):
    vip(outlet, "C1")
    doc = assign(ctx("H1"), dry_run=True)
    assert [a["customer_id"] for a in doc["assignments"]] == ["C1"]
    assert holders(outlet)["C1"] == (None, None, None)
    assert history(outlet) == [] and audits(outlet, "assign") == []


def test_declined_lost_and_non_vip_customers_are_not_allocated(outlet, ctx):
    vip(outlet, "C1", status="declined")
    vip(outlet, "C2", status="lost")
    factories.customer(outlet, "C3", status="prospect")
    assert assign(ctx("H1"))["assignments"] == []


def test_the_higher_of_signed_and_qualified_tier_decides(outlet, ctx):
    vip(outlet, "C1", "diamond", 6 * MILLION, signed_tier="gold", status="signed")
    vip(outlet, "C2", None, 0, signed_tier="platinum", status="signed")
    tiers = {a["customer_id"]: a["tier"] for a in assign(ctx("H1"))["assignments"]}
    assert tiers == {"C1": "diamond", "C2": "platinum"}


def test_customers_of_inactive_or_foreign_managers_are_reassigned_with_the_reason(outlet, ctx):
    vip(outlet, "C1", manager_id="MX")
    vip(outlet, "C2", manager_id="M4")  # M4 works at O002
    vip(outlet, "C3", branch_id="O002", manager_id="M4")
    assign(ctx("H1"))
    book = holders(outlet)
    assert book["C1"][0] in ("M1", "M2", "M3") and book["C2"][0] in ("M1", "M2", "M3")
    assert book["C3"][0] == "M4"  # another outlet's customer is never touched
    reasons = {r.customer_id: r.reason for r in history(outlet)}
    assert reasons == {"C1": "MX is inactive", "C2": "M4 is not staff of this outlet"}


def test_a_second_assign_changes_nothing(outlet, ctx):
    for i in range(40):
        vip(outlet, f"C{i:02}", ["diamond", "platinum", "gold"][i % 3], (i + 1) * MILLION)
    assign(ctx("H1"), rebalance=True)
    before = holders(outlet)
    assert assign(ctx("H1"), rebalance=True)["assignments"] == []
    assert holders(outlet) == before


def test_only_a_branch_head_assigns(outlet, ctx):
    with pytest.raises(PermissionDenied, match="Branch head"):
        assign(ctx("M1"))


def test_staffing_gap_is_in_the_document(outlet, ctx):
    for i in range(31):
        vip(outlet, f"D{i:02}", "diamond", 6 * MILLION)
    staffing = assign(ctx("H1"), dry_run=True)["staffing"]
    assert staffing["account_managers"] == {"required": 2, "available": 3, "capacity": "3.00",
                                            "understaffed": False}
    assert staffing["advisors"]["required"] == 1 and staffing["advisors"]["available"] == 1


def test_a_saved_plan_applies_exactly(outlet, ctx, tmp_path):
    vip(outlet, "C1")
    vip(outlet, "C2", "platinum", 2 * MILLION)
    plan = tmp_path / "plan.json"
    saved = save_plan(ctx("H1"), plan)
    assert holders(outlet)["C1"][0] is None  # saving writes nothing to the database
    apply_plan(ctx("H1"), plan)
    book = holders(outlet)
    expected = {(a["customer_id"], a["role"]): a["staff_id"] for a in saved["assignments"]}
    assert expected[("C1", "primary")] == book["C1"][0]
    assert expected[("C2", "advisor")] == book["C2"][1]
    assert len(history(outlet)) == len(expected)


def test_a_stale_plan_is_refused_and_nothing_is_written(outlet, ctx, tmp_path):
    vip(outlet, "C1")
    vip(outlet, "C2")
    plan = tmp_path / "plan.json"
    save_plan(ctx("H1"), plan)
    with outlet.begin() as conn:
        conn.execute(update(Customer).where(Customer.customer_id == "C2").values(manager_id="M3"))
    with pytest.raises(StalePlan, match="changed"):
        apply_plan(ctx("H1"), plan)
    assert holders(outlet)["C1"][0] is None and history(outlet) == []


def test_a_plan_goes_stale_when_staff_change(outlet, ctx, tmp_path):
    vip(outlet, "C1")
    plan = tmp_path / "plan.json"
    save_plan(ctx("H1"), plan)
    with outlet.begin() as conn:
        conn.execute(update(Staff).where(Staff.staff_id == "M2").values(active=False))
    with pytest.raises(StalePlan):
        apply_plan(ctx("H1"), plan)


def test_another_outlets_plan_is_refused(outlet, ctx, tmp_path):
    vip(outlet, "C1")
    plan = tmp_path / "plan.json"
    save_plan(ctx("H1"), plan)
    with pytest.raises(PermissionDenied, match="O001"):
        apply_plan(ctx("H2"), plan)


def test_an_edited_plan_that_crosses_outlets_is_refused(outlet, ctx, tmp_path):
    vip(outlet, "C1")
    plan = tmp_path / "plan.json"
    saved = save_plan(ctx("H1"), plan)
    saved["assignments"][0]["staff_id"] = "M4"
    plan.write_text(json.dumps(saved), encoding="utf-8")
    with pytest.raises(RuleViolation, match="M4"):
        apply_plan(ctx("H1"), plan)
    assert history(outlet) == []


def test_a_file_that_is_not_a_plan_is_refused(outlet, ctx, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a plan"):
        apply_plan(ctx("H1"), bad)


def test_handover_to_one_person_moves_the_whole_book(outlet, ctx):
    vip(outlet, "C1", "diamond", 6 * MILLION, manager_id="M3")
    vip(outlet, "C2", manager_id="M3")
    factories.customer(outlet, "C3", status="prospect", manager_id="M3")  # not yet a VIP
    vip(outlet, "C4", manager_id="M1")
    doc = handover(ctx("H1"), "M3", "M2")
    book = holders(outlet)
    assert [book[c][0] for c in ("C1", "C2", "C3", "C4")] == ["M2", "M2", "M2", "M1"]
    assert {r.reason for r in history(outlet)} == {"handover from M3"}
    assert {a["previous_staff_id"] for a in doc["assignments"]} == {"M3"}
    assert book["C1"][2] == dt.date.fromisoformat(TODAY)  # first contact for the new owner
    assert len(audits(outlet, "handover")) == 3


def test_handover_to_someone_ineligible_names_the_customers(outlet, ctx):
    vip(outlet, "C1", "platinum", 2 * MILLION, manager_id="M3")
    vip(outlet, "C2", "gold", 300_000 * 100, manager_id="M3")
    with pytest.raises(RuleViolation, match=r"C1 \(Account manager\)") as refused:
        handover(ctx("H1"), "M3", "L1")
    assert "C2" not in refused.value.message
    assert holders(outlet)["C1"][0] == "M3"


def test_balanced_handover_spreads_the_book_over_eligible_staff(outlet, ctx):
    for i in range(6):
        vip(outlet, f"C{i}", "platinum", 2 * MILLION, manager_id="M3")
    doc = handover(ctx("H1"), "M3")
    receivers = sorted(a["staff_id"] for a in doc["assignments"])
    assert receivers == ["M1", "M1", "M1", "M2", "M2", "M2"]


def test_an_advisors_book_goes_to_another_advisor_only(outlet, ctx):
    factories.rows(outlet, Staff, dict(staff_id="A2", name="新顧問", role="advisor",
                                       branch_id="O001", capacity=1, active=True))
    vip(outlet, "C1", "diamond", 6 * MILLION, manager_id="M1", advisor_id="A1")
    handover(ctx("H1"), "A1")
    assert holders(outlet)["C1"][:2] == ("M1", "A2")


def test_handover_never_crosses_outlets(outlet, ctx):
    with pytest.raises(PermissionDenied, match="O002"):
        handover(ctx("H1"), "M4")
    with pytest.raises(PermissionDenied, match="never crosses"):
        handover(ctx("H1"), "M3", "M4")
    with pytest.raises(NotFound):
        handover(ctx("H1"), "NOBODY")


def test_a_departed_managers_handover_says_handover(outlet, ctx):
    vip(outlet, "C1", manager_id="MX")
    doc = handover(ctx("H1"), "MX", "M1")
    assert [(a["previous_staff_id"], a["reason"]) for a in doc["assignments"]] == [
        ("MX", "handover from MX")]


def test_handover_dry_run_writes_nothing(outlet, ctx):
    vip(outlet, "C1", manager_id="M3")
    doc = handover(ctx("H1"), "M3", "M1", dry_run=True)
    assert doc["assignments"][0]["staff_id"] == "M1"
    assert holders(outlet)["C1"][0] == "M3" and history(outlet) == []
