"""The sales commands end to end: recommend, opp, target, report weekly, export."""

from __future__ import annotations

import csv
import datetime as dt
import json
import stat

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from vipcli.db import models


@pytest.fixture
def outlet(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.rows(engine, models.Product, *[
        dict(product_code=c, name=n, category=cat, risk_rating=r, series=s, level=lv)
        for c, n, cat, r, s, lv in [
            ("P_JJB", "基金寶", "fund", 3, "fund", 2),
            ("P_GPJJ", "股票型基金", "fund", 4, "fund", 3),
            ("P_WSYH", "網上銀行", "e_banking", None, "e_banking", 1),
        ]])
    factories.rows(engine, models.CrossSellRule, dict(held="P_JJB", recommend="P_WSYH", kind="cross"))
    factories.customer(engine, "C1", manager_id="M1", name="歐陽明", phone="13812345678",
                       orientation="relationship")
    factories.customer(engine, "C2", manager_id="M2", name="張三", phone="13900001111")
    factories.rows(engine, models.Holding, dict(customer_id="C1", product_code="P_JJB",
                                           start_date=dt.date(2026, 1, 1), amount_fen=1_000_00,
                                           maturity_date=None))
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id="C1", level=3, assessed_on=dt.date(2026, 6, 1), valid_until=dt.date(2027, 6, 1),
        recorded_at=dt.datetime(2026, 6, 1)))
    return engine


