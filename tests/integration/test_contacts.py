"""Logging contacts, communication reports and their review, and the compliance report."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.services.contact.compliance import compliance
from vipcli.services.contact.contacts import ContactInput, list_reports, log_contact, review_report
from vipcli.services.contact.due import due_list

TODAY = "2026-11-27"


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", advisor_id="A1", signed_tier="diamond", status="signed")
    factories.customer(engine, "C2", manager_id="M2", signed_tier="platinum", status="signed")
    factories.customer(engine, "C4", manager_id="M4", signed_tier="gold", status="signed", branch_id="O002")
    return engine


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour)


def log(ctx, actor="M1", customer="C1", **fields) -> dict:
    fields.setdefault("channel", "phone")
    return log_contact(ctx(actor), ContactInput(customer_id=customer, **fields))


def count(engine, model) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(model)).all())


def test_log_contact_stores_the_contact_and_its_report(book, ctx):
    doc = log(ctx, at=at(26), purpose="care", summary="birthday call", key_points="wants income",
              needs="safer products", next_plan="send bond fund sheet", next_date=dt.date(2026, 12, 1))
    assert doc["customer_id"] == "C1" and doc["staff_id"] == "M1" and doc["channel"] == "phone"
    assert doc["at"] == "2026-11-26T10:00:00"
    with book.connect() as conn:
        report = conn.execute(select(models.CommunicationReport)).one()
        audit = conn.execute(select(models.AuditLog.action, models.AuditLog.customer_id)).all()
    assert (report.contact_id, report.next_date) == (doc["contact_id"], dt.date(2026, 12, 1))
    assert report.key_points == "wants income" and report.needs == "safer products"
    assert ("log_contact", "C1") in audit


def test_chinese_channel_labels_are_accepted(book, ctx):
    assert log(ctx, channel="面見", at=at(26))["channel"] == "meeting"
    assert log(ctx, channel="微信", at=at(26))["channel"] == "wechat"


@pytest.mark.parametrize("fields, message", [
    (dict(channel="fax"), "Unknown channel"),
    (dict(at=dt.datetime(2026, 11, 28, 0, 0)), "in the future"),
    (dict(at=at(26), next_plan="call", next_date=dt.date(2026, 11, 25)), "before the contact"),
    (dict(next_plan="call"), "--next needs --next-date"),
    (dict(next_date=dt.date(2026, 12, 1)), "--next-date needs --next"),
    (dict(opportunity_id=1), "go together"),
])
def test_refused_input_writes_nothing(book, ctx, fields, message):
    with pytest.raises(InvalidInput, match=message):
        log(ctx, **fields)
    assert count(book, models.Contact) == 0


def test_a_next_date_on_the_contact_day_is_accepted(book, ctx):
    # The next step may not be dated before the contact (refused above); on the contact's own
    # day it is kept, and it becomes a follow-up item (§6) due that day.
    doc = log(ctx, at=at(26), next_plan="call back", next_date=dt.date(2026, 11, 26))
    with book.connect() as conn:
        contact = conn.execute(select(models.Contact)).one()
        report = conn.execute(select(models.CommunicationReport)).one()
    assert (contact.id, contact.customer_id, contact.contacted_at) == (doc["contact_id"], "C1", at(26))
    assert (report.id, report.contact_id) == (doc["report_id"], doc["contact_id"])
    assert (report.next_plan, report.next_date, report.follow_up_done_at) == (
        "call back", dt.date(2026, 11, 26), None)
    listed = list_reports(ctx("M1")).rows
    assert [(r["report_id"], r["next_plan"], r["next_date"]) for r in listed] == [
        (doc["report_id"], "call back", "2026-11-26")]
    # and the follow-up falls due that same day on the manager's list
    items = due_list(ctx("M1"), as_of=dt.date(2026, 11, 26))["items"]
    follow_ups = [(item["customer_id"], r["due_date"], r["overdue_days"])
                  for item in items for r in item["reasons"] if r["kind"] == "report_followup"]
    assert follow_ups == [("C1", "2026-11-26", 0)]


def test_customers_the_actor_may_not_see_are_refused(book, ctx):
    with pytest.raises(PermissionDenied):
        log(ctx, actor="M1", customer="C2")
    with pytest.raises(PermissionDenied):
        log(ctx, actor="H1", customer="C4")
    with pytest.raises(NotFound):
        log(ctx, customer="NOPE")
    with pytest.raises(PermissionDenied):
        log(ctx, actor="OP1")
    assert log(ctx, actor="H1", customer="C2", at=at(26))["staff_id"] == "H1"


def test_a_later_contact_by_the_manager_settles_due_follow_ups(book, ctx):
    first = log(ctx, at=at(20), next_plan="call back", next_date=dt.date(2026, 11, 24))
    later_plan = log(ctx, at=at(21), next_plan="visit", next_date=dt.date(2026, 12, 5))
    reasons = due_list(ctx("M1"), as_of=dt.date(2026, 11, 25))["items"][0]["reasons"]
    assert "report_followup" in {r["kind"] for r in reasons}
    other = log(ctx, actor="A1", at=at(25, 9))  # the advisor's call settles nothing of M1's
    assert other["followups_done"] == 0
    done = log(ctx, at=at(25, 11), channel="sms")
    assert done["followups_done"] == 1
    with book.connect() as conn:
        open_ids = conn.execute(select(models.CommunicationReport.contact_id).where(
            models.CommunicationReport.follow_up_done_at.is_(None))).scalars().all()
    assert first["contact_id"] not in open_ids and later_plan["contact_id"] in open_ids


def test_diagnosis_purpose_records_the_wealth_diagnosis(book, ctx):
    log(ctx, at=at(26), channel="meeting", purpose="diagnosis")
    with book.connect() as conn:
        day = conn.execute(select(models.Customer.last_diagnosis_on).where(
            models.Customer.customer_id == "C1")).scalar()
    assert day == dt.date(2026, 11, 26)


def test_open_an_opportunity_in_the_same_step(book, ctx):
    factories.rows(book, models.Product, dict(product_code="P1", name="穩健理財", category="wealth"))
    doc = log(ctx, at=at(26), open_product="P1", next_plan="proposal", next_date=dt.date(2026, 12, 2))
    with book.connect() as conn:
        opp = conn.execute(select(models.Opportunity)).one()
    assert doc["opportunity_id"] == opp.id and opp.stage == "contacted"
    assert opp.next_date == dt.date(2026, 12, 2)


def test_advance_an_opportunity_and_a_refused_move_rolls_back_the_contact(book, ctx):
    factories.rows(book, models.Opportunity, dict(id=7, customer_id="C1", owner_id="M1", stage="lead",
                                     opened_at=at(1)))
    log(ctx, at=at(26), opportunity_id=7, stage="contacted")
    with book.connect() as conn:
        assert conn.execute(select(models.Opportunity.stage)).scalar() == "contacted"
    with pytest.raises(InvalidInput):
        log(ctx, at=at(26), opportunity_id=7, stage="no-such-stage")
    assert count(book, models.Contact) == 1


def test_reports_list_and_review(book, ctx):
    mine = log(ctx, at=at(26), key_points="k1")
    log(ctx, actor="M2", customer="C2", at=at(26), key_points="k2")
    assert [r["customer_id"] for r in list_reports(ctx("M1")).rows] == ["C1"]
    assert len(list_reports(ctx("H1"), unreviewed=True).rows) == 2
    assert [r["staff_id"] for r in list_reports(ctx("H1"), staff_id="M2").rows] == ["M2"]
    reviewed = review_report(ctx("H1"), mine["report_id"], "good needs analysis")
    assert reviewed["reviewed_by"] == "H1" and reviewed["reviewed_at"].startswith(TODAY)
    rows = {r["report_id"]: r for r in list_reports(ctx("H1")).rows}
    assert rows[mine["report_id"]]["review_comment"] == "good needs analysis"
    assert [r["customer_id"] for r in list_reports(ctx("H1"), unreviewed=True).rows] == ["C2"]
    with pytest.raises(RuleViolation, match="already reviewed"):
        review_report(ctx("H1"), mine["report_id"], "again")


@pytest.mark.parametrize("actor", ["M1", "H2"])
def test_only_the_outlets_branch_head_reviews(book, ctx, actor):
    report = log(ctx, at=at(26))["report_id"]
    with pytest.raises(PermissionDenied):
        review_report(ctx(actor), report, "ok")
    with pytest.raises(PermissionDenied):
        list_reports(ctx("M1"), staff_id="M2")


def test_compliance_counts_calendar_month_quarter_and_iso_weeks(book, ctx):
    factories.customer(book, "C3", manager_id="M1", signed_tier="diamond", status="signed")
    factories.customer(book, "P1", manager_id="M1", signed_tier="platinum", status="signed")
    contacts = [("C1", at(3), "meeting"), ("C3", at(3), "phone"), ("C3", at(3, 11), "sms"),
                ("P1", at(10), "phone"), ("P1", at(11), "phone"), ("P1", at(12), "meeting"),
                ("C3", dt.datetime(2026, 10, 30, 9), "phone")]
    factories.rows(book, models.Contact, *[dict(customer_id=c, staff_id="M1", contacted_at=t, channel=ch)
                              for c, t, ch in contacts])
    doc = compliance(ctx("H1"), "2026-11")
    assert doc["quarter"] == ["2026-10-01", "2026-12-31"]
    m1 = next(x for x in doc["managers"] if x["staff_id"] == "M1")
    tiers = {t["tier"]: t for t in m1["tiers"]}
    assert tiers["diamond"] == {"tier": "diamond", "customers": 2, "monthly_met": 1, "quarterly_met": 2}
    assert tiers["platinum"] == {"tier": "platinum", "customers": 1, "monthly_met": 1, "quarterly_met": 1}
    assert tiers["gold"]["monthly_met"] is None
    assert [w["week"] for w in m1["weeks"]][:2] == ["2026-W44", "2026-W45"]
    assert len(m1["weeks"]) == 6 and m1["weeks"][0]["contacted"] == 1  # Oct 26 – Nov 1
    assert m1["weeks"][1]["contacted"] == 2 and m1["weeks_met"] == 0
    assert {x["staff_id"] for x in doc["managers"]} == {"M1", "M2", "M3"}
    assert [x["staff_id"] for x in compliance(ctx("M2"), "2026-11")["managers"]] == ["M2"]


def test_compliance_week_met_at_exactly_ten_customers(book, ctx):
    ids = [f"W{i}" for i in range(10)]
    for cid in ids:
        factories.customer(book, cid, manager_id="M1", signed_tier="gold", status="signed")
    # W47 (Nov 16–22) has ended by today (Nov 27); W48 still runs and is not judged
    factories.rows(book, models.Contact, *[dict(customer_id=c, staff_id="M1", contacted_at=at(17), channel="sms")
                              for c in ids])
    weeks = compliance(ctx("M1"), "2026-11")["managers"][0]["weeks"]
    assert [w["met"] for w in weeks if w["week"] == "2026-W47"] == [True]
    assert sum(bool(w["met"]) for w in weeks) == 1


def test_the_weekly_rule_binds_account_managers_only(book, ctx):
    factories.customer(book, "G1", manager_id="L1", signed_tier="gold", status="signed")
    factories.rows(book, models.Contact, dict(customer_id="G1", staff_id="L1", contacted_at=at(24), channel="phone"))
    lobby = next(x for x in compliance(ctx("H1"), "2026-11")["managers"] if x["staff_id"] == "L1")
    assert lobby["weeks_met"] is None and {w["target"] for w in lobby["weeks"]} == {None}
    assert [w["contacted"] for w in lobby["weeks"] if w["week"] == "2026-W48"] == [1]
    assert lobby["tiers"][2] == {"tier": "gold", "customers": 1, "monthly_met": None,
                                 "quarterly_met": 1}


def test_compliance_refuses_a_bad_month_and_other_roles(book, ctx):
    with pytest.raises(InvalidInput):
        compliance(ctx("H1"), "2026-13")
    with pytest.raises(PermissionDenied):
        compliance(ctx("OP1"), "2026-11")
