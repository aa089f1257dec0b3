"""`vip assign` / `vip handover` (§2, issue 12): a per-person summary first — name beside
id, role, customers before → after, load as a share of capacity — the overflow explained,
the moves behind --details, and the §15 JSON kept (additions only)."""

from __future__ import annotations

import pytest
from opencc_purepy import OpenCC
from sqlalchemy import update

from tests import factories
from vipcli.cli.views.assign import load_percent
from vipcli.db.models import Staff

MILLION = 1_000_000 * 100



@pytest.fixture
def outlet(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    with engine.begin() as conn:  # Simplified names: the Chinese screens are checked whole
        for staff_id, name in (("H1", "王主任"), ("M1", "李经理"), ("M2", "张经理"),
                               ("M3", "刘经理"), ("A1", "杨顾问"), ("L1", "黄大堂"),
                               ("T1", "赵柜员"), ("MX", "陈经理")):
            conn.execute(update(Staff).where(Staff.staff_id == staff_id).values(name=name))
    for i in range(4):
        factories.customer(engine, f"P{i}", name="欧阳明", signed_tier="platinum",
                           adb12_fen=2 * MILLION, status="signed", manager_id="M1")
    factories.customer(engine, "D1", name="欧阳明", qualified_tier="diamond",
                       adb12_fen=6 * MILLION, status="potential")
    factories.customer(engine, "G1", name="欧阳明", signed_tier="gold", adb12_fen=MILLION // 4,
                       status="signed", manager_id="MX")
    return engine


@pytest.mark.parametrize("load, shown", [("0.625", "63%"), ("1.000", "100%"), ("1.002", "101%"),
                                         ("0.997", "99%"), ("0.000", "0%"), ("1.132", "113%")])
def test_load_reads_as_a_share_of_capacity_never_100_unless_exactly_full(load, shown):
    assert load_percent(load) == shown


def test_the_summary_shows_each_person_by_name_with_role_counts_and_load(vip, outlet):
    doc = vip("--as", "H1", "assign", "--dry-run", "--json").json()
    result = vip("--as", "H1", "assign", "--dry-run")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    for load in doc["loads"]:
        row = next(line for line in lines if f"{load['name']} {load['staff_id']}" in line)
        assert load_percent(load["load"]) in row
        before, after = load["customers_before"], load["customers_after"]
        assert (f"{before} → {after}" if before != after else f" {after} ") in row
    m1 = next(line for line in lines if "李经理 M1" in line)
    assert "Account manager" in m1 and " 4 " in m1  # keeps its four Platinum customers
    assert "Wealth advisor" in next(line for line in lines if "杨顾问 A1" in line)
    assert "MX → " not in result.out  # the moves only with --details
    assert "Moves: 7 (2 to account managers, 5 to advisors). --details lists them." in result.err


def test_before_and_after_add_up_to_the_moves(vip, outlet):
    doc = vip("--as", "H1", "assign", "--dry-run", "--json").json()
    gained = {x["staff_id"]: x["customers_after"] - x["customers_before"] for x in doc["loads"]}
    for move in doc["assignments"]:
        gained[move["staff_id"]] -= 1
        if move["previous_staff_id"] in gained:
            gained[move["previous_staff_id"]] += 1
    assert set(gained.values()) == {0}


def test_details_lists_every_move_with_names_and_why(vip, outlet):
    result = vip("--as", "H1", "assign", "--dry-run", "--details")
    assert result.code == 0, result.err
    assert "MX → " in result.out and "MX is inactive" in result.out
    assert "(none) → " in result.out and "not yet assigned" in result.out
    assert "--details lists them" not in result.err


def test_the_json_keeps_the_contract_and_only_adds(vip, outlet):
    doc = vip("--as", "H1", "assign", "--dry-run", "--json").json()
    assert {"assignments", "loads", "staffing"} <= doc.keys()
    for load in doc["loads"]:
        assert {"staff_id", "role", "load", "capacity"} <= load.keys()
        assert {"name", "customers_before", "customers_after", "load_before"} <= load.keys()
    for move in doc["assignments"]:
        assert {"customer_id", "staff_id", "role", "previous_staff_id"} <= move.keys()
        assert move["role"] in ("primary", "advisor")
    assert doc["over_capacity"] == []
    assert set(doc["staffing"]) == {"account_managers", "advisors"}


def test_overflow_says_how_many_could_not_be_placed_and_the_staffing_missing(vip, outlet):
    for i in range(100):
        factories.customer(outlet, f"D{i:03}", qualified_tier="diamond", adb12_fen=6 * MILLION,
                           status="potential")
    doc = vip("--as", "H1", "assign", "--dry-run", "--json").json()
    placed = {(o["customer_id"], o["role"]) for o in doc["over_capacity"]}
    assert placed and placed <= {(a["customer_id"], a["role"]) for a in doc["assignments"]}
    result = vip("--as", "H1", "assign", "--dry-run")
    gap = doc["staffing"]["account_managers"]
    assert (f"{gap['required']} account managers needed, {gap['available']} active"
            in " ".join(result.err.split()))
    assert "Understaffed" in result.err
    assert (f"could not be placed within anyone's capacity: {len(placed)};"
            in " ".join(result.err.split()))
    over = " ".join(result.err.split())
    assert "Above capacity after this plan:" in over
    assert all(s in over for s in doc["overflow"])


def test_handover_has_the_same_summary_and_names_who_leaves(vip, outlet):
    result = vip("--as", "H1", "handover", "--from", "M1", "--dry-run")
    assert result.code == 0, result.err
    assert "Handover at O001: 李经理 M1's book, balanced over eligible staff" in result.out
    assert "张经理 M2" in result.out and "%" in result.out
    assert "P0" not in result.out
    detailed = vip("--as", "H1", "handover", "--from", "M1", "--to", "M2", "--dry-run", "--details")
    assert "李经理 M1 → 张经理 M2" in " ".join(detailed.out.split())
    assert "handover from M1" in " ".join(detailed.out.split())


def test_assign_and_handover_speak_simplified_chinese(vip, outlet, chinese):
    for i in range(100):
        factories.customer(outlet, f"D{i:03}", qualified_tier="diamond", adb12_fen=6 * MILLION,
                           status="potential")
    result = vip("--as", "H1", "assign", "--dry-run", "--details")
    assert result.code == 0, result.err
    for word in ("网点 O001 客户分配", "客户经理", "理财顾问", "工作量", "调整明细", "尚未分配"):
        assert word in result.out, word
    err = "".join(result.err.split())
    for words in ("人员配置（按§2比例）：需要客户经理", "人手不足", "无法在工作能力范围内安排的客户",
                  "按此方案超出工作能力的人员", "试运行：未写入任何内容。"):
        assert words in err, words
    handed = vip("--as", "H1", "handover", "--from", "M1", "--dry-run")
    assert "网点 O001 客户交接：李经理 M1 的客户" in handed.out
    t2s = OpenCC("t2s")
    for text in (result.out, result.err, handed.out, handed.err):
        assert t2s.convert(text) == text, "a Traditional character on a Chinese screen"