def test_recommend_json_contract(outlet, vip):
    r = vip("--as", "M1", "recommend", "C1", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert {"customer_id", "risk_level", "risk_valid_until", "ideas", "blocked"} <= set(doc)
    assert doc["ideas"][0] == {"rank": 1, "product_code": "P_WSYH", "name": "網上銀行",
                               "kind": "cross",
                               "reason": "holds 基金寶 P_JJB; matching table suggests 網上銀行 P_WSYH"}
    assert doc["blocked"] == [{"product_code": "P_GPJJ", "name": "股票型基金", "kind": "up",
                               "reason": "PR4 exceeds assessed level 3 Balanced"}]


def test_recommend_refuses_invisible_customer(outlet, vip):
    r = vip("--as", "M1", "recommend", "C2")
    assert r.code == 1 and "is not in the book of" in r.err and r.out == ""


def test_recommend_accept_opens_opportunity_with_idea_kind(outlet, vip):
    r = vip("--as", "M1", "recommend", "C1", "--accept", "P_WSYH", "--json")
    assert r.code == 0, r.err
    assert r.json()["accepted"]["kind"] == "cross"
    (row,) = vip("--as", "M1", "opp", "list", "--json").json()
    assert (row["product_code"], row["idea_kind"], row["owner_id"]) == ("P_WSYH", "cross", "M1")


def test_recommend_accept_of_blocked_product_refused(outlet, vip):
    r = vip("--as", "M1", "recommend", "C1", "--accept", "P_GPJJ")
    assert r.code == 1 and "PR4 exceeds assessed level 3" in r.err


def test_opportunity_lifecycle(outlet, vip):
    r = vip("--as", "M1", "opp", "add", "C1", "--product", "P_WSYH", "--amount", "50000",
            "--next-date", "2026-12-01", "--next-action", "call back", "--json")
    assert r.code == 0, r.err
    oid = str(r.json()["id"])
    assert r.json()["expected_amount"] == "50000.00"
    assert vip("--as", "M1", "opp", "move", oid, "needs_identified", "--json").code == 0
    back = vip("--as", "M1", "opp", "move", oid, "contacted")
    assert back.code == 1 and "only move forward" in back.err
    lost = vip("--as", "M1", "opp", "close", oid, "--lost")
    assert lost.code == 1 and "needs a reason" in lost.err
    won = vip("--as", "M1", "opp", "close", oid, "--won", "--amount", "60000", "--json")
    assert won.code == 0 and won.json()["won_amount"] == "60000.00"
    assert [h["to"] for h in won.json()["history"]] == ["lead", "needs_identified", "won"]
    again = vip("--as", "M1", "opp", "move", oid, "proposal")
    assert again.code == 1 and "already closed" in again.err


def test_opp_list_views(outlet, vip):
    vip("--as", "M1", "opp", "add", "C1")
    vip("--as", "M2", "opp", "add", "C2")
    assert [r["customer_id"] for r in vip("--as", "M1", "opp", "list", "--json").json()] == ["C1"]
    assert len(vip("--as", "H1", "opp", "list", "--outlet", "--json").json()) == 2
    refused = vip("--as", "M1", "opp", "list", "--outlet")
    assert refused.code == 1 and "Branch head" in refused.err
    table = vip("--as", "H1", "opp", "list", "--outlet")
    assert "Outlet VIP opportunities" in table.out


def test_bad_dates_and_amounts_are_one_line_errors(outlet, vip):
    r = vip("--as", "M1", "opp", "add", "C1", "--next-date", "tomorrow")
    assert r.code == 1 and r.err.startswith("error: --next-date")
    r = vip("--as", "M1", "opp", "add", "C1", "--amount", "12.345")
    assert r.code == 1 and "2 decimals" in r.err


def test_target_and_weekly_report(outlet, vip):
    assert vip("--as", "H1", "target", "set", "--week", "2026-W48", "--opps-won", "2").code == 0
    assert vip("--as", "M1", "target", "set", "--week", "2026-W48", "--opps-won", "2").code == 1
    oid = str(vip("--as", "M1", "opp", "add", "C1", "--amount", "1000", "--json").json()["id"])
    vip("--as", "M1", "opp", "close", oid, "--won")
    doc = vip("--as", "H1", "report", "weekly", "--week", "2026-W48", "--json").json()
    assert doc["outlet"]["targets"]["opps_won"] == {"target": 2, "actual": 1, "basis": "week",
                                                   "met": False}
    m1 = [p for p in doc["managers"] if p["staff_id"] == "M1"][0]
    assert (m1["opened"], m1["won"], m1["won_amount"]) == (1, 1, "1000.00")
    assert "Weekly review 2026-W48" in vip("--as", "H1", "report", "weekly").out


def test_weekly_bad_week_refused(outlet, vip):
    r = vip("--as", "H1", "report", "weekly", "--week", "2026-48")
    assert r.code == 1 and "ISO week" in r.err


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_customer_export_masked_private_and_audited(outlet, vip, tmp_path, fmt):
    path = tmp_path / f"customers.{fmt}"
    r = vip("--as", "H1", "export", "customers", "--format", fmt, "--output", str(path))
    assert r.code == 0, r.err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    if fmt == "csv":
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    elif fmt == "xlsx":
        sheet = load_workbook(path).active
        header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
        rows = [dict(zip(header, r, strict=True)) for r in body]
    else:
        rows = json.loads(path.read_text(encoding="utf-8"))
    phones = {r["customer_id"]: r["phone"] for r in rows}
    assert phones == {"C1": "138****5678", "C2": "139****1111"}
    assert "13812345678" not in path.read_bytes().decode("utf-8", "replace")
    with outlet.connect() as conn:
        audited = conn.execute(select(models.AuditLog.customer_id).where(models.AuditLog.action == "export")).all()
    assert sorted(c for (c,) in audited) == ["C1", "C2"]


def test_opportunity_export_is_the_listing(outlet, vip, tmp_path):
    vip("--as", "M1", "opp", "add", "C1", "--product", "P_WSYH")
    path = tmp_path / "opps.json"
    assert vip("--as", "M1", "export", "opportunities", "--format", "json", "--output", str(path)).code == 0
    assert json.loads(path.read_text()) == vip("--as", "M1", "opp", "list", "--json").json()


def test_weekly_export_audited_once(outlet, vip, tmp_path):
    path = tmp_path / "weekly.csv"
    assert vip("--as", "H1", "export", "weekly", "--output", str(path)).code == 0
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[-1]["name"] == "outlet total"
    with outlet.connect() as conn:
        audited = conn.execute(select(models.AuditLog.customer_id).where(models.AuditLog.action == "export")).all()
    assert audited == [(None,)]


def test_export_refuses_unknown_kind(outlet, vip, tmp_path):
    assert vip("--as", "H1", "export", "secrets", "--output", str(tmp_path / "x")).code == 1
    assert not (tmp_path / "x").exists()  # a missing folder is made 0700: tests/e2e/test_files_cli.py


def test_every_sales_command_has_an_example(vip):
    for args in (["recommend"], ["opp", "add"], ["opp", "list"], ["opp", "move"], ["opp", "close"],
                 ["target", "set"], ["target", "list"], ["report", "weekly"], ["export"]):
        assert "Example:" in vip(*args, "--help").out


def test_due_export_rows_match_the_morning_list(outlet, vip, tmp_path):
    path = tmp_path / "due.csv"
    assert vip("--as", "H1", "export", "due", "--output", str(path)).code == 0, "export failed"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    items = vip("--as", "H1", "due", "--json").json()["items"]
    assert [r["customer_id"] for r in rows] == [i["customer_id"] for i in items]
    with outlet.connect() as conn:
        audited = conn.execute(select(models.AuditLog.customer_id).where(models.AuditLog.action == "export")).all()
    assert len(audited) == max(len(items), 1)


def test_opp_list_by_kind_reports_conversion(outlet, vip):
    vip("--as", "M1", "recommend", "C1", "--accept", "P_WSYH")
    oid = str(vip("--as", "M1", "opp", "list", "--json").json()[0]["id"])
    vip("--as", "M1", "opp", "close", oid, "--won")
    vip("--as", "M1", "opp", "add", "C1")
    kinds = vip("--as", "M1", "opp", "list", "--by-kind", "--json").json()
    assert [(k["kind"], k["opened"], k["won"], k["conversion"]) for k in kinds] == [
        ("cross", 1, 1, 1.0), ("none", 1, 0, 0.0)]
    assert vip("--as", "M1", "opp", "list", "--by-kind", "--outlet").code == 1
