"""The §13 import attacks of issue 13 through the real CLI: each refused with one line naming
the file and row, exit 1, nothing written; bank-level roles wait for a second operator."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests import factories
from vipcli.db import models

STAFF = ["staff_id", "name", "role", "branch_id", "capacity", "active"]


@pytest.fixture
def org(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.rows(engine, models.Staff, dict(staff_id="OP2", name="錢操作", role="operator", branch_id="B01",
                                         capacity=Decimal(1), active=True))
    factories.customer(engine, "C2", branch_id="O002", manager_id="M4", phone="13912345678")
    return engine


def staff_csv(tmp_path: Path, *rows: tuple[str, ...], name: str = "staff.csv") -> str:
    return str(factories.write_csv(tmp_path / name, STAFF, [list(r) for r in rows]))


def snapshot(engine) -> tuple:
    """Everything an import could have touched."""
    with engine.connect() as conn:
        staff = conn.execute(select(models.Staff.__table__).order_by(models.Staff.staff_id)).all()
        customers = conn.execute(select(models.Customer.customer_id, models.Customer.branch_id, models.Customer.name)
                                 .order_by(models.Customer.customer_id)).all()
        grants = conn.execute(select(func.count()).select_from(models.RoleGrant)).scalar_one()
    return staff, customers, grants


def assert_refused(result, file: str, row: int, why: str) -> None:
    assert result.code == 1 and result.out == ""
    assert "Traceback" not in result.err
    line = next(line for line in result.err.splitlines() if line.startswith(f"{file} row {row}"))
    assert why in line
    assert "nothing was imported" in result.err


def test_a_branch_head_cannot_move_another_outlets_customer_in_and_reveal_it(vip, org, tmp_path):
    before = snapshot(org)
    path = str(factories.write_csv(tmp_path / "customers.csv", ["customer_id", "name", "branch_id"],
                                   [["C2", "歐陽明", "O001"]]))
    result = vip("--as", "H1", "import", "customers", path)
    assert_refused(result, "customers.csv", 2, "customer C2 belongs to outlet O002, not yours (O001)")
    assert snapshot(org) == before
    assert vip("--as", "H1", "customers", "--reveal", "--json").json() == []
    shown = vip("--as", "H1", "show", "C2", "--reveal", "--json")
    assert shown.code == 1 and "13912345678" not in shown.out + shown.err


@pytest.mark.parametrize("row, file_row, why", [
    (("X9", "冒充", "operator", "O001", "1", "true"), 2, "a branch head gives only the outlet roles"),
    (("M1", "李經理", "branch_head", "O001", "1", "true"), 2, "a branch head gives only the outlet roles"),
    (("M4", "吳經理", "account_manager", "O002", "1", "false"), 2, "belongs to outlet O002, not yours"),
    (("M4", "吳經理", "account_manager", "O001", "1", "false"), 2, "staff member M4 belongs to outlet O002"),
    (("OP1", "朱操作", "operator", "B01", "1", "false"), 2, "belongs to outlet B01, not yours"),
    (("H1", "王主任", "branch_head", "O001", "1", "false"), 2, "H1 is you"),
])
def test_a_branch_heads_staff_import_attacks_are_refused(vip, org, tmp_path, row, file_row, why):
    before = snapshot(org)
    good = ("M9", "新經理", "account_manager", "O001", "1", "true")  # all or nothing
    result = vip("--as", "H1", "import", "staff", staff_csv(tmp_path, good, row))
    assert_refused(result, "staff.csv", file_row + 1, why)
    assert snapshot(org) == before
    assert vip("--as", "M4", "due", "--json").code == 0  # M4 and OP1 still work
    assert vip("--as", "OP1", "audit", "--json").code == 0
    assert vip("--as", "M1", "approvals").code == 1  # not promoted


def test_refusals_are_json_errors_with_json(vip, org, tmp_path):
    path = staff_csv(tmp_path, ("X9", "冒充", "operator", "O001", "1", "true"))
    result = vip("--as", "H1", "import", "staff", path, "--json")
    assert result.code == 1
    [error] = result.json()["errors"]
    assert (error["row"], error["column"]) == (2, "role")


def test_an_operator_made_by_import_waits_for_a_second_operator(vip, org, tmp_path):
    path = staff_csv(tmp_path, ("OP9", "新操作", "operator", "B01", "1", "true"))
    imported = vip("--as", "OP1", "import", "staff", path, "--json")
    assert imported.code == 0, imported.err
    [grant] = imported.json()["pending_grants"]
    refused = vip("--as", "OP9", "audit")
    assert refused.code == 1 and "inactive" in refused.err
    assert vip("--as", "OP1", "approvals", "--json").json() == []
    listed = vip("--as", "OP2", "approvals", "--json").json()
    assert [(g["kind"], g["id"], g["staff_id"], g["role"]) for g in listed] == [
        ("role_grant", grant["id"], "OP9", "operator")]
    own = vip("--as", "OP1", "approve", str(grant["id"]))
    assert own.code == 1 and "needs a second operator: OP1 imported it" in own.err
    done = vip("--as", "OP2", "approve", str(grant["id"]), "--json")
    assert done.code == 0 and done.json()["status"] == "approved"
    assert vip("--as", "OP9", "audit", "--json").code == 0


def test_an_operators_import_tells_of_the_pending_grant_and_a_rejection_changes_nothing(vip, org, tmp_path):
    path = staff_csv(tmp_path, ("M1", "李經理", "branch_head", "O001", "1", "true"))
    imported = vip("--as", "OP1", "import", "staff", path)
    assert imported.code == 0, imported.err
    assert "M1 → Branch head waits for a second operator" in imported.err
    listed = vip("--as", "OP2", "approvals")
    assert "Role grants to decide (1)" in listed.out and "Account manager" in listed.out
    grant_id = vip("--as", "OP2", "approvals", "--json").json()[0]["id"]
    rejected = vip("--as", "OP2", "reject", str(grant_id), "--reason", "not yet")
    assert rejected.code == 0
    assert f"role grant {grant_id} (M1 → Branch head) rejected by OP2" in rejected.err
    assert vip("--as", "M1", "approvals").code == 1  # still an account manager


def test_a_branch_head_imports_its_own_outlets_staff(vip, org, tmp_path):
    path = staff_csv(tmp_path, ("H1", "王主任", "branch_head", "O001", "1", "true"),
                     ("M9", "新經理", "account_manager", "O001", "1", "true"),
                     ("M3", "劉經理", "account_manager", "O001", "1", "false"))
    result = vip("--as", "H1", "import", "staff", path, "--json")
    assert result.code == 0, result.err
    assert (result.json()["inserted"], result.json()["updated"]) == (1, 2)
    assert vip("--as", "M9", "due", "--json").code == 0
    assert vip("--as", "M3", "due").code == 1
