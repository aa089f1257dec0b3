"""§13 scope of imports: a branch head's import is judged on the row held and the row written;
bank-level roles wait for a second operator (maker-checker)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.factories import write_csv
from vipcli.db import models
from vipcli.errors import ImportRejected, NotFound, PermissionDenied, RuleViolation
from vipcli.services.core import grants
from vipcli.services.imports.importer import import_file
from vipcli.services.lifecycle import admission

STAFF = ["staff_id", "name", "role", "branch_id", "capacity", "active"]
CUSTOMERS = ["customer_id", "name", "branch_id"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")


@pytest.fixture
def org(engine):
    """The standard organisation, a second operator OP2 and a second branch head H3 at O001."""
    factories.org(engine)
    factories.rows(engine, models.Staff,
                   dict(staff_id="OP2", name="錢操作", role="operator", branch_id="B01",
                        capacity=Decimal(1), active=True),
                   dict(staff_id="H3", name="鄭副主任", role="branch_head", branch_id="O001",
                        capacity=Decimal(1), active=True))
    factories.customer(engine, "C2", branch_id="O002", manager_id="M4")
    return engine


def staff_row(engine, staff_id):
    with engine.connect() as conn:
        row = conn.execute(select(models.Staff.role, models.Staff.branch_id, models.Staff.active)
                           .where(models.Staff.staff_id == staff_id)).one_or_none()
    return None if row is None else tuple(row)


def grant_rows(engine):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(models.RoleGrant.staff_id, models.RoleGrant.role, models.RoleGrant.previous_role,
                   models.RoleGrant.requested_by, models.RoleGrant.status).order_by(models.RoleGrant.id))]


def refused(ctx, kind, path) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as info:
        import_file(ctx, kind, path)
    assert "nothing was imported" in info.value.message
    return [(e["row"], e["column"], e["message"]) for e in info.value.details]


def staff_file(tmp_path, *rows, name="s.csv"):
    return write_csv(tmp_path / name, STAFF, [list(r) for r in rows])


# -- a branch head: the row held and the row written ------------------------------------


def test_a_branch_head_cannot_move_another_outlets_customer_into_its_own(org, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", CUSTOMERS, [["C1", "王", "O001"], ["C2", "奪", "O001"]])
    [(row, column, message)] = refused(ctx("H1"), "customers", path)
    assert (row, column) == (3, "customer_id")
    assert message.startswith("customer C2 belongs to outlet O002, not yours (O001)")
    with org.connect() as conn:
        assert conn.execute(select(models.Customer.branch_id, models.Customer.name)
                            .where(models.Customer.customer_id == "C2")).one() == ("O002", "歐陽明")
        assert conn.execute(select(func.count()).select_from(models.Customer)).scalar_one() == 1


def test_the_operator_may_move_a_customer_between_outlets(org, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", CUSTOMERS, [["C2", "歐陽明", "O001"]])
    assert import_file(ctx("OP1"), "customers", path)["updated"] == 1


@pytest.mark.parametrize("kind, header, row", [
    ("assets", ["customer_id", "month", "avg_daily_assets"], ["C2", "2026-10", "1.00"]),
    ("transactions", ["txn_id", "customer_id", "date", "amount", "channel"],
     ["T1", "C2", "2026-10-01", "-5.00", "counter"]),
])
def test_a_branch_head_cannot_write_rows_of_another_outlets_customer(org, ctx, tmp_path, kind, header, row):
    path = write_csv(tmp_path / "x.csv", header, [row])
    [(number, column, message)] = refused(ctx("H1"), kind, path)
    assert (number, column) == (2, "customer_id") and "belongs to outlet O002" in message


@pytest.mark.parametrize("role", ["operator", "approver_l1", "approver_l2", "branch_head"])
def test_a_branch_head_cannot_create_staff_with_a_bank_level_role(org, ctx, tmp_path, role):
    path = staff_file(tmp_path, ("M9", "新人", "teller", "O001", "1", "true"),
                      ("X9", "冒充", role, "O001", "1", "true"))
    [(row, column, message)] = refused(ctx("H1"), "staff", path)
    assert (row, column) == (3, "role")
    assert "a branch head gives only the outlet roles" in message
    assert staff_row(org, "X9") is None and staff_row(org, "M9") is None


def test_a_branch_head_cannot_promote_its_own_staff_to_branch_head(org, ctx, tmp_path):
    path = staff_file(tmp_path, ("M1", "李經理", "branch_head", "O001", "1", "true"))
    [(_row, column, _message)] = refused(ctx("H1"), "staff", path)
    assert column == "role"
    assert staff_row(org, "M1") == ("account_manager", "O001", True)


@pytest.mark.parametrize("row, column, why", [
    (("M4", "吳經理", "account_manager", "O002", "1", "false"), "branch_id", "belongs to outlet O002"),
    (("M4", "吳經理", "account_manager", "O001", "1", "true"), "staff_id", "staff member M4 belongs to outlet O002"),
    (("OP1", "朱操作", "operator", "B01", "1", "false"), "branch_id", "belongs to outlet B01"),
    (("OP1", "朱操作", "teller", "O001", "1", "false"), "staff_id", "staff member OP1 belongs to outlet B01"),
    (("H3", "鄭副主任", "branch_head", "O001", "1", "false"), "role", "H3 is a Branch head"),
    (("H3", "鄭副主任", "teller", "O001", "1", "true"), "role", "H3 is a Branch head"),
    (("H1", "王主任", "branch_head", "O001", "1", "false"), "staff_id", "H1 is you"),
    (("H1", "王主任", "account_manager", "O001", "1", "true"), "staff_id", "H1 is you"),
])
def test_a_branch_head_cannot_change_other_outlets_staff_bank_level_staff_or_itself(
    org, ctx, tmp_path, row, column, why
):
    before = staff_row(org, row[0])
    [(number, found_column, message)] = refused(ctx("H1"), "staff", staff_file(tmp_path, row))
    assert (number, found_column) == (2, column) and why in message
    assert staff_row(org, row[0]) == before


def test_a_branch_head_manages_its_own_outlets_staff_and_may_list_itself_unchanged(org, ctx, tmp_path):
    path = staff_file(tmp_path,
                      ("H1", "王主任", "branch_head", "O001", "1", "true"),  # itself, unchanged
                      ("H3", "鄭副主任", "branch_head", "O001", "1.00", "true"),  # unchanged
                      ("M2", "張經理", "teller", "O001", "1", "true"),
                      ("M3", "劉經理", "account_manager", "O001", "1", "false"),
                      ("M9", "新經理", "advisor", "O001", "0.5", "true"))
    result = import_file(ctx("H1"), "staff", path)
    assert (result["inserted"], result["updated"], result["pending_grants"]) == (1, 4, [])
    assert staff_row(org, "M2") == ("teller", "O001", True)
    assert staff_row(org, "M3") == ("account_manager", "O001", False)
    assert staff_row(org, "M9") == ("advisor", "O001", True)
    assert grant_rows(org) == []


def test_a_branch_head_still_may_not_import_branches(org, ctx, tmp_path):
    path = write_csv(tmp_path / "b.csv", ["branch_id", "name", "parent_id", "level"], [["O009", "x", "B0101", "3"]])
    with pytest.raises(PermissionDenied, match="operator"):
        import_file(ctx("H1"), "branches", path)


# -- maker-checker: bank-level roles wait for a second operator ------------------------


def test_a_new_operator_is_written_inactive_until_a_second_operator_approves(org, ctx, tmp_path):
    path = staff_file(tmp_path, ("OP9", "新操作", "operator", "B01", "1", "true"))
    result = import_file(ctx("OP1"), "staff", path)
    [pending] = result["pending_grants"]
    assert (pending["staff_id"], pending["role"]) == ("OP9", "operator")
    assert staff_row(org, "OP9") == ("operator", "B01", False)
    with pytest.raises(PermissionDenied, match="inactive"):
        ctx("OP9").actor()
    assert admission.approvals(ctx("OP1")) == []  # not its own
    [listed] = admission.approvals(ctx("OP2"))
    assert (listed["kind"], listed["id"], listed["previous_role"], listed["source"]) == (
        "role_grant", pending["id"], None, "s.csv")
    with pytest.raises(PermissionDenied, match="second operator"):
        admission.approve(ctx("OP1"), pending["id"])
    done = admission.approve(ctx("OP2"), pending["id"])
    assert (done["status"], done["decided_by"]) == ("approved", "OP2")
    assert staff_row(org, "OP9") == ("operator", "B01", True)
    assert ctx("OP9").actor().role == "operator"
    with pytest.raises(RuleViolation, match="already approved"):
        admission.approve(ctx("OP2"), pending["id"])


@pytest.mark.parametrize("role", ["approver_l2", "branch_head"])
def test_promoting_existing_staff_keeps_the_old_role_until_approved(org, ctx, tmp_path, role):
    path = staff_file(tmp_path, ("M1", "李經理", role, "O001", "1", "true"))
    result = import_file(ctx("OP1"), "staff", path)
    assert (result["inserted"], result["updated"]) == (0, 1)
    assert staff_row(org, "M1") == ("account_manager", "O001", True)
    assert grant_rows(org) == [("M1", role, "account_manager", "OP1", "pending")]
    admission.approve(ctx("OP2"), result["pending_grants"][0]["id"])
    assert staff_row(org, "M1") == (role, "O001", True)


def test_a_rejected_grant_changes_no_staff_row(org, ctx, tmp_path):
    path = staff_file(tmp_path, ("M1", "李經理", "branch_head", "O001", "1", "true"))
    grant_id = import_file(ctx("OP1"), "staff", path)["pending_grants"][0]["id"]
    with pytest.raises(PermissionDenied, match="may not decide role grants"):
        grants.reject(ctx("H1"), grant_id, "no")
    done = admission.reject(ctx("OP2"), grant_id, "not this outlet's head")
    assert (done["status"], done["decision_reason"]) == ("rejected", "not this outlet's head")
    assert staff_row(org, "M1") == ("account_manager", "O001", True)
    assert admission.approvals(ctx("OP2")) == []


def test_reimporting_the_same_file_keeps_one_pending_grant(org, ctx, tmp_path):
    path = staff_file(tmp_path, ("OP9", "新操作", "operator", "B01", "1", "true"))
    first = import_file(ctx("OP1"), "staff", path)["pending_grants"]
    again = import_file(ctx("OP1"), "staff", path)["pending_grants"]
    assert first == again
    assert len(grant_rows(org)) == 1
    assert staff_row(org, "OP9") == ("operator", "B01", False)


def test_a_later_import_asking_otherwise_supersedes_the_pending_grant(org, ctx, tmp_path):
    grant_id = import_file(ctx("OP1"), "staff", staff_file(
        tmp_path, ("M1", "李經理", "branch_head", "O001", "1", "true")))["pending_grants"][0]["id"]
    import_file(ctx("OP1"), "staff", staff_file(
        tmp_path, ("M1", "李經理", "teller", "O001", "1", "true"), name="s2.csv"))
    assert grant_rows(org)[0][-1] == "superseded"
    with pytest.raises(RuleViolation, match="superseded"):
        admission.approve(ctx("OP2"), grant_id)
    assert staff_row(org, "M1") == ("teller", "O001", True)


def test_a_branch_heads_import_does_not_withdraw_an_operators_pending_grant(org, ctx, tmp_path):
    import_file(ctx("OP1"), "staff", staff_file(tmp_path, ("M1", "李經理", "branch_head", "O001", "1", "true")))
    outlet_list = staff_file(tmp_path, ("M1", "李經理", "account_manager", "O001", "1", "true"), name="o.csv")
    import_file(ctx("H1"), "staff", outlet_list)
    assert grant_rows(org)[0][-1] == "pending"


def test_reactivating_an_operator_is_a_grant_but_deactivating_one_is_not(org, ctx, tmp_path):
    off = staff_file(tmp_path, ("OP2", "錢操作", "operator", "B01", "1", "false"))
    assert import_file(ctx("OP1"), "staff", off)["pending_grants"] == []
    assert staff_row(org, "OP2") == ("operator", "B01", False)
    on = staff_file(tmp_path, ("OP2", "錢操作", "operator", "B01", "1", "true"), name="on.csv")
    assert len(import_file(ctx("OP1"), "staff", on)["pending_grants"]) == 1
    assert staff_row(org, "OP2") == ("operator", "B01", False)


def test_the_one_a_grant_is_for_may_not_approve_it(org, ctx, tmp_path):
    path = staff_file(tmp_path, ("OP2", "錢操作", "branch_head", "O002", "1", "true"))
    grant_id = import_file(ctx("OP1"), "staff", path)["pending_grants"][0]["id"]
    assert admission.approvals(ctx("OP2")) == []
    with pytest.raises(PermissionDenied, match="is the one it is for"):
        admission.approve(ctx("OP2"), grant_id)
    with pytest.raises(NotFound):
        admission.approve(ctx("OP2"), grant_id + 100)


@pytest.mark.parametrize("row, column", [
    (("OP1", "朱操作", "operator", "B01", "1", "false"), "active"),
    (("OP1", "朱操作", "branch_head", "O001", "1", "true"), "role"),
])
def test_an_operator_may_not_change_its_own_role_or_deactivate_itself(org, ctx, tmp_path, row, column):
    [(number, found, message)] = refused(ctx("OP1"), "staff", staff_file(tmp_path, row))
    assert (number, found) == (2, column) and "OP1 is you" in message
    assert staff_row(org, "OP1") == ("operator", "B01", True)


def test_a_dry_run_reports_the_grant_without_an_id_and_records_nothing(org, ctx, tmp_path):
    path = staff_file(tmp_path, ("OP9", "新操作", "operator", "B01", "1", "true"))
    result = import_file(ctx("OP1"), "staff", path, dry_run=True)
    assert result["pending_grants"] == [{"id": None, "staff_id": "OP9", "role": "operator"}]
    assert grant_rows(org) == [] and staff_row(org, "OP9") is None


def test_grants_and_their_decisions_are_audited(org, ctx, tmp_path):
    path = staff_file(tmp_path, ("OP9", "新操作", "operator", "B01", "1", "true"))
    grant_id = import_file(ctx("OP1"), "staff", path)["pending_grants"][0]["id"]
    admission.approve(ctx("OP2"), grant_id)
    with org.connect() as conn:
        entries = conn.execute(select(models.AuditLog.actor_id, models.AuditLog.action, models.AuditLog.detail)
                               .order_by(models.AuditLog.id)).all()
    actions = [(e.actor_id, e.action) for e in entries]
    assert actions == [("OP1", "role_grant_request"), ("OP1", "import"), ("OP2", "role_grant_approve")]
    assert json.loads(entries[2].detail)["staff_id"] == "OP9"


def test_the_bootstrap_gives_roles_directly(engine, ctx, tmp_path):
    branches = write_csv(tmp_path / "b.csv", ["branch_id", "name", "parent_id", "level"],
                         [["B01", "廣西分行", "", "1"], ["O001", "民族支行", "B01", "3"]])
    import_file(ctx(), "branches", branches)
    path = staff_file(tmp_path, ("OP1", "朱", "operator", "B01", "1", "true"),
                      ("H1", "王", "branch_head", "O001", "1", "true"))
    assert import_file(ctx(), "staff", path)["pending_grants"] == []
    assert staff_row(engine, "OP1") == ("operator", "B01", True)
    assert staff_row(engine, "H1") == ("branch_head", "O001", True)
    assert grant_rows(engine) == []


def test_approvers_do_not_see_role_grants(org, ctx, tmp_path):
    import_file(ctx("OP1"), "staff", staff_file(tmp_path, ("M2", "張經理", "branch_head", "O001", "1", "true")))
    assert [i["kind"] for i in admission.approvals(ctx("OP2"))] == ["role_grant"]
    assert admission.approvals(ctx("AP2")) == [] and admission.approvals(ctx("H1")) == []
