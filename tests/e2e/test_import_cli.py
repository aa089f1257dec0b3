"""`vip import` through the CLI: exit codes, the §15 JSON shapes, stderr for people."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> str:
    return str(factories.write_csv(path, header, rows, encoding))  # the CLI takes strings


def test_bootstrap_then_import_json_reports_counts(vip, tmp_path):
    branches = write_csv(tmp_path / "b.csv", ["機構號", "名稱", "上級機構", "層級"],
                         [["B01", "廣西分行", "", "一級分行"], ["O001", "民族支行", "B01", "網點"]])
    staff = write_csv(tmp_path / "s.csv", ["工號", "姓名", "崗位", "機構號"],
                      [["OP1", "朱操作", "操作員", "B01"], ["M1", "李經理", "客戶經理", "O001"]])
    result = vip("import", "branches", branches, "--json")
    assert result.code == 0
    assert result.json() == {"kind": "branches", "file": "b.csv", "rows": 2, "inserted": 2,
                             "updated": 0, "dry_run": False}
    assert vip("import", "staff", staff, "--json").json()["inserted"] == 2
    again = vip("--as", "OP1", "import", "staff", staff, "--json")
    assert (again.code, again.json()["inserted"], again.json()["updated"]) == (0, 0, 2)


def test_invalid_rows_exit_1_with_errors_json_on_stdout_and_one_summary_line_on_stderr(vip, engine, tmp_path):
    factories.org(engine)
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id", "birth_date"],
                     [["C1", "王", "O999", "1970-01-01"], ["C2", "李", "O001", "1970-02-30"]])
    result = vip("--as", "OP1", "import", "customers", path, "--json")
    assert result.code == 1
    assert result.json()["errors"] == [
        {"row": 2, "column": "branch_id", "message": "unknown branch 'O999'"},
        {"row": 3, "column": "birth_date", "message": "expected a date YYYY-MM-DD, got '1970-02-30'"},
    ]
    assert result.err.strip().count("\n") == 0
    assert "c.csv: 2 errors" in result.err and "header is row 1" in result.err
    assert vip("--as", "H1", "customers", "--json").json() == []


def test_invalid_rows_without_json_are_listed_on_stderr(vip, engine, tmp_path):
    factories.org(engine)
    path = write_csv(tmp_path / "a.csv", ["customer_id", "month", "avg_daily_assets"], [["C404", "2026-10", "1"]])
    result = vip("--as", "OP1", "import", "assets", path)
    assert result.code == 1
    assert result.out == ""
    assert "a.csv row 2, column customer_id: unknown customer 'C404'" in result.err


def test_dry_run_reports_and_writes_nothing(vip, engine, tmp_path):
    factories.org(engine)
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id", "manager_id"], [["C1", "王", "O001", "M1"]])
    result = vip("--as", "OP1", "import", "customers", path, "--dry-run", "--json")
    assert (result.code, result.json()["inserted"], result.json()["dry_run"]) == (0, 1, True)
    assert vip("--as", "M1", "customers", "--json").json() == []
    assert "would insert 1" in vip("--as", "OP1", "import", "customers", path, "--dry-run").err


def test_gbk_file_with_encoding_option(vip, engine, tmp_path):
    factories.org(engine)
    path = write_csv(tmp_path / "c.csv", ["客户号", "姓名", "网点号", "卡级"], [["C1", "张伟", "O001", "金卡"]], "gbk")
    result = vip("--as", "H1", "import", "customers", path, "--encoding", "gbk", "--json")
    assert (result.code, result.json()["inserted"]) == (0, 1)
    assert vip("--as", "H1", "customers", "--json").json()[0]["name"] == "张伟"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("import", "pets", "x.csv"), 1, "unknown import kind"),
        (("--as", "OP1", "import", "customers", "missing.csv"), 1, "no such file"),
        (("--as", "M1", "import", "customers", "FILE"), 1, "may not import customers"),
        (("import", "customers", "FILE"), 1, "needs to know who you are"),
        (("--as", "OP1", "import", "customers", "FILE", "--encoding", "latin-1"), 1, "unknown --encoding"),
    ],
)
def test_refusals_are_one_line_with_exit_1(vip, engine, tmp_path, args, code, message):
    factories.org(engine)
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"], [["C1", "王", "O001"]])
    args = tuple(path if a == "FILE" else str(tmp_path / a) if a.endswith(".csv") else a for a in args)
    result = vip(*args)
    assert result.code == code
    assert message in result.err
    assert "Traceback" not in result.err


def test_empty_file_is_refused(vip, engine, tmp_path):
    factories.org(engine)
    (tmp_path / "e.csv").write_text("")
    result = vip("--as", "OP1", "import", "customers", str(tmp_path / "e.csv"))
    assert result.code == 1 and "empty" in result.err


def test_progress_bar_goes_to_stderr_and_leaves_the_json_alone(vip, engine, tmp_path):
    factories.org(engine)
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"], [["C1", "王", "O001"]])
    result = vip("--as", "OP1", "import", "customers", path, "--progress", "--json")
    assert result.code == 0
    assert result.json()["inserted"] == 1
