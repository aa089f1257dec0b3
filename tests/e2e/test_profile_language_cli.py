"""§16 for the customer-facing commands: show, customers, lobby, recommend, opp, segment and
export speak Simplified Chinese by default and English on request, with one wording per
concept; data stays as stored and JSON keeps its codes in every language."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys

import pytest
from opencc_purepy import OpenCC
from openpyxl import load_workbook
from rich.cells import cell_len

from tests import factories
from vipcli.cli import output
from vipcli.db import models

T2S = OpenCC("t2s")
PRODUCTS = [("P_JJB", "基金寶", "fund", 3, "fund", 2), ("P_WSYH", "網上銀行", "e_banking", None,
                                                         "e_banking", 1)]
# The fixture's data, shown as stored (Traditional in places on purpose: imported text).
DATA = sorted({n for _, n, *_ in factories.STAFF} | {n for _, n, _, _ in factories.BRANCHES}
              | {"諸葛亮", "歐陽明", "歐陽", "諸葛", "面談：續作意向"} | {p[1] for p in PRODUCTS}, key=len, reverse=True)


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.rows(engine, models.Product, *[
        dict(product_code=c, name=n, category=cat, risk_rating=r, series=s, level=lv)
        for c, n, cat, r, s, lv in PRODUCTS])
    factories.rows(engine, models.CrossSellRule, dict(held="P_JJB", recommend="P_WSYH", kind="cross"))
    factories.customer(engine, "C1", name="諸葛亮", gender="M", signed_tier="diamond",
                       qualified_tier="diamond", adb12_fen=612_345_678, manager_id="M1",
                       status="signed", phone="13987654321", tier_since=dt.date(2021, 1, 1))
    factories.customer(engine, "C2", name="歐陽明", gender=None, signed_tier="platinum",
                       qualified_tier="gold", adb12_fen=150_000_000, manager_id="M1",
                       status="signed", phone="13812345678")
    factories.rows(engine, models.Holding, dict(customer_id="C1", product_code="P_JJB",
                                           start_date=dt.date(2026, 1, 1), amount_fen=1_000_00))
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", channel="meeting",
                                           contacted_at=dt.datetime(2026, 11, 24, 10, 0),
                                           summary="面談：續作意向"))
    return engine


@pytest.fixture
def columns(monkeypatch):
    def width(n: int) -> None:
        monkeypatch.setenv("COLUMNS", str(n))
        monkeypatch.setattr(output, "_console", None)  # a fresh console reads COLUMNS
    return width


def _without_data(text: str) -> str:
    for value in DATA:
        text = text.replace(value, "")
    return text


def _simplified(text: str) -> bool:
    shown = _without_data(text)
    return T2S.convert(shown) == shown


def test_show_speaks_simplified_chinese(book, vip, chinese, columns):
    columns(80)
    result = vip("--as", "M1", "show", "C1")
    assert result.code == 0, result.err
    for words in ("签约等级 钻石卡", "客户经理 李經理 M1", "持有产品", "基金寶 P_JJB", "最近联系",
                  "面见", "企业高管", "价值取向", "售后跟踪、财富诊断", "风险测评：无记录"):
        assert words in result.out, words
    assert _simplified(result.out), _without_data(result.out)
    assert max(cell_len(line) for line in result.out.splitlines()) <= 80


def test_customers_in_chinese_at_80_columns_cut_nothing(book, vip, chinese, columns):
    columns(80)
    result = vip("--as", "M1", "customers")
    assert result.code == 0, result.err
    assert "钻石卡" in result.out and "白金卡" in result.out and "签约等级" in result.out
    assert "6,123,456.78" in result.out and "139****4321" in result.out
    assert _simplified(result.out) and "…" not in result.out
    assert max(cell_len(line) for line in result.out.splitlines()) <= 80


def test_one_wording_per_tier_and_stage_across_commands(book, vip, chinese, columns):
    columns(200)
    vip("--as", "M1", "opp", "add", "C1", "--product", "P_WSYH", "--stage", "proposal")
    shown = {name: vip("--as", "M1", *args).out for name, args in (
        ("customers", ["customers"]), ("show", ["show", "C1"]), ("segment", ["segment"]),
        ("opp", ["opp", "list"]))}
    shown["lobby"] = vip("--as", "L1", "lobby", "C1").out
    for name in ("customers", "show", "segment", "lobby"):
        assert "钻石卡" in shown[name], name
    for name, out in shown.items():
        assert "diamond" not in out and "鑽石" not in out, name  # no code, no second spelling
    assert "方案已提交" in shown["show"] and "方案已提交" in shown["opp"]
    assert "proposal" not in shown["opp"]


def test_lobby_script_is_simplified_chinese_by_default(book, engine, db_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("VIP_LANG", "LANGUAGE", "LANG")}
    env.update(VIP_TODAY="2026-11-27", VIP_HOME=str(tmp_path / "home"), COLUMNS="80")
    done = subprocess.run([sys.executable, "-m", "vipcli", "--db", db_url, "--as", "L1", "lobby", "C2"],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("歐陽贵宾")  # surname as stored, compound kept whole; 贵宾 Simplified
    for words in ("白金卡", "优先级 2", "问候：“歐陽贵宾，您好！", "引导给：李經理 M1（客户经理）",
                  "带往：贵宾室", "服务标准（五个一）", "一杯中档茶或咖啡"):
        assert words in out, words
    assert _simplified(out) and "貴賓" not in out


def test_lobby_script_in_english_keeps_the_chinese_form_of_address(book, vip):
    result = vip("--as", "L1", "lobby", "C1")
    assert result.code == 0, result.err
    assert "諸葛先生" in result.out and "Take to: VIP room" in result.out
    assert "Hand to: 王主任 H1 (Branch head)" in result.out  # §9: every Diamond walk-in
    assert "Service standard (the five ones):" in result.out and "premium tea" in result.out


def test_a_phone_that_is_no_customer_says_hand_a_card_and_record_a_lead(book, vip, chinese):
    result = vip("--as", "L1", "lobby", "13700000000")
    assert result.code == 1 and result.out == ""
    assert "名片" in result.err and "登记为销售线索" in result.err
    assert "vip --as L1 lead add --phone 13700000000 --name" in result.err  # §18: the command
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_json_keeps_keys_and_codes_in_every_language(book, vip, chinese, monkeypatch):
    zh = {cmd: vip("--as", who, *cmd.split(), "--json").json()
          for who, cmd in (("M1", "show C1"), ("L1", "lobby C1"), ("M1", "recommend C1"))}
    monkeypatch.setenv("VIP_LANG", "en")
    en = {cmd: vip("--as", who, *cmd.split(), "--json").json()
          for who, cmd in (("M1", "show C1"), ("L1", "lobby C1"), ("M1", "recommend C1"))}
    for cmd in zh:
        assert set(zh[cmd]) == set(en[cmd]), cmd
    assert zh["show C1"]["tier"] == en["show C1"]["tier"] == {
        "signed": "diamond", "qualified": "diamond", "since": "2021-01-01"}
    assert zh["lobby C1"]["route_to"]["role"] == "branch_head"  # §9: a Diamond customer
    assert (zh["lobby C1"]["place"], en["lobby C1"]["place"]) == ("贵宾室", "VIP room")
    assert zh["recommend C1"]["ideas"][0]["kind"] == en["recommend C1"]["ideas"][0]["kind"] == "cross"
    assert zh["recommend C1"]["ideas"][0]["reason"] == "持有基金寶 P_JJB；产品匹配表推荐網上銀行 P_WSYH"


def _csv(path):
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_export_headers_are_chinese_by_default_and_the_keys_in_english(book, vip, chinese, tmp_path,
                                                                      monkeypatch):
    assert vip("--as", "H1", "export", "customers", "--output", str(tmp_path / "zh.csv")).code == 0
    assert vip("--as", "H1", "export", "customers", "--format", "xlsx",
               "--output", str(tmp_path / "zh.xlsx")).code == 0
    monkeypatch.setenv("VIP_LANG", "en")
    assert vip("--as", "H1", "export", "customers", "--output", str(tmp_path / "en.csv")).code == 0
    zh, en = _csv(tmp_path / "zh.csv"), _csv(tmp_path / "en.csv")
    assert zh[0][:5] == ["客户号", "姓名", "签约等级", "达标等级", "年日均资产（元）"]
    assert en[0][:5] == ["customer_id", "name", "signed_tier", "qualified_tier", "adb12"]
    assert zh[1:] == en[1:]  # the data as stored, masked, in either language
    assert ["C1", "諸葛亮", "diamond"] == zh[1][:3] and "139****4321" in zh[1]
    sheet = load_workbook(tmp_path / "zh.xlsx").active
    assert [c.value for c in next(sheet.iter_rows())] == zh[0]


def test_weekly_export_names_its_target_columns_and_outlet_row_in_chinese(book, vip, chinese,
                                                                          tmp_path):
    vip("--as", "H1", "target", "set", "--week", "2026-W48", "--contacts", "40")
    assert vip("--as", "H1", "export", "weekly", "--output", str(tmp_path / "w.csv")).code == 0
    rows = _csv(tmp_path / "w.csv")
    assert "目标：联系客户" in rows[0] and rows[-1][rows[0].index("姓名")] == "网点合计"
    assert _simplified(",".join(rows[0]))


def test_chinese_help_of_the_customer_commands(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("VIP_LANG", "LANGUAGE", "LANG")}
    env["VIP_HOME"] = str(tmp_path)
    for command, words in ((["show"], "一纸通"), (["lobby"], "识别到店客户"),
                           (["export"], "VIP_LANG=en"), (["opp", "list"], "支行贵宾客户商机表")):
        done = subprocess.run([sys.executable, "-m", "vipcli", *command, "--help"],
                              capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0 and words in done.stdout, (command, done.stdout)
        assert "示例：vip --as S0" in done.stdout and _simplified(done.stdout)
