"""`vip assign` and `vip handover` through the real command line: exit codes, JSON, tables."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from tests import factories
from vipcli.db.models import Customer

MILLION = 1_000_000 * 100


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", qualified_tier="diamond", adb12_fen=6 * MILLION, status="potential")
    factories.customer(engine, "C2", qualified_tier="gold", adb12_fen=MILLION // 4, status="potential")
    factories.customer(engine, "C3", signed_tier="platinum", adb12_fen=2 * MILLION, status="signed",
               manager_id="MX")
    return engine


def test_assign_json_follows_the_contract(vip, data):
    result = vip("--as", "H1", "assign", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert {"assignments", "loads", "staffing"} <= doc.keys()
    first = doc["assignments"][0]
    assert {"customer_id", "staff_id", "role", "previous_staff_id"} <= first.keys()
    assert {a["role"] for a in doc["assignments"]} == {"primary", "advisor"}
    moved = {(a["customer_id"], a["role"]): a["previous_staff_id"] for a in doc["assignments"]}
    assert moved[("C3", "primary")] == "MX" and moved[("C2", "primary")] is None
    load = doc["loads"][0]
    assert {"staff_id", "role", "load", "capacity"} <= load.keys()
    assert load["capacity"] == "1.00" and len(load["load"].split(".")[1]) == 3
    assert set(doc["staffing"]) == {"account_managers", "advisors"}
    assert {"required", "available"} <= doc["staffing"]["advisors"].keys()


def test_assign_shows_the_summary_and_the_moves_only_with_details(vip, data):
    result = vip("--as", "H1", "assign", "--dry-run")
    assert result.code == 0, result.err
    assert "░" in result.out and "%" in result.out and "MX → " not in result.out
    assert "--details lists them" in result.err and "Dry run" in result.err
    detailed = vip("--as", "H1", "assign", "--dry-run", "--details")
    assert "MX → " in detailed.out and "--details lists them" not in detailed.err
    assert vip("--as", "H1", "assign", "--dry-run", "--json").json()["assignments"]  # still unassigned


def test_wrong_role_is_refused_with_exit_1(vip, data):
    result = vip("--as", "M1", "assign")
    assert result.code == 1
    assert "Branch head" in result.err and result.out == ""
    assert vip("--as", "M1", "handover", "--from", "M2").code == 1


def test_assign_needs_an_identity(vip, data):
    assert vip("assign").code == 1


def test_plan_out_then_apply_and_stale_plan_refused(vip, data, tmp_path):
    plan = tmp_path / "plan.json"
    made = vip("--as", "H1", "assign", "--plan-out", str(plan), "--json")
    assert made.code == 0, made.err
    saved = json.loads(plan.read_text(encoding="utf-8"))
    assert saved["fingerprint"] and saved["outlet"] == "O001"
    with data.begin() as conn:
        conn.execute(update(Customer).where(Customer.customer_id == "C2").values(manager_id="M1"))
    stale = vip("--as", "H1", "assign", "--apply", str(plan))
    assert stale.code == 1 and "changed" in stale.err
    fresh = tmp_path / "fresh.json"
    assert vip("--as", "H1", "assign", "--plan-out", str(fresh)).code == 0
    applied = vip("--as", "H1", "assign", "--apply", str(fresh), "--json")
    assert applied.code == 0, applied.err
    assert vip("--as", "H1", "assign", "--json").json()["assignments"] == []


def test_apply_takes_no_rebalance(vip, data, tmp_path):
    result = vip("--as", "H1", "assign", "--apply", str(tmp_path / "p.json"), "--rebalance")
    assert result.code == 1 and "--apply" in result.err


def test_understaffed_outlet_says_so_and_names_who_took_overflow(vip, data):
    for i in range(100):
        factories.customer(data, f"D{i:03}", qualified_tier="diamond", adb12_fen=6 * MILLION, status="potential")
    result = vip("--as", "H1", "assign")
    assert result.code == 0, result.err
    assert "Understaffed" in result.err and "Above capacity after this plan" in result.err
    assert "could not be placed within anyone's capacity" in result.err
    doc = vip("--as", "H1", "assign", "--dry-run", "--json").json()
    assert doc["staffing"]["account_managers"]["required"] == 4
    assert doc["staffing"]["account_managers"]["available"] == 3
    assert doc["overflow"]


def test_handover_json_has_the_assign_shape(vip, data):
    assert vip("--as", "H1", "assign").code == 0
    result = vip("--as", "H1", "handover", "--from", "A1", "--dry-run", "--json")
    assert result.code == 1 and "No active eligible staff" in result.err  # A1 is the only advisor
    result = vip("--as", "H1", "handover", "--from", "M1", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert {"assignments", "loads", "staffing"} <= doc.keys()
    assert doc["assignments"]
    assert all(a["previous_staff_id"] == "M1" and a["staff_id"] != "M1" for a in doc["assignments"])


def test_handover_to_an_ineligible_person_exits_1(vip, data):
    assert vip("--as", "H1", "assign").code == 0
    result = vip("--as", "H1", "handover", "--from", "A1", "--to", "M1")
    assert result.code == 1 and "may not take" in result.err
