"""`vip appointment add|list|cancel` and `vip plan week` through the command line (§18):
the joint visit on everyone's list, the refusals (a time in the past, an unknown or
foreign colleague, another manager's customer, a clash, cancelling twice), the audit, the
week's plan per day, Chinese at 80 columns."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rich.cells import cell_len
from sqlalchemy import func, select

from tests import factories
from vipcli.db import models

TODAY = "2026-11-27"  # a Friday


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)
    factories.org(engine)
    factories.customer(engine, "C1", name="欧阳明", manager_id="M1", signed_tier="diamond",
                       status="signed", birth_date=dt.date(1970, 6, 15))
    factories.customer(engine, "C2", name="王芳", manager_id="M2", signed_tier="gold",
                       status="signed", birth_date=dt.date(1970, 6, 15))
    # C1 met yesterday: nothing else due this week, so the plan shows the appointment alone
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1",
                                                contacted_at=dt.datetime(2026, 11, 26, 10),
                                                channel="meeting"))
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id="C1", level=3, assessed_on=dt.date(2026, 6, 1),
        valid_until=dt.date(2027, 6, 1), recorded_at=dt.datetime(2026, 6, 1, 9)))
    return engine


def add(vip, *args, actor="M1"):
    return vip("--as", actor, "appointment", "add", *args, "--json")


def audited(engine, action: str) -> int:
    log = models.AuditLog
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(log)
                            .where(log.action == action)).scalar_one()


def test_a_joint_visit_is_on_both_lists_on_the_day_and_the_day_before(vip, data, monkeypatch):
    made = add(vip, "C1", "--at", "2026-11-30 14:30", "--place", "贵宾室", "--with", "M2",
               "--purpose", "资产配置")
    assert made.code == 0, made.err
    doc = made.json()
    assert doc["customer_id"] == "C1" and doc["staff_ids"] == ["M1", "M2"]
    assert doc["at"] == "2026-11-30T14:30:00" and doc["place"] == "贵宾室"
    assert isinstance(doc["appointment_id"], int)
    assert audited(data, "appointment_add") == 1
    # Friday: not yet (one day ahead is Saturday)
    assert "C1" not in [i["customer_id"] for i in vip("--as", "M2", "due", "--json").json()["items"]]
    monkeypatch.setenv("VIP_TODAY", "2026-11-29")
    for staff in ("M1", "M2"):
        items = vip("--as", staff, "due", "--json").json()["items"]
        c1 = next(i for i in items if i["customer_id"] == "C1")
        kinds = [r["kind"] for r in c1["reasons"]]
        assert "appointment" in kinds
        if staff == "M2":  # not in M2's book: only the visit
            assert kinds == ["appointment"]
            assert "李經理 M1" in c1["reasons"][0]["detail"]
        assert c1["suggested_channel"] == "meeting"
    monkeypatch.setenv("VIP_TODAY", "2026-12-01")  # the day after: gone
    assert "C1" not in [i["customer_id"] for i in vip("--as", "M2", "due", "--json").json()["items"]]


def test_refusals_leave_nothing_behind(vip, data):
    cases = [
        (("C1", "--at", "2026-11-26 10:00"), "in the past"),
        (("C1", "--at", "2026-12-01"), "date and time"),
        (("C1", "--at", "2026-12-01 10:00", "--with", "NOBODY"), "unknown staff member 'NOBODY'"),
        (("C1", "--at", "2026-12-01 10:00", "--with", "M4"), "not at your outlet"),
        (("C1", "--at", "2026-12-01 10:00", "--with", "MX"), "no longer active"),
        (("C2", "--at", "2026-12-01 10:00"), "not in the book of"),
        (("C404", "--at", "2026-12-01 10:00"), "unknown customer"),
    ]
    for args, message in cases:
        result = add(vip, *args)
        assert result.code == 1 and result.out == "", args
        assert message in result.err, (args, result.err)
        assert "Traceback" not in result.err
    refused = add(vip, "C1", "--at", "2026-12-01 10:00", actor="T1")  # not the teller's
    assert refused.code == 1 and "not in the book of" in refused.err
    with data.connect() as conn:
        assert conn.execute(select(func.count()).select_from(models.Appointment)).scalar_one() == 0
    assert audited(data, "appointment_add") == 0


def test_a_clash_within_the_hour_is_refused(vip, data):
    assert add(vip, "C2", "--at", "2026-12-01 10:00", actor="M2").code == 0
    clash = add(vip, "C1", "--at", "2026-12-01 10:30", "--with", "M2")
    assert clash.code == 1 and "张經理 M2".replace("张", "張") in clash.err
    assert "less than 60 minutes" in clash.err  # rules: appointment_clash_minutes
    assert add(vip, "C1", "--at", "2026-12-01 11:00", "--with", "M2").code == 0


def test_cancel_once_then_refused_and_the_list_drops_it(vip, data):
    made = add(vip, "C1", "--at", "2026-12-01 10:00", "--with", "M2").json()
    listed = vip("--as", "M2", "appointment", "list", "--week", "2026-W49", "--json")
    assert [a["appointment_id"] for a in listed.json()] == [made["appointment_id"]]
    other = vip("--as", "M3", "appointment", "cancel", str(made["appointment_id"]))
    assert other.code == 1 and "may not cancel" in other.err
    done = vip("--as", "M2", "appointment", "cancel", str(made["appointment_id"]), "--json")
    assert done.code == 0 and done.json()["cancelled_at"] is not None
    again = vip("--as", "M1", "appointment", "cancel", str(made["appointment_id"]))
    assert again.code == 1 and "already cancelled" in again.err
    assert audited(data, "appointment_cancel") == 1
    assert vip("--as", "M1", "appointment", "list", "--week", "2026-12-02", "--json").json() == []
    # the branch head lists the outlet's
    add(vip, "C2", "--at", "2026-12-03 09:00", actor="M2")
    head = vip("--as", "H1", "appointment", "list", "--week", "2026-W49", "--json").json()
    assert [a["customer_id"] for a in head] == ["C2"]


def test_plan_week_per_day(vip, data):
    add(vip, "C1", "--at", "2026-12-02 14:30", "--place", "贵宾室", "--with", "M2")
    result = vip("--as", "M2", "plan", "week", "--week", "2026-W49", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["week"] == "2026-W49"
    assert [d["date"] for d in doc["days"]] == ["2026-11-30", *(f"2026-12-0{n}" for n in range(1, 7))]
    wed = doc["days"][2]
    assert [a["customer_id"] for a in wed["appointments"]] == ["C1"]
    # C2 (M2's Gold customer, no business since signing, never contacted) is due on Monday,
    # the first day of a week to come; once only
    assert doc["days"][0]["due"] == ["C2"]
    assert sum(d["due"].count("C2") for d in doc["days"]) == 1
    assert "C1" not in [c for d in doc["days"] for c in d["due"]]
    # this week: what is overdue lands on today (Friday), days before keep appointments only
    this = vip("--as", "M2", "plan", "week", "--json").json()
    assert this["week"] == "2026-W48" and this["days"][4]["due"] == ["C2"]
    assert all(d["due"] == [] for d in this["days"][:4])
    refused = vip("--as", "M2", "plan", "week", "--week", "2026-49")
    assert refused.code == 1 and "ISO week" in refused.err


def test_plan_and_list_in_chinese_fit_80_columns(vip, data, chinese, monkeypatch):
    add(vip, "C1", "--at", "2026-12-02 14:30", "--place", "网点二楼贵宾室", "--with", "M2",
        "--purpose", "年末资产配置检视与新发理财产品介绍")
    monkeypatch.setenv("COLUMNS", "80")
    for args in (("plan", "week", "--week", "2026-W49"), ("appointment", "list", "--week", "2026-W49")):
        result = vip("--as", "M2", *args)
        assert result.code == 0, result.err
        assert all(cell_len(line) <= 80 for line in result.out.splitlines()), result.out
        assert "C1" in result.out and "欧阳明" in result.out
    plan = vip("--as", "M2", "plan", "week", "--week", "2026-W49").out
    assert "周三" in plan and "14:30" in plan
    assert "Traceback" not in plan
    json.dumps(plan)


def test_a_teller_makes_appointments_with_its_own_gold_customers(vip, data):
    """§2's bands: a teller may look after Gold customers; it makes their appointments."""
    factories.customer(data, "C9", name="韦明", manager_id="T1", signed_tier="gold")
    made = add(vip, "C9", "--at", "2026-12-01 10:00", actor="T1")
    assert made.code == 0, made.err
    assert made.json()["staff_ids"] == ["T1"]


def test_the_clash_window_comes_from_the_rules_file(vip, data, tmp_path):
    """[relationship] appointment_clash_minutes: a branch whose visits take half an hour."""
    rules = tmp_path / "rules.toml"
    rules.write_text("[relationship]\nappointment_clash_minutes = 30\n", encoding="utf-8")
    first = vip("--rules", str(rules), "--as", "M1", "appointment", "add", "C1",
                "--at", "2026-12-01 10:00", "--json")
    assert first.code == 0, first.err
    beside = vip("--rules", str(rules), "--as", "M1", "appointment", "add", "C1",
                 "--at", "2026-12-01 10:30", "--json")
    assert beside.code == 0, beside.err
    clash = vip("--rules", str(rules), "--as", "M1", "appointment", "add", "C1",
                "--at", "2026-12-01 10:45")
    assert clash.code == 1 and "less than 30 minutes" in clash.err
