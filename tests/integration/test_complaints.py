"""Complaints (§18): who records, owns, acknowledges and resolves them; deadlines, overdue,
the month's report; satisfaction averages (exact, half up)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.services.contact.contacts import ContactInput, log_contact
from vipcli.services.routine import complaints, satisfaction

TODAY = "2026-11-27"


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", advisor_id="A1", signed_tier="gold",
                       status="signed")
    factories.customer(engine, "C2", manager_id="M2", status="potential")
    factories.customer(engine, "C3", status="potential")  # no manager yet
    factories.customer(engine, "C4", manager_id="M4", branch_id="O002", status="potential")
    return engine


def add(ctx, actor="L1", customer="C1", severity=None, text="slow redemption"):
    return complaints.add(ctx(actor), customer, text=text, severity=severity)


def stored(engine, complaint_id: int) -> models.Complaint:
    with engine.connect() as conn:
        return conn.execute(select(models.Complaint).where(models.Complaint.id == complaint_id)).one()


def test_deadlines_come_from_the_rules_and_the_manager_owns_it(book, ctx):
    doc = add(ctx, severity="serious")
    assert doc["status"] == "open" and doc["severity"] == "serious" and doc["owner_id"] == "M1"
    assert doc["ack_due"] == dt.date(2026, 11, 28) and doc["resolve_due"] == dt.date(2026, 12, 2)
    row = stored(book, doc["complaint_id"])
    assert row.recorded_by == "L1" and row.text == "slow redemption"


def test_a_customer_without_a_manager_is_owned_by_the_branch_head(book, ctx):
    assert add(ctx, actor="T1", customer="C3")["owner_id"] == "H1"


def test_chinese_severity_words_are_accepted(book, ctx):
    assert add(ctx, severity="严重")["severity"] == "serious"
    assert add(ctx, severity="一般")["severity"] == "normal"


@pytest.mark.parametrize("actor", ["L1", "T1", "M1", "A1", "H1"])
def test_the_front_line_and_the_customers_own_staff_may_record(book, ctx, actor):
    assert add(ctx, actor=actor)["customer_id"] == "C1"


@pytest.mark.parametrize("actor", ["M2", "L2", "H2", "OP1", "AP1"])
def test_others_may_not_record(book, ctx, actor):
    with pytest.raises(PermissionDenied):
        add(ctx, actor=actor)
    with book.connect() as conn:
        assert conn.execute(select(models.Complaint)).all() == []


def test_bad_input_is_refused(book, ctx):
    with pytest.raises(InvalidInput, match="--severity"):
        add(ctx, severity="bogus")
    with pytest.raises(InvalidInput, match="--text"):
        add(ctx, text="   ")
    with pytest.raises(NotFound, match="unknown customer 'C9'"):
        add(ctx, customer="C9")


def test_the_owner_or_branch_head_acknowledges_once(book, ctx):
    first = add(ctx)["complaint_id"]
    for outsider in ("M2", "H2", "L1"):
        with pytest.raises(PermissionDenied, match="only its owner"):
            complaints.acknowledge(ctx(outsider), first)
    assert complaints.acknowledge(ctx("M1"), first)["acknowledged_at"] is not None
    with pytest.raises(RuleViolation, match="already acknowledged"):
        complaints.acknowledge(ctx("H1"), first)
    second = add(ctx)["complaint_id"]
    assert complaints.acknowledge(ctx("H1"), second)["acknowledged_at"] is not None


def test_a_contact_by_the_owner_after_opening_acknowledges(book, ctx):
    opened = add(ctx)["complaint_id"]
    opened_at = stored(book, opened).opened_at
    before = opened_at - dt.timedelta(hours=1)
    earlier = log_contact(ctx("M1"), ContactInput("C1", "phone", at=before))
    assert earlier["complaints_acknowledged"] == []
    by_head = log_contact(ctx("H1"), ContactInput("C1", "phone"))
    assert by_head["complaints_acknowledged"] == []
    assert stored(book, opened).acknowledged_at is None
    logged = log_contact(ctx("M1"), ContactInput("C1", "meeting"))
    assert logged["complaints_acknowledged"] == [opened]
    assert stored(book, opened).acknowledged_at == dt.datetime.fromisoformat(logged["at"])


def test_resolving_twice_is_refused(book, ctx):
    opened = add(ctx)["complaint_id"]
    done = complaints.resolve(ctx("M1"), opened, result="apologised", satisfied=True)
    assert done["status"] == "resolved" and done["satisfied"] is True
    assert done["acknowledged_at"] is not None  # resolving answers the customer too
    with pytest.raises(RuleViolation, match="already resolved"):
        complaints.resolve(ctx("H1"), opened, result="again")
    with pytest.raises(RuleViolation, match="already resolved"):
        complaints.acknowledge(ctx("M1"), opened)
    with pytest.raises(PermissionDenied):
        complaints.resolve(ctx("M2"), add(ctx)["complaint_id"], result="not mine")


def test_every_change_is_audited(book, ctx):
    opened = add(ctx)["complaint_id"]
    complaints.acknowledge(ctx("M1"), opened)
    complaints.resolve(ctx("M1"), opened, result="done", satisfied=False)
    with book.connect() as conn:
        rows = conn.execute(select(models.AuditLog.action, models.AuditLog.actor_id,
                                   models.AuditLog.detail)
                            .where(models.AuditLog.action.like("complaint%"))
                            .order_by(models.AuditLog.id)).all()
    assert [(a, who) for a, who, _d in rows] == [
        ("complaint_open", "L1"), ("complaint_ack", "M1"), ("complaint_resolve", "M1")]
    assert json.loads(rows[2][2])["status"] == {"old": "open", "new": "resolved"}
    assert "slow redemption" not in "".join(d or "" for _a, _w, d in rows)


def test_overdue_counts_from_the_next_deadline(book, ctx, monkeypatch):
    late_ack = add(ctx)["complaint_id"]  # ack by 11-28, resolve by 12-02
    acked = add(ctx)["complaint_id"]
    complaints.acknowledge(ctx("M1"), acked)
    monkeypatch.setenv("VIP_TODAY", "2026-11-30")
    rows = {r["complaint_id"]: r for r in complaints.list_complaints(ctx("M1"))}
    assert (rows[late_ack]["overdue"], rows[late_ack]["overdue_days"]) == (True, 2)
    assert (rows[acked]["overdue"], rows[acked]["overdue_days"]) == (False, 0)
    monkeypatch.setenv("VIP_TODAY", "2026-12-04")
    listed = complaints.list_complaints(ctx("M1"), open_only=True)
    assert [(r["complaint_id"], r["overdue_days"]) for r in listed] == [(late_ack, 6), (acked, 2)]


def test_lists_are_scoped_to_the_acting_person(book, ctx):
    mine = add(ctx, actor="M1")["complaint_id"]
    other = add(ctx, actor="M2", customer="C2")["complaint_id"]
    add(ctx, actor="M4", customer="C4")
    assert [r["complaint_id"] for r in complaints.list_complaints(ctx("M1"))] == [mine]
    assert complaints.list_complaints(ctx("L1")) == []
    recorded = add(ctx, actor="L1", customer="C2")["complaint_id"]
    assert [r["complaint_id"] for r in complaints.list_complaints(ctx("L1"))] == [recorded]
    assert sorted(r["complaint_id"] for r in complaints.list_complaints(ctx("H1"))) == [
        mine, other, recorded]
    complaints.resolve(ctx("M1"), mine, result="ok")
    assert complaints.list_complaints(ctx("M1"), open_only=True) == []


def test_the_month_report_counts_those_received_in_it(book, ctx, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-10-30")
    add(ctx, severity="serious")  # October's, never acknowledged: open and overdue now
    monkeypatch.setenv("VIP_TODAY", "2026-11-02")
    on_time = add(ctx)["complaint_id"]
    complaints.acknowledge(ctx("M1"), on_time)
    complaints.resolve(ctx("M1"), on_time, result="fixed", satisfied=True)
    late = add(ctx, actor="M2", customer="C2")["complaint_id"]
    monkeypatch.setenv("VIP_TODAY", "2026-11-10")
    complaints.resolve(ctx("M2"), late, result="fixed late", satisfied=False)
    add(ctx, severity="serious")  # open, past its acknowledgement deadline by the 27th
    monkeypatch.setenv("VIP_TODAY", TODAY)
    doc = complaints.report(ctx("H1"), "2026-11")
    assert doc["total"] == {"opened": 3, "acknowledged_on_time": 1, "resolved": 2,
                            "resolved_on_time": 1, "open": 1, "overdue": 1, "rated": 2,
                            "satisfied": 1, "satisfied_share": "0.5000"}
    assert doc["by_severity"]["serious"]["opened"] == 1
    assert [(m["staff_id"], m["opened"]) for m in doc["by_manager"]] == [("M1", 2), ("M2", 1)]
    assert (doc["open_now"], doc["overdue_now"]) == (2, 2)
    own = complaints.report(ctx("M2"), "2026-11")
    assert own["scope"] == "own" and own["total"]["opened"] == 1
    with pytest.raises(PermissionDenied):
        complaints.report(ctx("OP1"), "2026-11")
    with pytest.raises(InvalidInput, match="--month"):
        complaints.report(ctx("H1"), "2026-13")


def test_satisfaction_averages_are_exact_and_round_half_up(book, ctx, monkeypatch):
    # 17 / 8 = 2.125: half up gives 2.13 (binary floats or banker's rounding give 2.12)
    for n, rating in enumerate([1, 2, 2, 2, 2, 3, 3, 2]):
        log_contact(ctx("M1"), ContactInput("C1", "phone", at=dt.datetime(2026, 11, 2 + n, 10),
                                            satisfaction=rating))
    log_contact(ctx("M2"), ContactInput("C2", "phone", at=dt.datetime(2026, 11, 3, 10),
                                        satisfaction=5))
    log_contact(ctx("M1"), ContactInput("C1", "phone", at=dt.datetime(2026, 9, 3, 10),
                                        satisfaction=4))
    log_contact(ctx("M4"), ContactInput("C4", "phone", satisfaction=1))  # another outlet
    doc = satisfaction.report(ctx("H1"), "2026-11")
    assert doc["outlet"] == {"average": "2.44", "count": 9}  # 22 / 9
    assert [(m["staff_id"], m["average"], m["count"]) for m in doc["by_manager"]] == [
        ("M1", "2.13", 8), ("M2", "5.00", 1)]
    assert [(t["month"], t["average"]) for t in doc["trend"]] == [
        ("2026-06", None), ("2026-07", None), ("2026-08", None), ("2026-09", "4.00"),
        ("2026-10", None), ("2026-11", "2.44")]
    own = satisfaction.report(ctx("M2"), "2026-11")
    assert own["scope"] == "own" and own["outlet"] == {"average": "5.00", "count": 1}


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_written(book, ctx, rating):
    with pytest.raises(InvalidInput, match="--satisfaction"):
        log_contact(ctx("M1"), ContactInput("C1", "phone", satisfaction=rating))
    with book.connect() as conn:
        assert conn.execute(select(models.Contact)).all() == []
