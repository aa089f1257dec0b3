"""Imports through the service on a real database (SPEC §12, §13): encodings, xlsx, bad rows,
references, re-import, dry run, identity."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from tests import factories
from tests.factories import write_csv
from vipcli.db import models
from vipcli.errors import IdentityRequired, ImportRejected, PermissionDenied
from vipcli.services.imports.importer import import_file

CUSTOMER_HEADER = ["customer_id", "name", "gender", "birth_date", "phone", "occupation",
                   "orientation", "branch_id", "tier", "manager_id"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")




def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def fetch(engine, model, key):
    with engine.connect() as conn:
        return conn.execute(select(model.__table__).where(model.__table__.c[key[0]] == key[1])).one()


def rejected(ctx, kind, path, **kw) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        import_file(ctx, kind, path, **kw)
    return info.value


@pytest.fixture
def org(engine):
    factories.org(engine)
    return engine


# -- encodings and formats -----------------------------------------------------------------


def test_utf8_customers_are_inserted_with_status_and_signed_tier(org, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", CUSTOMER_HEADER, [
        ["C1", "歐陽明", "M", "1970-06-15", "13812345678", "executive", "value", "O001", "gold", "M1"],
        ["C2", "李華", "F", "", "", "", "", "O001", "", ""],
    ])
    result = import_file(ctx("OP1"), "customers", path)
    assert result == {"kind": "customers", "file": "c.csv", "rows": 2, "inserted": 2,
                      "updated": 0, "dry_run": False}
    c1, c2 = fetch(org, models.Customer, ("customer_id", "C1")), fetch(org, models.Customer, ("customer_id", "C2"))
    assert (c1.status, c1.signed_tier, c1.manager_id, c1.birth_date) == ("signed", "gold", "M1", dt.date(1970, 6, 15))
    assert (c2.status, c2.signed_tier, c2.manager_id, c2.occupation) == ("prospect", None, None, "other")


def test_utf8_with_bom_is_detected(org, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", ["客戶號", "姓名", "網點號"], [["C1", "王芳", "O001"]], "utf-8-sig")
    assert import_file(ctx("OP1"), "customers", path)["inserted"] == 1
    assert fetch(org, models.Customer, ("customer_id", "C1")).name == "王芳"


def test_gbk_with_chinese_headers_and_labels_in_both_scripts_is_detected(org, ctx, tmp_path):
    header = ["客户号", "姓名", "性别", "职业", "取向", "网点号", "卡级", "客户经理", "生日曆法"]
    path = write_csv(tmp_path / "c.csv", header, [
        ["C1", "张伟", "男", "企业高管", "价值取向", "O001", "钻石卡", "M1", "农历"],
        ["C2", "陳靜", "女", "學者專家", "關係取向", "O001", "白金卡", "M2", "公曆"],
    ], "gbk")
    assert import_file(ctx("OP1"), "customers", path)["inserted"] == 2
    c1, c2 = fetch(org, models.Customer, ("customer_id", "C1")), fetch(org, models.Customer, ("customer_id", "C2"))
    assert (c1.name, c1.gender, c1.occupation, c1.orientation, c1.signed_tier, c1.birthday_calendar) == (
        "张伟", "M", "executive", "value", "diamond", "lunar")
    assert (c2.name, c2.occupation, c2.orientation, c2.signed_tier) == ("陳靜", "expert", "relationship", "platinum")


def test_explicit_encoding_is_used(org, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", ["客户号", "姓名", "网点号"], [["C1", "刘洋", "O001"]], "gbk")
    assert import_file(ctx("OP1"), "customers", path, encoding="gbk")["inserted"] == 1
    with pytest.raises(ImportRejected, match="not valid UTF-8"):
        import_file(ctx("OP1"), "customers", path, encoding="utf-8")


def test_xlsx_products_with_date_and_number_cells(org, ctx, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["產品代碼", "產品名稱", "類別", "風險等級", "系列", "級別", "發行日期"])
    sheet.append(["P_JJB", "基金寶", "fund", "PR3", "fund", 2, dt.datetime(2007, 8, 1)])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["P_WSYH", "網上銀行", "e_banking", None, "e_banking", 1.0, dt.date(2002, 1, 1)])
    book.save(tmp_path / "products.xlsx")
    result = import_file(ctx("OP1"), "products", tmp_path / "products.xlsx")
    assert (result["rows"], result["inserted"]) == (2, 2)
    jjb = fetch(org, models.Product, ("product_code", "P_JJB"))
    assert (jjb.risk_rating, jjb.level, jjb.launched_on) == (3, 2, dt.date(2007, 8, 1))
    assert fetch(org, models.Product, ("product_code", "P_WSYH")).risk_rating is None


def test_xlsx_errors_name_the_sheet_row(org, ctx, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["product_code", "name", "category", "risk_rating"])
    sheet.append(["P1", "x", "fund", "PR1"])
    sheet.append([None])
    sheet.append(["P2", "y", "fund", "PR9"])
    book.save(tmp_path / "p.xlsx")
    error = rejected(ctx("OP1"), "products", tmp_path / "p.xlsx")
    assert error.details == [{"row": 4, "column": "risk_rating",
                              "message": "expected a risk rating PR1 to PR5 (or empty), got 'PR9'"}]


SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def test_the_bundled_sample_outlet_imports_cleanly_including_gbk_and_xlsx(engine, ctx):
    assert import_file(ctx(), "branches", SAMPLE / "branches.csv")["inserted"] > 0
    assert import_file(ctx(), "staff", SAMPLE / "staff.csv")["inserted"] > 0
    operator = ctx(_operator(engine))
    customers = import_file(operator, "customers", SAMPLE / "customers.csv")
    assert customers["inserted"] == customers["rows"] > 2000
    gbk = import_file(operator, "customers", SAMPLE / "customers_gbk.csv")
    assert gbk["rows"] > 0 and gbk["updated"] == gbk["rows"]
    xlsx = import_file(operator, "products", SAMPLE / "products.xlsx")
    assert xlsx["inserted"] == xlsx["rows"] > 20
    assert import_file(operator, "products", SAMPLE / "products.csv")["inserted"] == 0
    for kind, name in [("cross-sell", "cross_sell.csv"), ("holdings", "holdings.csv"),
                       ("transactions", "transactions.csv"), ("assets", "monthly_assets.csv")]:
        result = import_file(operator, kind, SAMPLE / name)
        assert result["inserted"] == result["rows"] > 0, kind


def _operator(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(select(models.Staff.staff_id).where(models.Staff.role == "operator")).scalars().first()


# -- bad rows: nothing written, every error named ------------------------------------------


def test_bad_rows_write_nothing_and_each_error_names_row_and_column(org, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", CUSTOMER_HEADER, [
        ["C1", "好", "M", "1970-01-01", "", "", "", "O001", "", ""],
        ["C2", "壞", "X", "1970-02-30", "", "", "", "O001", "銀卡", ""],
        ["C3", "", "F", "2027-01-01", "", "", "", "O001", "", ""],
    ])
    error = rejected(ctx("OP1"), "customers", path)
    assert count(org, models.Customer) == 0
    assert [(e["row"], e["column"]) for e in error.details] == [
        (3, "gender"), (3, "birth_date"), (3, "tier"), (4, "name"), (4, "birth_date")]
    assert "c.csv" in error.message and "header is row 1" in error.message


def test_errors_are_capped_with_the_total_counted(org, ctx, tmp_path):
    path = write_csv(tmp_path / "a.csv", ["customer_id", "month", "avg_daily_assets"],
                     [["C1", "2026-10", "1.234"]] * 150)
    error = rejected(ctx("OP1"), "assets", path)
    assert len(error.details) == 100
    assert error.error_count == 150
    assert "and 50 more" in error.message


def test_missing_required_columns_are_one_error(org, ctx, tmp_path):
    path = write_csv(tmp_path / "h.csv", ["customer_id", "maturity_date"], [["C1", "2027-01-01"]])
    error = rejected(ctx("OP1"), "holdings", path)
    assert error.details == [{"row": 1, "column": None, "message": error.details[0]["message"]}]
    assert "product_code, amount, start_date" in error.message


def test_a_bad_row_deep_in_a_large_asset_file_rolls_back_the_chunks_already_inserted(org, ctx, tmp_path):
    factories.customer(org, "C1")
    months = [f"{y}-{mo:02d}" for y in range(1950, 2027) for mo in range(1, 13) if f"{y}-{mo:02d}" <= "2026-11"]
    rows = [["C1", month, "100.00"] for _ in range(70) for month in months]  # repeats are upserts
    rows[60_500][2] = "12.345"
    path = write_csv(tmp_path / "a.csv", ["customer_id", "month", "avg_daily_assets"], rows)
    error = rejected(ctx("OP1"), "assets", path)
    assert error.details == [{"row": 60_502, "column": "avg_daily_assets",
                              "message": "expected at most 2 decimals, got '12.345'"}]
    assert count(org, models.MonthlyAsset) == 0


# -- references --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, header, row, column",
    [
        ("customers", ["customer_id", "name", "branch_id"], ["C9", "王", "O999"], "branch_id"),
        ("customers", ["customer_id", "name", "branch_id", "manager_id"], ["C9", "王", "O001", "M99"], "manager_id"),
        ("customers", ["customer_id", "name", "branch_id", "manager_id"], ["C9", "王", "O001", "M4"], "manager_id"),
        ("customers", ["customer_id", "name", "branch_id"], ["C9", "王", "B0101"], "branch_id"),
        ("staff", ["staff_id", "name", "role", "branch_id"], ["S9", "王", "teller", "O999"], "branch_id"),
        ("branches", ["branch_id", "name", "parent_id", "level"], ["O9", "新", "B99", "3"], "parent_id"),
        ("assets", ["customer_id", "month", "avg_daily_assets"], ["C404", "2026-10", "1.00"], "customer_id"),
        ("holdings", ["customer_id", "product_code", "amount", "start_date"], ["C1", "P404", "1.00", "2026-01-01"], "product_code"),
        ("transactions", ["txn_id", "customer_id", "date", "amount", "channel"], ["T1", "C404", "2026-11-01", "-1.00", "atm"], "customer_id"),
        ("cross-sell", ["held", "recommend", "kind"], ["P1", "P404", "cross"], "recommend"),
        ("cross-sell", ["held", "recommend", "kind"], ["nothing", "P1", "cross"], "held"),
    ],
)
def test_unknown_references_are_errors(org, ctx, tmp_path, kind, header, row, column):
    factories.customer(org, "C1")
    factories.rows(org, models.Product, dict(product_code="P1", name="基金寶", category="fund"))
    error = rejected(ctx("OP1"), kind, write_csv(tmp_path / "f.csv", header, [row]))
    assert [(e["row"], e["column"]) for e in error.details] == [(2, column)]


def test_references_may_be_satisfied_by_earlier_rows_of_the_same_file(org, ctx, tmp_path):
    path = write_csv(tmp_path / "b.csv", ["branch_id", "name", "parent_id", "level"], [
        ["B02", "廣東分行", "", "1"], ["B0201", "廣州分行", "B02", "2"], ["O201", "天河支行", "B0201", "3"]])
    assert import_file(ctx("OP1"), "branches", path)["inserted"] == 3
    later = write_csv(tmp_path / "b2.csv", ["branch_id", "name", "parent_id", "level"], [
        ["O301", "x", "B03", "3"], ["B03", "y", "", "1"]])
    assert rejected(ctx("OP1"), "branches", later).details[0]["row"] == 2


def test_an_unknown_customer_in_a_clean_asset_file_is_named_and_nothing_written(org, ctx, tmp_path):
    factories.customer(org, "C1")
    rows = [["C1", "2026-10", "1.00"], ["C2", "2026-10", "2.00"], ["C1", "2026-09", "3.00"]]
    error = rejected(ctx("OP1"), "assets", write_csv(tmp_path / "a.csv", ["customer_id", "month", "avg_daily_assets"], rows))
    assert error.details == [{"row": 3, "column": "customer_id", "message": "unknown customer 'C2'"}]
    assert count(org, models.MonthlyAsset) == 0


# -- upsert, dry run, first load ----------------------------------------------------------


def test_reimport_updates_every_row_and_changes_no_data(org, ctx, tmp_path):
    factories.customer(org, "C1")
    factories.rows(org, models.Product, dict(product_code="P1", name="基金寶", category="fund"))
    files = {
        "assets": write_csv(tmp_path / "a.csv", ["customer_id", "month", "avg_daily_assets"],
                            [["C1", "2026-09", "100000.00"], ["C1", "2026-10", "99999.99"]]),
        "holdings": write_csv(tmp_path / "h.csv", ["customer_id", "product_code", "amount", "start_date", "maturity_date"],
                              [["C1", "P1", "50000", "2026-01-05", "2027-01-05"]]),
        "transactions": write_csv(tmp_path / "t.csv", ["txn_id", "customer_id", "date", "amount", "channel"],
                                  [["T1", "C1", "2026-11-20", "-500000.00", "柜面"]]),
    }
    for kind, path in files.items():
        assert import_file(ctx("OP1"), kind, path)["inserted"] > 0
    snapshot = {model: _dump(org, model) for model in (models.MonthlyAsset, models.Holding, models.Transaction)}
    for kind, path in files.items():
        again = import_file(ctx("OP1"), kind, path)
        assert (again["inserted"], again["updated"]) == (0, again["rows"])
    assert {model: _dump(org, model) for model in snapshot} == snapshot
    assert snapshot[models.MonthlyAsset] == [("C1", "2026-09", 10_000_000), ("C1", "2026-10", 9_999_999)]


def _dump(engine, model):
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(model.__table__)))


def test_an_empty_manager_or_tier_in_the_extract_keeps_what_vip_holds(org, ctx, tmp_path):
    factories.customer(org, "C1", manager_id="M1", signed_tier="gold", status="signed")
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id", "tier", "manager_id", "phone"],
                     [["C1", "新名", "O001", "", "", "13900000000"]])
    assert import_file(ctx("OP1"), "customers", path)["updated"] == 1
    row = fetch(org, models.Customer, ("customer_id", "C1"))
    assert (row.name, row.phone_masked, row.manager_id, row.signed_tier, row.status) == (
        "新名", "139****0000", "M1", "gold", "signed")
    assert factories.revealed(org, "C1") == "13900000000"  # §13: stored sealed


def test_a_tier_in_the_extract_signs_a_prospect(org, ctx, tmp_path):
    factories.customer(org, "C1")
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id", "tier"], [["C1", "王", "O001", "白金卡"]])
    import_file(ctx("OP1"), "customers", path)
    row = fetch(org, models.Customer, ("customer_id", "C1"))
    assert (row.signed_tier, row.status) == ("platinum", "signed")


def test_dry_run_validates_and_counts_but_writes_nothing(org, ctx, tmp_path):
    factories.customer(org, "C1")
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"], [["C1", "王", "O001"], ["C2", "李", "O001"]])
    result = import_file(ctx("OP1"), "customers", path, dry_run=True)
    assert (result["inserted"], result["updated"], result["dry_run"]) == (1, 1, True)
    assert count(org, models.Customer) == 1
    assert count(org, models.AuditLog) == 0


def test_a_first_asset_load_keeps_the_month_index(org, ctx, tmp_path):
    factories.customer(org, "C1")
    path = write_csv(tmp_path / "a.csv", ["customer_id", "month", "avg_daily_assets"], [["C1", "2026-10", "1.00"]])
    import_file(ctx("OP1"), "assets", path)
    names = {ix["name"] for ix in inspect(org).get_indexes("monthly_assets")}
    assert "ix_monthly_assets_month" in names


def test_an_import_is_audited_once_with_its_counts(org, ctx, tmp_path):
    factories.customer(org, "C1")
    path = write_csv(tmp_path / "a.csv", ["customer_id", "month", "avg_daily_assets"],
                     [["C1", "2026-10", "1.00"], ["C1", "2026-09", "2.00"]])
    import_file(ctx("H1"), "assets", path)
    with org.connect() as conn:
        entries = conn.execute(select(models.AuditLog.actor_id, models.AuditLog.action, models.AuditLog.detail)).all()
    assert len(entries) == 1
    assert entries[0][:2] == ("H1", "import")
    assert json.loads(entries[0][2]) | {"dry_run": False} == {
        "kind": "assets", "file": "a.csv", "rows": 2, "inserted": 2, "updated": 0, "dry_run": False}


def test_staff_capacity_and_active_are_imported(org, ctx, tmp_path):
    path = write_csv(tmp_path / "s.csv", ["staff_id", "name", "role", "branch_id", "capacity", "active"],
                     [["M9", "新經理", "客戶經理", "O001", "0.5", "否"]])
    import_file(ctx("OP1"), "staff", path)
    row = fetch(org, models.Staff, ("staff_id", "M9"))
    assert (row.role, row.capacity, row.active) == ("account_manager", Decimal("0.50"), False)


# -- identity (§13) ----------------------------------------------------------------------


def test_bootstrap_branches_and_staff_need_no_identity_on_a_database_without_staff(engine, ctx, tmp_path):
    branches = write_csv(tmp_path / "b.csv", ["branch_id", "name", "parent_id", "level"],
                         [["B01", "廣西分行", "", "1"], ["O001", "民族支行", "B01", "3"]])
    staff = write_csv(tmp_path / "s.csv", ["staff_id", "name", "role", "branch_id"], [["OP1", "朱", "operator", "B01"]])
    assert import_file(ctx(), "branches", branches)["inserted"] == 2
    assert import_file(ctx(), "staff", staff)["inserted"] == 1
    with pytest.raises(IdentityRequired):
        import_file(ctx(), "staff", staff)


def test_customers_need_an_identity_even_on_an_empty_database(engine, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"], [["C1", "王", "O001"]])
    with pytest.raises(IdentityRequired):
        import_file(ctx(), "customers", path)


@pytest.mark.parametrize("who", ["M1", "L1", "AP1"])
def test_imports_need_an_operator_or_a_branch_head(org, ctx, tmp_path, who):
    path = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"], [["C1", "王", "O001"]])
    with pytest.raises(PermissionDenied):
        import_file(ctx(who), "customers", path)


def test_a_branch_head_imports_only_rows_of_its_own_outlet(org, ctx, tmp_path):
    factories.customer(org, "C2", branch_id="O002")
    customers = write_csv(tmp_path / "c.csv", ["customer_id", "name", "branch_id"], [["C1", "王", "O001"], ["C3", "李", "O002"]])
    error = rejected(ctx("H1"), "customers", customers)
    assert [(e["row"], e["column"]) for e in error.details] == [(3, "branch_id")]
    assets = write_csv(tmp_path / "a.csv", ["customer_id", "month", "avg_daily_assets"], [["C2", "2026-10", "1.00"]])
    assert rejected(ctx("H1"), "assets", assets).details[0]["message"].startswith("customer C2 belongs to outlet O002")
    assert import_file(ctx("H2"), "assets", assets)["inserted"] == 1


def test_a_branch_head_may_not_import_the_bank_wide_product_list(org, ctx, tmp_path):
    path = write_csv(tmp_path / "p.csv", ["product_code", "name", "category"], [["P1", "x", "fund"]])
    with pytest.raises(PermissionDenied, match="operator"):
        import_file(ctx("H1"), "products", path)


def test_a_manager_change_by_import_is_kept_as_assignment_history(engine, ctx, tmp_path):
    """§2: every assignment change is kept as history — one arriving in an extract too."""
    from sqlalchemy import select

    from tests import factories
    from vipcli.db.models import AssignmentHistory
    from vipcli.services.imports.importer import import_file

    factories.org(engine)
    header = "customer_id,name,gender,birth_date,occupation,orientation,branch_id,manager_id\n"
    first = tmp_path / "c1.csv"
    first.write_text(header + "C1,歐陽明,M,1970-06-15,executive,value,O001,M1\n", encoding="utf-8")
    import_file(ctx("OP1"), "customers", first)
    again = tmp_path / "c2.csv"
    again.write_text(header + "C1,歐陽明,M,1970-06-15,executive,value,O001,M2\n", encoding="utf-8")
    import_file(ctx("OP1"), "customers", again)
    import_file(ctx("OP1"), "customers", again)  # unchanged: no new history
    with engine.connect() as conn:
        rows = conn.execute(
            select(AssignmentHistory.from_staff_id, AssignmentHistory.to_staff_id,
                   AssignmentHistory.by_staff_id, AssignmentHistory.reason)
            .order_by(AssignmentHistory.id)
        ).all()
    assert [(r[0], r[1], r[2]) for r in rows] == [(None, "M1", "OP1"), ("M1", "M2", "OP1")]
    assert rows[1][3] == "import c2.csv"
