"""Issue 15 (SPEC §12): the prices, loans and cards extracts and the units of a holding, through
the import service on both engines — happy paths, a bad row named by row and column, card
numbers masked 6+4 in every message, xlsx and GBK with Chinese headers, upsert, the bulk
path's fallback, scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.factories import write_csv
from vipcli.db import models
from vipcli.errors import ImportRejected, PermissionDenied
from vipcli.services.imports.importer import import_file

PRICE_HEADER = ["product_code", "date", "nav", "yield", "dividend"]
LOAN_HEADER = ["loan_id", "customer_id", "product", "principal", "balance", "due_date",
               "overdue_days", "overdue_amount"]
CARD_HEADER = ["card_no", "customer_id", "statement_date", "due_date", "amount_due", "min_due", "paid"]
CARD = "6222021234567890"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")


@pytest.fixture
def org(engine):
    factories.org(engine)
    factories.customer(engine, "C1")
    factories.customer(engine, "C2", branch_id="O002")
    factories.rows(engine, models.Product,
                   dict(product_code="P_JJB", name="基金宝", category="fund", risk_rating=3),
                   dict(product_code="P_LC3", name="理财产品(平衡型)", category="wealth", risk_rating=3))
    return engine


def rejected(ctx, kind, path, **kw) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        import_file(ctx, kind, path, **kw)
    return info.value


def all_rows(engine, model):
    table = model.__table__
    with engine.connect() as conn:
        return conn.execute(select(table).order_by(*table.primary_key.columns)).all()


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


# -- prices ----------------------------------------------------------------------------------


def test_prices_keep_nav_to_4_decimals_yield_to_2_and_empty_figures_as_none(org, ctx, tmp_path):
    path = write_csv(tmp_path / "p.csv", PRICE_HEADER, [
        ["P_JJB", "2026-11-25", "1.2345", "", ""],
        ["P_JJB", "2026-11-26", "1.3", "", "0.0150"],
        ["P_LC3", "2026-11-26", "", "-0.25", ""],
    ])
    result = import_file(ctx("OP1"), "prices", path)
    assert (result["kind"], result["rows"], result["inserted"], result["updated"]) == ("prices", 3, 3, 0)
    rows = all_rows(org, models.Price)
    assert [(r.product_code, r.date, r.nav, r.yield_pct, r.dividend) for r in rows] == [
        ("P_JJB", dt.date(2026, 11, 25), Decimal("1.2345"), None, None),
        ("P_JJB", dt.date(2026, 11, 26), Decimal("1.3000"), None, Decimal("0.0150")),
        ("P_LC3", dt.date(2026, 11, 26), None, Decimal("-0.25"), None),
    ]


def test_prices_reimported_are_upserted_by_product_and_date(org, ctx, tmp_path):
    first = write_csv(tmp_path / "p1.csv", PRICE_HEADER, [["P_JJB", "2026-11-26", "1.0000", "", ""]])
    second = write_csv(tmp_path / "p2.csv", PRICE_HEADER, [["P_JJB", "2026-11-26", "1.0100", "", ""],
                                                        ["P_JJB", "2026-11-27", "1.0200", "", ""]])
    import_file(ctx("OP1"), "prices", first)
    result = import_file(ctx("OP1"), "prices", second)
    assert (result["inserted"], result["updated"]) == (1, 1)
    assert [r.nav for r in all_rows(org, models.Price)] == [Decimal("1.0100"), Decimal("1.0200")]


@pytest.mark.parametrize("row, column, message", [
    (["P_JJB", "2026-11-26", "1.23456", "", ""], "nav",
     "expected a number of 0 or more with at most 4 decimals, got '1.23456'"),
    (["P_JJB", "2026-11-26", "-1", "", ""], "nav",
     "expected a number of 0 or more with at most 4 decimals, got '-1'"),
    (["P_LC3", "2026-11-26", "", "3.855", ""], "yield", "expected a number with at most 2 decimals, got '3.855'"),
    (["P_LC3", "2026-11-26", "", "", ""], "nav", "expected at least one of nav, yield or dividend"),
    (["P_404", "2026-11-26", "1.0", "", ""], "product_code", "unknown product 'P_404'"),
    (["P_JJB", "2026-02-30", "1.0", "", ""], "date", "expected a date YYYY-MM-DD, got '2026-02-30'"),
])
def test_a_bad_price_row_is_named_by_row_and_column_and_nothing_is_written(org, ctx, tmp_path, row, column, message):
    path = write_csv(tmp_path / "p.csv", PRICE_HEADER, [["P_JJB", "2026-11-25", "1.0", "", ""], row])
    error = rejected(ctx("OP1"), "prices", path)
    assert error.details == [{"row": 3, "column": column, "message": message}]
    assert count(org, models.Price) == 0


def test_prices_from_xlsx_with_chinese_headers(org, ctx, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["產品代碼", "淨值日期", "單位淨值", "七日年化", "分红"])
    sheet.append(["P_JJB", dt.datetime(2026, 11, 26), 1.2345, None, None])
    sheet.append(["P_LC3", dt.date(2026, 11, 26), None, 3.85, None])
    book.save(tmp_path / "p.xlsx")
    assert import_file(ctx("OP1"), "prices", tmp_path / "p.xlsx")["inserted"] == 2
    rows = all_rows(org, models.Price)
    assert [(r.product_code, r.nav, r.yield_pct) for r in rows] == [
        ("P_JJB", Decimal("1.2345"), None), ("P_LC3", None, Decimal("3.85"))]


def test_a_branch_head_may_not_import_the_bank_wide_prices(org, ctx, tmp_path):
    path = write_csv(tmp_path / "p.csv", PRICE_HEADER, [["P_JJB", "2026-11-26", "1.0", "", ""]])
    with pytest.raises(PermissionDenied, match="operator"):
        import_file(ctx("H1"), "prices", path)


def test_a_big_clean_price_file_goes_in_and_a_bad_row_deep_in_it_rolls_everything_back(org, ctx, tmp_path):
    days = [dt.date(2000, 1, 1) + dt.timedelta(days=n) for n in range(9_500)]
    rows = [[code, day.isoformat(), "1.0001", "", ""] for code in ("P_JJB", "P_LC3") for day in days]
    rows += [["P_JJB", "1999-12-31", "1.0001", "", ""]] * 50_000  # repeats are upserts: a second chunk
    path = write_csv(tmp_path / "p.csv", PRICE_HEADER, rows)
    assert import_file(ctx("OP1"), "prices", path)["inserted"] == 19_001
    rows[60_000] = ["P_404", "1999-12-31", "1.0", "", ""]
    bad = write_csv(tmp_path / "bad.csv", PRICE_HEADER, rows)
    error = rejected(ctx("OP1"), "prices", bad)
    assert error.details == [{"row": 60_002, "column": "product_code", "message": "unknown product 'P_404'"}]
    assert count(org, models.Price) == 19_001


# -- loans -----------------------------------------------------------------------------------


def test_loans_are_imported_in_fen_and_upserted_by_loan_id(org, ctx, tmp_path):
    path = write_csv(tmp_path / "l.csv", LOAN_HEADER, [
        ["L1", "C1", "个人住房贷款", "500000.00", "320000.50", "2026-12-05", "0", "0"],
        ["L2", "C1", "消费贷", "50000", "12000.00", "", "7", "1500.01"],
        ["L3", "C2", "", "1.00", "0.00", "2026-11-01", "", ""],
    ])
    assert import_file(ctx("OP1"), "loans", path)["inserted"] == 3
    rows = {r.loan_id: r for r in all_rows(org, models.Loan)}
    assert (rows["L1"].principal_fen, rows["L1"].balance_fen, rows["L1"].due_date) == (
        50_000_000, 32_000_050, dt.date(2026, 12, 5))
    assert (rows["L2"].overdue_days, rows["L2"].overdue_amount_fen, rows["L2"].due_date) == (7, 150_001, None)
    assert (rows["L3"].product, rows["L3"].overdue_days, rows["L3"].overdue_amount_fen) == (None, 0, 0)
    again = write_csv(tmp_path / "l2.csv", ["loan_id", "customer_id", "principal", "balance"],
                      [["L1", "C1", "500000.00", "310000.00"]])
    result = import_file(ctx("OP1"), "loans", again)
    assert (result["inserted"], result["updated"]) == (0, 1)
    l1 = {r.loan_id: r for r in all_rows(org, models.Loan)}["L1"]
    assert (l1.balance_fen, l1.product, l1.due_date) == (31_000_000, "个人住房贷款", dt.date(2026, 12, 5))


@pytest.mark.parametrize("row, column, message", [
    (["L9", "C404", "x", "1.00", "1.00", "", "0", "0"], "customer_id", "unknown customer 'C404'"),
    (["L9", "C1", "x", "1.001", "1.00", "", "0", "0"], "principal", "expected at most 2 decimals, got '1.001'"),
    (["L9", "C1", "x", "1.00", "-1.00", "", "0", "0"], "balance", "expected an amount of 0 or more, got '-1.00'"),
    (["L9", "C1", "x", "1.00", "1.00", "", "-3", "0"], "overdue_days",
     "expected a whole number from 0 to 36500, got '-3'"),
    (["L9", "C1", "x", "1.00", "1.00", "", "0", "5.00"], "overdue_days",
     "an overdue amount needs its days overdue (1 or more)"),
])
def test_a_bad_loan_row_is_named_by_row_and_column(org, ctx, tmp_path, row, column, message):
    path = write_csv(tmp_path / "l.csv", LOAN_HEADER, [["L1", "C1", "x", "1.00", "1.00", "", "0", "0"], row])
    error = rejected(ctx("OP1"), "loans", path)
    assert error.details == [{"row": 3, "column": column, "message": message}]
    assert count(org, models.Loan) == 0


def test_loans_in_gbk_with_chinese_headers_in_both_scripts(org, ctx, tmp_path):
    header = ["貸款號", "客户号", "贷款产品", "本金", "貸款餘額", "到期日", "逾期天數", "逾期金额"]
    path = write_csv(tmp_path / "l.csv", header, [["L1", "C1", "汽车贷款", "80000.00", "20000.00",
                                                   "2026-12-01", "3", "900.00"]], "gbk")
    assert import_file(ctx("OP1"), "loans", path)["inserted"] == 1
    loan = all_rows(org, models.Loan)[0]
    assert (loan.product, loan.balance_fen, loan.due_date, loan.overdue_days) == (
        "汽车贷款", 2_000_000, dt.date(2026, 12, 1), 3)


def test_a_branch_head_imports_loans_of_its_own_outlet_only(org, ctx, tmp_path):
    theirs = write_csv(tmp_path / "l.csv", LOAN_HEADER, [["L2", "C2", "x", "1.00", "1.00", "", "0", "0"]])
    assert rejected(ctx("H1"), "loans", theirs).details[0]["message"].startswith("customer C2 belongs to outlet O002")
    assert import_file(ctx("H2"), "loans", theirs)["inserted"] == 1
    moved = write_csv(tmp_path / "m.csv", LOAN_HEADER, [["L2", "C1", "x", "1.00", "1.00", "", "0", "0"]])
    error = rejected(ctx("H1"), "loans", moved)
    assert [(e["column"], e["message"][:26]) for e in error.details] == [("loan_id", "loan L2 belongs to outlet ")]


# -- cards -----------------------------------------------------------------------------------


def test_card_statements_are_imported_with_the_number_without_spaces(org, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", CARD_HEADER, [
        ["6222 0212 3456 7890", "C1", "2026-11-05", "2026-11-25", "8000.00", "800.00", "0"],
        [CARD, "C1", "2026-10-05", "2026-10-25", "-12.50", "0", "100.00"],
    ])
    assert import_file(ctx("OP1"), "cards", path)["inserted"] == 2
    rows = all_rows(org, models.CardStatement)
    assert [(r.card_no, r.statement_date, r.amount_due_fen, r.min_due_fen, r.paid_fen) for r in rows] == [
        (CARD, dt.date(2026, 10, 5), -1250, 0, 10_000),
        (CARD, dt.date(2026, 11, 5), 800_000, 80_000, 0),
    ]
    again = write_csv(tmp_path / "c2.csv", CARD_HEADER, [[CARD, "C1", "2026-11-05", "2026-11-25", "8000.00",
                                                        "800.00", "8000.00"]])
    result = import_file(ctx("OP1"), "cards", again)
    assert (result["inserted"], result["updated"]) == (0, 1)
    assert all_rows(org, models.CardStatement)[1].paid_fen == 800_000


def test_a_bad_card_number_is_shown_masked_6_plus_4_never_in_clear(org, ctx, tmp_path):
    long_number = "62220212345678901234"
    path = write_csv(tmp_path / "c.csv", CARD_HEADER, [
        [long_number, "C1", "2026-11-05", "2026-11-25", "1.00", "0.10", "0"],
        [CARD, "C1", "2026-11-05", "2026-11-01", "1.00", "0.10", "0"],
    ])
    error = rejected(ctx("OP1"), "cards", path)
    assert error.details == [
        {"row": 2, "column": "card_no",
         "message": "expected a card number of 12 to 19 digits, got '622202**********1234'"},
        {"row": 3, "column": "due_date", "message": "expected a due date on or after the statement date 2026-11-05"},
    ]
    assert long_number not in str(error.details) and long_number not in error.message
    assert count(org, models.CardStatement) == 0


def test_a_card_moved_by_a_branch_head_names_the_card_masked(org, ctx, tmp_path):
    path = write_csv(tmp_path / "c.csv", CARD_HEADER, [[CARD, "C2", "2026-11-05", "2026-11-25", "1.00", "0.10", "0"]])
    import_file(ctx("OP1"), "cards", path)
    moved = write_csv(tmp_path / "m.csv", CARD_HEADER, [[CARD, "C1", "2026-12-05", "2026-12-25", "1.00", "0.10", "0"]])
    error = rejected(ctx("H1"), "cards", moved)
    assert error.details[0]["column"] == "card_no"
    assert error.details[0]["message"].startswith("card 622202******7890 belongs to outlet O002")
    assert CARD not in str(error.details)


def test_cards_in_gbk_with_chinese_headers(org, ctx, tmp_path):
    header = ["卡號", "客户号", "账单日", "到期还款日", "本期应还", "最低還款額", "已还金额"]
    path = write_csv(tmp_path / "c.csv", header, [[CARD, "C1", "2026-11-05", "2026-11-25", "100.00", "10.00", "5"]],
                     "gbk")
    assert import_file(ctx("OP1"), "cards", path)["inserted"] == 1
    assert all_rows(org, models.CardStatement)[0].paid_fen == 500


# -- holdings: units -------------------------------------------------------------------------


def test_holdings_units_are_optional_and_kept_to_4_decimals(org, ctx, tmp_path):
    without = write_csv(tmp_path / "h1.csv", ["customer_id", "product_code", "amount", "start_date"],
                        [["C1", "P_LC3", "10000.00", "2026-01-01"]])
    import_file(ctx("OP1"), "holdings", without)
    with_units = write_csv(tmp_path / "h2.csv", ["客户号", "产品代码", "金额", "起始日", "份额"],
                           [["C1", "P_JJB", "10000.00", "2026-01-01", "8123.4567"]])
    import_file(ctx("OP1"), "holdings", with_units)
    rows = {r.product_code: r for r in all_rows(org, models.Holding)}
    assert (rows["P_LC3"].units, rows["P_JJB"].units) == (None, Decimal("8123.4567"))
    bad = write_csv(tmp_path / "h3.csv", ["customer_id", "product_code", "amount", "start_date", "units"],
                    [["C1", "P_JJB", "10000.00", "2026-01-01", "1.23456"]])
    assert rejected(ctx("OP1"), "holdings", bad).details[0]["column"] == "units"
