"""§16 for imports, screening, signing, admissions, risk and configuration: Simplified
Chinese by default, English on request, the JSON keys and codes the same in both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from opencc_purepy import OpenCC

from tests import factories
from vipcli.domain.tiers import shift_month

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-27"


@pytest.fixture
def outlet(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY)
    factories.org(engine)
    return engine


def _simplified(text: str) -> bool:
    return OpenCC("t2s").convert(text) == text


def test_an_import_error_names_row_and_column_in_chinese(vip, outlet, tmp_path, chinese):
    header = ["customer_id", "name", "phone", "branch_id"]
    path = factories.write_csv(tmp_path / "c.csv", header, [
        ["C1", "王洁", "13800001111", "O001"],
        ["C2", "李娜", "12ab", "O001"],
    ])
    result = vip("--as", "OP1", "import", "customers", str(path))
    assert result.code == 1 and result.out == ""
    assert "c.csv 第3行 phone 列：应为 5 到 20 位数字的电话号码，收到的是 '12ab'" in result.err
    assert "未导入任何数据" in result.err and "Traceback" not in result.err
    doc = vip("--as", "OP1", "import", "customers", str(path), "--json").json()
    assert doc["errors"] == [{"row": 3, "column": "phone",
                              "message": "应为 5 到 20 位数字的电话号码，收到的是 '12ab'"}]


def test_an_import_summary_is_chinese_and_the_json_keeps_its_keys(vip, outlet, tmp_path, chinese):
    path = factories.write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"],
                               [["C1", "王洁", "O001"]])
    done = vip("--as", "OP1", "import", "customers", str(path), "--dry-run")
    assert done.code == 0, done.err
    assert "c.csv：1 行客户数据有效——将新增 1 行、更新 0 行（试运行：未写入）" in done.err
    doc = vip("--as", "OP1", "import", "customers", str(path), "--json").json()
    assert (doc["kind"], doc["rows"], doc["inserted"], doc["updated"]) == ("customers", 1, 1, 0)


def _months(first: str = "2025-01", last: str = "2026-10") -> list[str]:
    out = [first]
    while out[-1] < last:
        out.append(shift_month(out[-1], 1))
    return out


def test_the_screening_summary_speaks_chinese(vip, outlet, chinese):
    factories.customer(outlet, "C1")
    factories.customer(outlet, "C2", signed_tier="platinum", status="signed")
    factories.assets(outlet, "C1", {m: "100000.00" for m in _months()})
    factories.assets(outlet, "C2", {m: "200000.00" for m in _months()})
    result = vip("--as", "OP1", "screen")
    assert result.code == 0, result.err
    out = result.out
    assert "2026-10 月度筛选——所有网点，窗口 2025-11 … 2026-10" in out
    for words in ("达标等级", "钻石卡", "白金卡", "金卡", "普通客户", "新达标（潜在贵宾）",
                  "降级预警（首月未达标）：C2", "共筛选 2 位客户。"):
        assert words in out, words
    assert _simplified(out)
    doc = vip("--as", "OP1", "screen", "--json").json()
    assert doc["qualified"] == {"diamond": 0, "platinum": 0, "gold": 2, "none": 0}


def test_signing_prints_a_simplified_chinese_welcome_letter(vip, outlet, chinese):
    factories.customer(outlet, "C1", name="欧阳明", gender="F", qualified_tier="gold",
                       adb12_fen=15_000_000, status="potential")
    assert vip("--as", "H1", "risk", "record", "C1", "--level", "3").code == 0
    result = vip("--as", "T1", "sign", "C1", "--tier", "gold")
    assert result.code == 0, result.err
    letter = result.out
    assert letter.startswith("欢迎信")
    assert "尊敬的欧阳女士：" in letter and "金卡贵宾客户" in letter and "2026年11月27日" in letter
    assert "欢迎随时莅临民族支行" in letter and "民族支行 敬上" in letter
    assert _simplified(letter)
    assert "C1 自 2026-11-27 起签约为金卡" in result.err


def test_risk_levels_read_by_their_chinese_names(vip, outlet, chinese):
    factories.customer(outlet, "C1", manager_id="M1")
    result = vip("--as", "M1", "risk", "record", "C1", "--level", "2")
    assert result.code == 0, result.err
    assert "C1：风险等级 2 谨慎型，有效期至 2027-11-27" in result.out
    assert "李經理 M1" in result.out  # staff by name beside the id; the name as stored
    doc = vip("--as", "M1", "risk", "show", "C1", "--json").json()
    assert (doc["risk_level"], doc["risk_level_name"], doc["risk_level_label"]) == (
        2, "cautious", "谨慎型")


def test_approvals_in_chinese_name_tier_and_requester(vip, outlet, chinese):
    factories.customer(outlet, "C1", name="王洁", manager_id="M1", qualified_tier="gold",
                       adb12_fen=15_000_000, status="potential")
    opened = vip("--as", "M1", "admit", "C1", "--tier", "白金卡", "--reason", "大额资金转入")
    assert opened.code == 0, opened.err
    assert "申请钻石卡" not in opened.err and "C1 申请白金卡" in opened.err
    assert "二级分行审批人：孫審批 AP2" in opened.err
    listed = vip("--as", "AP2", "approvals")
    assert listed.code == 0, listed.err
    for words in ("待审批的特殊准入（1）", "王洁", "白金卡", "金卡", "李經理 M1", "大额资金转入"):
        assert words in listed.out, words
    decided = vip("--as", "AP2", "approve", "1")
    assert "申请 1（C1，白金卡）：AP2 批准" in decided.err
    assert vip("--as", "H1", "approvals").out.strip() == "没有待您审批的事项。"
    doc = vip("--as", "AP2", "approve", "1", "--json")
    assert doc.code == 1 and "申请 1 已于 2026-" in doc.err and "由 AP2 批准" in doc.err


def test_config_show_says_where_each_value_came_from_in_chinese(vip, tmp_path, chinese,
                                                                monkeypatch):
    from vipcli.cli import output

    monkeypatch.setenv("COLUMNS", "200")  # as a table (at 80 columns: one block per rule)
    monkeypatch.setattr(output, "_console", None)  # made anew at that width
    rules = tmp_path / "r.toml"
    rules.write_text("[events]\nmaturity_lead_days = 10\n", encoding="utf-8")
    out = vip("--rules", str(rules), "config", "show").out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 2}
    assert "规则文件" in lines["events.maturity_lead_days"]
    assert "手册" in lines["tiers.gold"]  # a figure the handbook gives
    assert "我们的默认值" in lines["events.holiday_lead_days"]  # a figure it does not
    assert "环境变量（VIP_LANG）" in lines["lang"]
    doc = vip("--rules", str(rules), "config", "show", "--json").json()
    by_name = {r["name"]: r for r in doc["rules"]}
    assert by_name["tiers.gold"]["source"] == "default"  # §15: the text scripts read, kept
    assert [by_name[n]["origin"] for n in ("tiers.gold", "events.holiday_lead_days",
                                           "events.maturity_lead_days", "lang")] == [
        "handbook", "default", "rules_file", "environment"]
    assert by_name["lang"]["value"] == "zh_CN"


def test_an_invalid_rules_value_is_one_chinese_line_naming_the_key(vip, tmp_path, chinese):
    rules = tmp_path / "r.toml"
    rules.write_text("[contact]\nweekly_contacts_per_manager = -1\n", encoding="utf-8")
    result = vip("--rules", str(rules), "config", "show")
    assert result.code == 1 and result.out == ""
    assert "contact.weekly_contacts_per_manager：取值应大于或等于 0（收到的是 -1）" in result.err
    assert len(result.err.strip().splitlines()) == 1


def _help(lang: str, *command: str) -> str:
    env = {**os.environ, "VIP_LANG": lang, "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-m", "vipcli", *command, "--help"], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=60, check=True)
    return done.stdout


def test_help_is_chinese_by_default_and_english_on_request():
    chinese = _help("zh_CN", "sign")
    assert "签约发卡" in chinese and "欢迎信" in chinese
    assert "Example: vip --as S017 sign C0000325 --tier gold" in chinese
    english = _help("en", "sign")
    assert "Issue the VIP card" in english and "签约" not in english
