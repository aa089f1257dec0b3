"""§13 identity bound to something real, through the real `vip`: in mode os the staff member
mapped to the operating-system account acts and nobody else (exit 1, one line, nothing
changed); the staff file's os_user column maps accounts, once per account, set by an
operator only; the quickstart demo stays declared."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests import factories
from vipcli.db import models

STAFF = ["staff_id", "name", "role", "branch_id", "os_user"]


@pytest.fixture
def org(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.rows(engine, models.Staff, dict(staff_id="OP2", name="錢操作", role="operator",
                                              branch_id="B01", capacity=Decimal(1), active=True))
    return engine


def staff_csv(tmp_path: Path, *rows: tuple[str, ...]) -> str:
    return str(factories.write_csv(tmp_path / "staff.csv", STAFF, [list(r) for r in rows]))


def snapshot(engine) -> tuple:
    with engine.connect() as conn:
        staff = conn.execute(select(models.Staff.__table__).order_by(models.Staff.staff_id)).all()
        audit = conn.execute(select(func.count()).select_from(models.AuditLog)).scalar_one()
        contacts = conn.execute(select(func.count()).select_from(models.Contact)).scalar_one()
    return staff, audit, contacts


def test_os_mode_refuses_impersonation_with_one_line_and_changes_nothing(vip, org, as_account, tmp_path):
    factories.map_accounts(org, OP1="alice", H1="bob")
    as_account("alice")
    before = snapshot(org)
    new_manager = staff_csv(tmp_path, ("M9", "新經理", "account_manager", "O001", ""))
    for command in (("due",), ("import", "staff", new_manager)):
        refused = vip("--as", "H1", *command)
        assert refused.code == 1 and refused.out == ""
        assert refused.err.strip().splitlines() == [
            "error: the operating-system account alice is staff member 朱操作 OP1; it may not act as H1"]
    assert snapshot(org) == before
    assert vip("--as", "OP1", "audit", "--json").code == 0
    assert vip("audit", "--json").code == 0  # --as left out: the mapped OP1 acts


def test_os_mode_refusal_speaks_chinese(vip, org, as_account, monkeypatch):
    monkeypatch.setenv("VIP_LANG", "zh_CN")
    factories.map_accounts(org, M1="alice")
    as_account("alice")
    refused = vip("--as", "H1", "due")
    assert refused.code == 1
    assert refused.err.strip() == "错误：当前系统账号 alice 对应员工 李經理 M1，不能以 H1 身份操作"


def test_an_os_account_mapped_to_nobody_is_refused(vip, org, as_account):
    factories.map_accounts(org, M1="alice")
    as_account("mallory")
    refused = vip("--as", "M1", "due")
    assert refused.code == 1 and "Traceback" not in refused.err
    assert "account mallory is not mapped to any member of staff" in refused.err


def test_commands_that_need_no_identity_run_for_anyone(vip, org, as_account):
    factories.map_accounts(org, M1="alice")
    as_account("mallory")
    assert vip("config", "show").code == 0
    assert vip("db", "current").code == 0


def test_the_staff_file_maps_accounts_and_the_database_turns_to_os_mode(vip, tmp_path, db_url, as_account):
    """The bootstrap imports need no identity; once the staff file gives accounts, `--as`
    is checked against the operating-system account."""
    branches = factories.write_csv(tmp_path / "branches.csv", ["branch_id", "name", "parent_id", "level"],
                                   [["B01", "广西分行", "", "1"], ["B0101", "南宁分行", "B01", "2"],
                                    ["O001", "民族支行", "B0101", "3"]])
    assert vip("import", "branches", str(branches)).code == 0
    path = staff_csv(tmp_path, ("OP1", "朱操作", "operator", "B01", "ops"),
                     ("H1", "王主任", "branch_head", "O001", "head"),
                     ("M1", "李经理", "account_manager", "O001", ""))
    assert vip("import", "staff", path).code == 0
    as_account("head")
    assert vip("--as", "H1", "approvals", "--json").code == 0
    refused = vip("--as", "OP1", "audit")
    assert refused.code == 1 and "account head is staff member 王主任 H1" in refused.err


def test_two_staff_with_one_account_are_refused_naming_row_and_column(vip, org, tmp_path, as_account):
    factories.map_accounts(org, OP1="ops", M4="shared")
    as_account("ops")
    before = snapshot(org)
    path = staff_csv(tmp_path, ("M1", "李經理", "account_manager", "O001", "twice"),
                     ("M2", "張經理", "account_manager", "O001", "twice"),
                     ("M3", "劉經理", "account_manager", "O001", "shared"))
    result = vip("--as", "OP1", "import", "staff", path, "--json")
    assert result.code == 1
    errors = [(e["row"], e["column"], e["message"]) for e in result.json()["errors"]]
    assert errors == [
        (3, "os_user", "account twice is already the os_user of M1; one account belongs to one "
                       "member of staff (empty it there first)"),
        (4, "os_user", "account shared is already the os_user of M4; one account belongs to one "
                       "member of staff (empty it there first)"),
    ]
    assert snapshot(org) == before


def test_a_branch_head_cannot_set_or_change_an_os_user(vip, org, tmp_path, as_account):
    factories.map_accounts(org, H1="head", M2="zhang")
    as_account("head")
    before = snapshot(org)
    for row in (("M1", "李經理", "account_manager", "O001", "alice"),  # set
                ("M2", "張經理", "account_manager", "O001", "alice"),  # change
                ("M2", "張經理", "account_manager", "O001", ""),  # empty
                ("M9", "新經理", "account_manager", "O001", "alice")):  # a new one with an account
        result = vip("--as", "H1", "import", "staff", staff_csv(tmp_path, row))
        assert result.code == 1 and "nothing was imported" in result.err
        assert f"staff.csv row 2, column os_user: {row[0]}: only an operator sets or changes os_user" in result.err
    assert snapshot(org) == before
    same = vip("--as", "H1", "import", "staff",
               staff_csv(tmp_path, ("M2", "張經理", "account_manager", "O001", "zhang"),
                         ("M9", "新經理", "account_manager", "O001", "")))
    assert same.code == 0, same.err  # unchanged accounts and new staff without one pass


def test_an_operators_account_change_is_audited_before_and_after(vip, org, tmp_path, as_account):
    factories.map_accounts(org, OP1="ops", M2="zhang")
    as_account("ops")
    path = staff_csv(tmp_path, ("M2", "張經理", "account_manager", "O001", "zhang2"),
                     ("M1", "李經理", "account_manager", "O001", "li"))
    assert vip("--as", "OP1", "import", "staff", path).code == 0
    with org.connect() as conn:
        held = dict(conn.execute(select(models.Staff.staff_id, models.Staff.os_user)
                                 .where(models.Staff.staff_id.in_(["M1", "M2"]))).all())
        entries = conn.execute(select(models.AuditLog.actor_id, models.AuditLog.detail)
                               .where(models.AuditLog.action == "identity")).all()
    assert held == {"M1": "li", "M2": "zhang2"}
    changes = {json.loads(d)["staff_id"]: (actor, json.loads(d)["previous"], json.loads(d)["os_user"])
               for actor, d in entries}
    assert changes == {"M2": ("OP1", "zhang", "zhang2"), "M1": ("OP1", None, "li")}


def test_the_header_takes_the_chinese_column_name(vip, org, tmp_path, as_account):
    factories.map_accounts(org, OP1="ops")
    as_account("ops")
    path = factories.write_csv(tmp_path / "员工.csv", ["员工号", "姓名", "岗位", "网点号", "系统账号"],
                               [["M1", "李經理", "account_manager", "O001", "li"]])
    assert vip("--as", "OP1", "import", "staff", str(path)).code == 0
    with org.connect() as conn:
        assert conn.execute(select(models.Staff.os_user).where(models.Staff.staff_id == "M1")).scalar() == "li"


def test_the_real_os_account_is_bound_in_a_subprocess(tmp_path, engine, monkeypatch):
    """No monkeypatching: the account of this very process, as the password database says."""
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    me = pwd.getpwuid(os.geteuid()).pw_name
    factories.map_accounts(engine, H1=me)
    db = engine.url.render_as_string(hide_password=False)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "VIP_LANG": "en", "USER": "M1", "LOGNAME": "M1"}
        return subprocess.run([sys.executable, "-m", "vipcli", "--db", db, *args],
                              capture_output=True, text=True, env=env, timeout=120)

    assert run("--as", "H1", "approvals", "--json").returncode == 0
    assert run("approvals", "--json").returncode == 0
    refused = run("--as", "M1", "approvals")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == (f"error: the operating-system account {me} is staff member "
                                      "王主任 H1; it may not act as M1")


def test_the_quickstart_demo_stays_declared_even_under_an_os_rules_file(tmp_path, monkeypatch):
    from vipcli.cli.app import run

    rules = tmp_path / "rules.toml"
    rules.write_text('identity = "os"\n', encoding="utf-8")
    monkeypatch.setenv("VIP_RULES", str(rules))
    assert run(["quickstart", "--json"]) == 0
    monkeypatch.delenv("VIP_RULES")
    demo = Path(os.environ["VIP_HOME"]) / "demo.db"
    import sqlite3

    with sqlite3.connect(demo) as conn:
        assert conn.execute("SELECT value FROM db_settings WHERE key = 'identity_mode'").fetchone() == (
            "declared",)
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    assert run(["--db", str(demo), "--as", "S004", "approvals", "--json"]) == 0
