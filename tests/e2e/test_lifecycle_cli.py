"""`vip sign / decline / admit / approvals / approve / reject / risk` through the command line."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", name="歐陽明", gender="M", manager_id="M1", qualified_tier="gold",
               adb12_fen=15_000_000, status="potential")
    return engine


def test_sign_prints_the_welcome_letter(vip, data):
    assert vip("--as", "M1", "risk", "record", "C1", "--level", "3").code == 0
    result = vip("--as", "T1", "sign", "C1", "--tier", "gold")
    assert result.code == 0, result.err
    assert "Welcome letter" in result.out and "Dear Mr 歐陽," in result.out and "李經理" in result.out
    assert "C1 signed as Gold" in result.err


def test_sign_without_assessment_exits_1(vip, data):
    result = vip("--as", "M1", "sign", "C1", "--tier", "gold", "--json")
    assert result.code == 1 and result.out == ""
    assert "risk assessment" in result.err and "vip risk record C1" in result.err


def test_admission_round_trip_with_json(vip, data):
    opened = vip("--as", "M1", "admit", "C1", "--tier", "platinum", "--reason", "inflow", "--json")
    assert opened.code == 0, opened.err
    request_id = opened.json()["id"]
    assert "孫審批 AP2" in opened.json()["to_be_decided_by"]
    listed = vip("--as", "AP2", "approvals", "--json").json()
    assert [(i["id"], i["customer_id"], i["tier"]) for i in listed] == [(request_id, "C1", "platinum")]
    wrong = vip("--as", "AP1", "approve", str(request_id))
    assert wrong.code == 1
    assert f"request {request_id} (Platinum) must be decided by a second-level branch approver " \
           "above O001: 孫審批 AP2" in wrong.err
    done = vip("--as", "AP2", "reject", str(request_id), "--reason", "no plan", "--json")
    assert done.code == 0 and done.json()["status"] == "rejected"
    after = vip("--as", "AP2", "approvals")
    assert after.code == 0 and after.out.strip() == "Nothing waits for your decision."


def test_decline_and_risk_show(vip, data):
    assert vip("--as", "M1", "decline", "C1", "--reason", "not interested").code == 0
    shown = vip("--as", "M1", "risk", "show", "C1", "--json")
    assert shown.code == 0 and shown.json()["status"] == "missing"
    future = vip("--as", "M1", "risk", "record", "C1", "--level", "2", "--date", "2026-12-01")
    assert future.code == 1 and "future" in future.err
    bad = vip("--as", "M1", "risk", "record", "C1", "--level", "9")
    assert bad.code == 1 and "1..5" in bad.err
