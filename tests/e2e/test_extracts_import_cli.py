"""Issue 15: `vip import prices|loans|cards` through the CLI — the §15 JSON shapes, masked
card numbers in every output, Chinese by default (§16), one line on stderr for a bad file,
and the demo built from the sample outlet showing each new after-sales reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories
from vipcli.db import models

CARD = "6222021234567890"
CARD_HEADER = ["card_no", "customer_id", "statement_date", "due_date", "amount_due", "min_due", "paid"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")


@pytest.fixture
def org(engine):
    factories.org(engine)
    factories.customer(engine, "C1")
    factories.rows(engine, models.Product, dict(product_code="P_JJB", name="基金宝", category="fund"))
    return engine


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> str:
    return str(factories.write_csv(path, header, rows, encoding))


def test_each_new_kind_imports_and_reports_its_counts_in_json(vip, org, tmp_path):
    prices = write_csv(tmp_path / "p.csv", ["product_code", "date", "nav"], [["P_JJB", "2026-11-26", "1.2345"]])
    loans = write_csv(tmp_path / "l.csv", ["loan_id", "customer_id", "principal", "balance"],
                      [["L1", "C1", "1000.00", "500.00"]])
    cards = write_csv(tmp_path / "c.csv", CARD_HEADER, [[CARD, "C1", "2026-11-05", "2026-11-25", "1.00", "0.10", "0"]])
    for kind, path, name in (("prices", prices, "p.csv"), ("loans", loans, "l.csv"), ("cards", cards, "c.csv")):
        result = vip("--as", "OP1", "import", kind, path, "--json")
        assert result.code == 0, result.err
        assert result.json() == {"kind": kind, "file": name, "rows": 1, "inserted": 1, "updated": 0,
                                 "dry_run": False}
    again = vip("--as", "OP1", "import", "cards", cards)
    assert again.code == 0 and "c.csv: 1 card statement rows imported — 0 inserted, 1 updated" in again.err


def test_a_bad_card_file_names_row_and_column_with_the_number_masked_in_json_and_on_stderr(vip, org, tmp_path):
    long_number = "62220212345678901234"
    path = write_csv(tmp_path / "c.csv", CARD_HEADER, [[long_number, "C1", "2026-11-05", "2026-11-25", "1.00", "0.10", "0"]])
    result = vip("--as", "OP1", "import", "cards", path, "--json")
    assert result.code == 1
    assert result.json()["errors"] == [{"row": 2, "column": "card_no",
                                        "message": "expected a card number of 12 to 19 digits, "
                                                   "got '622202**********1234'"}]
    assert result.err.strip().count("\n") == 0 and "Traceback" not in result.err
    plain = vip("--as", "OP1", "import", "cards", path)
    assert plain.code == 1 and "622202**********1234" in plain.err
    assert long_number not in result.out + result.err + plain.out + plain.err


def test_errors_and_summaries_speak_chinese_by_default(vip, org, tmp_path, chinese):
    path = write_csv(tmp_path / "p.csv", ["产品代码", "净值日期", "单位净值"], [["P_JJB", "2026-11-26", "1.23456"]])
    bad = vip("--as", "OP1", "import", "prices", path)
    assert bad.code == 1
    assert "p.csv 第2行 nav 列：应为不小于 0、最多 4 位小数的数字，收到的是 '1.23456'" in bad.err
    good = write_csv(tmp_path / "ok.csv", ["产品代码", "净值日期", "单位净值"], [["P_JJB", "2026-11-26", "1.2345"]])
    done = vip("--as", "OP1", "import", "prices", good)
    assert done.code == 0 and "已导入 1 行价格数据" in done.err


def test_the_import_help_lists_the_new_kinds_in_chinese(tmp_path):
    env = dict(os.environ, VIP_LANG="zh_CN", COLUMNS="200", VIP_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "vipcli", "import", "--help"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert "prices（价格）、loans（贷款）、cards（信用卡账单）或leads（销售线索）" in out.replace("\n", "").replace(" ", "")


def test_the_demo_imports_the_after_sales_extracts_and_shows_each_new_reason(tmp_path):
    env = dict(os.environ, VIP_HOME=str(tmp_path), VIP_LANG="en", COLUMNS="200")
    env.pop("VIP_DB", None)
    vip = [sys.executable, "-m", "vipcli"]
    built = subprocess.run([*vip, "quickstart"], env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "prices 424" in built.stdout and "loans 301" in built.stdout and "cards 957" in built.stdout
    env["VIP_DB"] = str(tmp_path / "demo.db")
    listed = subprocess.run([*vip, "--as", "S004", "due", "--all", "--json", "--as-of", "2026-11-27"],
                            env=env, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    kinds = {reason["kind"] for item in json.loads(listed.stdout)["items"] for reason in item["reasons"]}
    assert {"card_repayment", "loan_due", "loan_overdue", "nav_move", "stop_profit", "stop_loss",
            "dividend", "yield_change", "new_product"} <= kinds
    assert CARD[:6] not in listed.stdout.replace("622202******", "")  # every card number masked 6+4
