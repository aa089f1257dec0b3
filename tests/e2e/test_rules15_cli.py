"""Issue 15 item 3 as the staff see it: Simplified Chinese by default (§16), English on
request, the JSON keys kept; one clear line and exit 1 for what the rules refuse."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from opencc_purepy import OpenCC

from tests import factories
from vipcli import config
from vipcli.db import models

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-27"


@pytest.fixture
def outlet(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", signed_tier="gold",
                       qualified_tier="platinum", status="signed")
    factories.customer(engine, "D1", manager_id="M1", signed_tier="diamond", name="诸葛亮")
    factories.customer(engine, "Q1", manager_id="M1", qualified_tier="platinum",
                       status="potential")
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id="Q1", level=3, assessed_on=dt.date(2026, 6, 1),
        valid_until=dt.date(2027, 6, 1), recorded_at=dt.datetime(2026, 6, 1)))
    return engine


def _simplified(text: str) -> bool:
    return OpenCC("t2s").convert(text) == text


def test_recommend_offers_the_card_upgrade_in_chinese(vip, outlet, chinese):
    result = vip("--as", "M1", "recommend", "C1")
    assert result.code == 0, result.err
    assert "升级为白金卡" in result.out
    doc = vip("--as", "M1", "recommend", "C1", "--json").json()
    up = [i for i in doc["ideas"] if i["kind"] == "up"]
    assert up[0]["product_code"] is None and up[0]["name"] == "升级为白金卡"
    assert "vip sign C1 --tier platinum" in up[0]["reason"]


def test_sign_below_the_qualified_tier_says_what_the_customer_qualifies_for(vip, outlet, chinese):
    refused = vip("--as", "M1", "sign", "Q1", "--tier", "gold")
    assert refused.code == 1 and refused.out == ""
    assert refused.err.strip().count("\n") == 0 and "Traceback" not in refused.err
    assert "已达白金卡标准" in refused.err and "--below-qualified" in refused.err
    assert _simplified(refused.err)
    done = vip("--as", "M1", "sign", "Q1", "--tier", "gold", "--below-qualified", "--json")
    assert done.code == 0, done.err
    assert (done.json()["signed_tier"], done.json()["qualified_tier"]) == ("gold", "platinum")


def test_lobby_diamond_to_the_branch_head_and_unknown_phone_in_chinese(vip, outlet, chinese):
    shown = vip("--as", "L1", "lobby", "D1")
    assert shown.code == 0, shown.err
    assert "王主任 H1" in shown.out and "名片" not in shown.out
    unknown = vip("--as", "L1", "lobby", "13700000000")
    assert unknown.code == 1 and "Traceback" not in unknown.err
    assert "不是本行客户" in unknown.err and "lead add --phone 13700000000" in unknown.err
    assert _simplified(unknown.err)


def test_activity_attend_before_it_happens_is_refused_in_chinese(vip, outlet, chinese):
    added = vip("--as", "M1", "activity", "add", "--kind", "salon", "--title", "沙龙",
                "--date", "2026-11-28", "--json").json()
    refused = vip("--as", "M1", "activity", "attend", str(added["id"]), "C1")
    assert refused.code == 1 and refused.out == "" and "Traceback" not in refused.err
    assert f"活动 {added['id']} 在 2026-11-28 举办，晚于今天（2026-11-27）" in refused.err


def test_compliance_shows_running_weeks_as_not_ended(vip, outlet, chinese):
    result = vip("--as", "M1", "report", "compliance", "--month", "2026-11")
    assert result.code == 0, result.err
    assert "进行中" in result.out and "0 ✗" in result.out  # W48 runs; W44–W47 were missed
    doc = vip("--as", "M1", "report", "compliance", "--month", "2026-11", "--json").json()
    weeks = doc["managers"][0]["weeks"]
    assert [w["ended"] for w in weeks] == [True, True, True, True, False, False]
    assert [w["met"] for w in weeks][-2:] == [None, None]
    assert doc["managers"][0]["weeks_ended"] == 4


def test_compliance_in_english_says_not_ended(vip, outlet):
    result = vip("--as", "M1", "report", "compliance", "--month", "2026-11")
    assert "not ended" in result.out


def test_config_show_says_handbook_only_for_the_handbooks_figures(vip, outlet):
    assert "screening.downgrade_after_months" not in config.HANDBOOK_FIGURES
    assert "audit.retention_months" not in config.HANDBOOK_FIGURES
    doc = vip("config", "show", "--json").json()
    origin = {r["name"]: r["origin"] for r in doc["rules"]}
    for name in ("tiers.gold", "allocation.diamond_per_manager", "contact.diamond_calls_per_month",
                 "contact.platinum_calls_per_month", "allocation.first_contact_days",
                 "risk.assessment_valid_days"):
        assert origin[name] == "handbook", name
    for name in ("screening.downgrade_after_months", "audit.retention_months",
                 "contact.due_list_size"):
        assert origin[name] == "default", name


def test_sign_help_names_below_qualified_in_chinese():
    env = {**os.environ, "VIP_LANG": "zh_CN", "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-m", "vipcli", "sign", "--help"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--below-qualified" in done.stdout and "按客户意愿发放低于达标等级的卡" in done.stdout
