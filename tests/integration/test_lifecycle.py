"""Signing, declining, special admission and risk assessment (SPEC §3), SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.services.core import standing
from vipcli.services.lifecycle.admission import admit, approvals, approve, reject
from vipcli.services.lifecycle.risk import (
    invalidate_risk,
    record_risk,
    show_risk,
    valid_risk_assessment,
)
from vipcli.services.lifecycle.signing import decline, sign

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def org(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY.isoformat())
    factories.org(engine)
    # C1: qualifies for Gold, managed by M1 at O001. C2: another outlet's customer.
    factories.customer(engine, "C1", name="歐陽明", gender="M", manager_id="M1", qualified_tier="gold",
               adb12_fen=15_000_000, status="potential")
    factories.customer(engine, "C2", name="周敏", gender="F", branch_id="O002", manager_id="M4")
    return engine


def assessed(engine, customer_id="C1", *, on=TODAY, days=365, invalidated=False, level=3):
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id=customer_id, level=level, assessed_on=on,
        valid_until=on + dt.timedelta(days=days), recorded_by="M1",
        recorded_at=dt.datetime.combine(on, dt.time(9)),
        invalidated_at=dt.datetime(2026, 11, 1, 9) if invalidated else None,
    ))


def customer(engine, customer_id="C1"):
    with engine.connect() as conn:
        return conn.execute(select(models.Customer).where(models.Customer.customer_id == customer_id)).one()


def actions(engine, action):
    with engine.connect() as conn:
        return conn.execute(select(models.AuditLog.customer_id).where(models.AuditLog.action == action)).all()


# Signing -----------------------------------------------------------------------------------

def test_signing_without_a_risk_assessment_is_refused(org, ctx):
    with pytest.raises(RuleViolation, match="risk assessment"):
        sign(ctx("M1"), "C1", "gold")
    assert customer(org).signed_tier is None


def test_signing_with_an_expired_assessment_is_refused(org, ctx):
    assessed(org, on=TODAY - dt.timedelta(days=366), days=365)  # valid until yesterday
    with pytest.raises(RuleViolation):
        sign(ctx("M1"), "C1", "gold")


def test_signing_with_an_invalidated_assessment_is_refused(org, ctx):
    assessed(org, invalidated=True)
    with pytest.raises(RuleViolation):
        sign(ctx("M1"), "C1", "gold")


def test_an_assessment_is_valid_through_its_last_day(org, ctx):
    assessed(org, on=TODAY - dt.timedelta(days=365), days=365)  # valid until today
    with org.connect() as conn:
        from sqlalchemy.orm import Session

        with Session(bind=conn) as session:
            assert valid_risk_assessment(session, "C1", TODAY) is not None
            assert valid_risk_assessment(session, "C1", TODAY + dt.timedelta(days=1)) is None


def test_signing_the_qualified_tier_sets_card_status_history_and_letter(org, ctx):
    assessed(org)
    result = sign(ctx("M1"), "C1", "gold")
    row = customer(org)
    assert (row.signed_tier, row.tier_since, row.status) == ("gold", TODAY, "signed")
    assert "Dear Mr 歐陽," in result["letter"]
    assert "Gold" in result["letter"] and "李經理" in result["letter"] and "民族支行" in result["letter"]
    with org.connect() as conn:
        history = conn.execute(select(models.TierHistory.kind, models.TierHistory.to_tier)).all()
    assert [tuple(h) for h in history] == [("signed", "gold")]
    assert actions(org, "sign") == [("C1",)]


def test_signing_restarts_the_count_of_months_below(org, ctx):
    # §1: C1 held a platinum card two screened months below it; re-signed at gold.
    factories.rows(org, models.DowngradeCount, dict(customer_id="C1", months_below=2))
    assessed(org)
    sign(ctx("M1"), "C1", "gold")
    with org.connect() as conn:
        assert standing.months_below(conn, "C1") == 0


def test_signing_above_the_qualified_tier_needs_an_approved_admission(org, ctx):
    assessed(org)
    with pytest.raises(RuleViolation, match="special admission"):
        sign(ctx("M1"), "C1", "platinum")
    request = admit(ctx("M1"), "C1", "platinum", "expected inflow from a property sale")
    with pytest.raises(RuleViolation):
        sign(ctx("M1"), "C1", "platinum")  # pending is not approved
    approve(ctx("AP2"), request["id"])
    assert sign(ctx("M1"), "C1", "platinum")["admission_id"] == request["id"]


def test_an_admission_for_a_higher_tier_covers_a_lower_one(org, ctx):
    assessed(org)
    request = admit(ctx("M1"), "C1", "diamond", "family office moving in")
    approve(ctx("AP1"), request["id"])
    assert sign(ctx("M1"), "C1", "platinum")["signed_tier"] == "platinum"


def test_a_teller_of_the_outlet_may_sign_but_not_one_elsewhere_nor_another_manager(org, ctx):
    assessed(org)
    assessed(org, "C2")
    with pytest.raises(PermissionDenied):
        sign(ctx("M2"), "C1", "gold")
    with pytest.raises(PermissionDenied):
        sign(ctx("T1"), "C2", "gold")  # T1 is a teller of O001; C2 is at O002
    assert sign(ctx("T1"), "C1", "gold")["signed_tier"] == "gold"


def test_signing_in_the_future_is_refused(org, ctx):
    assessed(org)
    with pytest.raises(InvalidInput):
        sign(ctx("M1"), "C1", "gold", TODAY + dt.timedelta(days=1))


# Declining ---------------------------------------------------------------------------------

def test_decline_marks_the_customer_and_is_audited(org, ctx):
    decline(ctx("M1"), "C1", "does not want a card")
    row = customer(org)
    assert (row.status, row.status_reason) == ("declined", "does not want a card")
    assert actions(org, "decline") == [("C1",)]


def test_decline_needs_a_reason_and_an_unsigned_customer(org, ctx):
    with pytest.raises(InvalidInput):
        decline(ctx("M1"), "C1", "  ")
    factories.customer(org, "C3", signed_tier="gold", status="signed", manager_id="M1")
    with pytest.raises(RuleViolation):
        decline(ctx("M1"), "C3", "moving abroad")


# Special admission -------------------------------------------------------------------------

def test_admission_refused_when_the_customer_already_qualifies(org, ctx):
    with pytest.raises(RuleViolation, match="already qualifies"):
        admit(ctx("M1"), "C1", "gold", "why not")


def test_only_one_pending_request_per_customer(org, ctx):
    first = admit(ctx("M1"), "C1", "platinum", "inflow")
    with pytest.raises(RuleViolation, match=f"pending request {first['id']}"):
        admit(ctx("H1"), "C1", "diamond", "bigger inflow")


def test_approvals_list_what_each_level_may_decide(org, ctx):
    factories.customer(org, "G1", manager_id="M1")
    factories.customer(org, "G2", branch_id="O002", manager_id="M4")
    gold_here = admit(ctx("M1"), "G1", "gold", "lobby lead")
    admit(ctx("M4"), "G2", "gold", "lobby lead")
    platinum = admit(ctx("M1"), "C1", "platinum", "inflow")
    assert [i["id"] for i in approvals(ctx("H1"))] == [gold_here["id"]]
    assert [i["id"] for i in approvals(ctx("AP2"))] == [platinum["id"]]
    assert approvals(ctx("AP1")) == []
    with pytest.raises(PermissionDenied):
        approvals(ctx("M1"))


def test_nobody_lists_or_decides_their_own_request(org, ctx):
    factories.customer(org, "G1", manager_id="M1")
    own = admit(ctx("H1"), "G1", "gold", "my own lead")
    assert approvals(ctx("H1")) == []
    with pytest.raises(PermissionDenied, match="own request"):
        approve(ctx("H1"), own["id"])


def test_a_wrong_level_decision_names_who_may_decide(org, ctx):
    request = admit(ctx("M1"), "C1", "platinum", "inflow")
    for wrong in ("H1", "AP1", "M2"):
        with pytest.raises(PermissionDenied) as err:
            approve(ctx(wrong), request["id"])
        assert err.value.message == (
            f"request {request['id']} (Platinum) must be decided by a second-level branch "
            "approver above O001: 孫審批 AP2"
        )


def test_gold_is_decided_by_the_branch_head_of_the_outlet_only(org, ctx):
    factories.customer(org, "G1", manager_id="M1")
    request = admit(ctx("M1"), "G1", "gold", "lobby lead")
    with pytest.raises(PermissionDenied, match="branch head of O001: 王主任 H1"):
        approve(ctx("H2"), request["id"])
    assert approve(ctx("H1"), request["id"])["status"] == "approved"
    assert actions(org, "admission_approve") == [("G1",)]


def test_reject_needs_a_reason_and_a_decided_request_stays_decided(org, ctx):
    request = admit(ctx("M1"), "C1", "diamond", "inflow")
    with pytest.raises(InvalidInput):
        reject(ctx("AP1"), request["id"], "")
    assert reject(ctx("AP1"), request["id"], "no evidence")["status"] == "rejected"
    with pytest.raises(RuleViolation, match="already rejected"):
        approve(ctx("AP1"), request["id"])
    with pytest.raises(NotFound):
        approve(ctx("AP1"), 999)


# Risk assessment ---------------------------------------------------------------------------

def test_record_risk_sets_validity_from_the_rules(org, ctx):
    shown = record_risk(ctx("M1"), "C1", 4, TODAY - dt.timedelta(days=10))
    assert shown["risk_level"] == 4 and shown["risk_level_label"] == "Growth"
    assert shown["valid_until"] == (TODAY + dt.timedelta(days=355)).isoformat()
    assert actions(org, "risk_record") == [("C1",)]


def test_risk_in_the_future_or_out_of_range_is_refused(org, ctx):
    with pytest.raises(InvalidInput):
        record_risk(ctx("M1"), "C1", 3, TODAY + dt.timedelta(days=1))
    with pytest.raises(InvalidInput):
        record_risk(ctx("M1"), "C1", 6)


def test_invalidate_voids_every_assessment_on_file(org, ctx):
    record_risk(ctx("M1"), "C1", 2, TODAY - dt.timedelta(days=30))
    record_risk(ctx("M1"), "C1", 3)
    shown = invalidate_risk(ctx("M1"), "C1", "sold the business")
    assert shown["status"] == "invalidated" and shown["risk_level"] is None
    assert all(h["invalidated_at"] for h in shown["history"])
    with pytest.raises(RuleViolation):
        invalidate_risk(ctx("M1"), "C1", "again")


def test_risk_needs_the_customer_visible(org, ctx):
    with pytest.raises(PermissionDenied):
        record_risk(ctx("M2"), "C1", 3)
    with pytest.raises(PermissionDenied):
        show_risk(ctx("H2"), "C1")
    assert show_risk(ctx("H1"), "C1")["status"] == "missing"
