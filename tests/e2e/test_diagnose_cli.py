"""`vip diagnose` end to end (§18, §15), and the weekly export's chart (§7, §18 xlsx).

C1 (M1's, risk level 3 balanced) holds, on 2026-11-27: a deposit of 600,000.00; 100,000
units of the fund P_JJB whose latest nav on or before the day is 1.5000 (worth
150,000.00, cost 100,000.00); a bond of 50,000.00 (other); a mortgage (not an asset) and
a matured wealth product (not held any more). Its financial assets are 800,000.00:
deposit 0.7500, fund 0.1875, other 0.0625.
"""

from __future__ import annotations

import datetime as dt
import stat
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from vipcli.db import models

PRODUCTS = [
    ("P_DQCK", "定期存款", "deposit", None),
    ("P_LC2", "理财产品(稳健型)", "wealth", 2),
    ("P_LC4", "理财产品(进取型)", "wealth", 4),
    ("P_JJB", "基金宝", "fund", 3),
    ("P_FHBX", "分红型保险", "insurance", 2),
    ("P_HJ", "黄金", "precious_metal", 3),
    ("P_GZ", "国债", "bond", 1),
    ("P_AJDK", "普通按揭贷款", "loan", None),
]


def held(customer_id, code, amount_fen, *, units=None, start=dt.date(2026, 1, 5), maturity=None):
    return dict(customer_id=customer_id, product_code=code, start_date=start,
                amount_fen=amount_fen, units=units, maturity_date=maturity)


@pytest.fixture
def outlet(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.rows(engine, models.Product, *[
        dict(product_code=c, name=n, category=cat, risk_rating=r) for c, n, cat, r in PRODUCTS])
    factories.customer(engine, "C1", manager_id="M1", name="歐陽明")
    factories.customer(engine, "C2", manager_id="M2", name="張三")
    factories.customer(engine, "C3", manager_id="M1", name="李四")
    factories.rows(engine, models.Holding,
                   held("C1", "P_DQCK", 600_000_00),
                   held("C1", "P_JJB", 100_000_00, units=Decimal("100000")),
                   held("C1", "P_GZ", 50_000_00),
                   held("C1", "P_AJDK", 1_000_000_00),
                   held("C1", "P_LC2", 300_000_00, maturity=dt.date(2026, 11, 1)),
                   held("C3", "P_DQCK", 10_000_00))
    factories.rows(engine, models.Price,
                   dict(product_code="P_JJB", date=dt.date(2026, 11, 20), nav=Decimal("1.5000")),
                   dict(product_code="P_JJB", date=dt.date(2026, 11, 30), nav=Decimal("9.0000")))
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id="C1", level=3, assessed_on=dt.date(2026, 6, 1), valid_until=dt.date(2027, 6, 1),
        recorded_at=dt.datetime(2026, 6, 1)))
    return engine


def customer_row(engine, customer_id):
    with engine.connect() as conn:
        return conn.execute(select(models.Customer.last_diagnosis_on)
                            .where(models.Customer.customer_id == customer_id)).scalar_one()


def audited(engine, action):
    with engine.connect() as conn:
        return conn.execute(select(models.AuditLog.customer_id, models.AuditLog.detail)
                            .where(models.AuditLog.action == action)).all()


def test_diagnose_json_contract(outlet, vip):
    r = vip("--as", "M1", "diagnose", "C1", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["customer_id"] == "C1" and doc["risk_level"] == 3 and doc["total"] == "800000.00"
    assert doc["current"] == {"deposit": "0.7500", "wealth": "0.0000", "fund": "0.1875",
                              "insurance": "0.0000", "precious_metal": "0.0000", "other": "0.0625"}
    assert doc["model"] == {"deposit": "0.2500", "wealth": "0.3000", "fund": "0.2500",
                            "insurance": "0.1000", "precious_metal": "0.1000", "other": "0.0000"}
    assert doc["gaps"] == [{"category": "deposit", "gap": "-0.5000"},
                           {"category": "wealth", "gap": "0.3000"},
                           {"category": "insurance", "gap": "0.1000"},
                           {"category": "precious_metal", "gap": "0.1000"},
                           {"category": "fund", "gap": "0.0625"},
                           {"category": "other", "gap": "-0.0625"}]
    # suitable (P_LC4 is PR4 > level 3), not held (P_JJB), for an under-weight category
    assert doc["products"] == ["P_LC2", "P_FHBX", "P_HJ"]


def test_fund_holding_is_valued_at_units_times_the_latest_nav(outlet, vip):
    doc = vip("--as", "M1", "diagnose", "C1", "--json").json()
    assert doc["values"]["fund"] == "150000.00" and doc["values"]["other"] == "50000.00"


def test_diagnosis_is_recorded_and_audited(outlet, vip):
    assert customer_row(outlet, "C1") is None
    assert vip("--as", "M1", "diagnose", "C1").code == 0
    assert customer_row(outlet, "C1") == dt.date(2026, 11, 27)
    assert [c for c, _detail in audited(outlet, "diagnosis")] == ["C1"]


def test_terminal_shows_bars_gaps_and_products_by_name(outlet, vip):
    r = vip("--as", "M1", "diagnose", "C1")
    assert r.code == 0, r.err
    assert "Current" in r.out and "Model" in r.out and "█" in r.out and "75.00%" in r.out
    assert "Wealth products: under-weight by 30.00 points (now 0.00%, model 30.00%)" in r.out
    assert "Deposits: over-weight by 50.00 points" in r.out
    assert "理财产品(稳健型) P_LC2" in r.out and "PR2" in r.out


def test_terminal_in_chinese(outlet, vip, chinese):
    r = vip("--as", "M1", "diagnose", "C1")
    assert r.code == 0, r.err
    assert "存款" in r.out and "理财：低于模型配置 30.00 个百分点" in r.out


def test_branch_head_may_diagnose(outlet, vip):
    assert vip("--as", "H1", "diagnose", "C1", "--json").json()["customer_id"] == "C1"


def test_without_a_valid_assessment_refused_naming_risk_record(outlet, vip):
    r = vip("--as", "M1", "diagnose", "C3")
    assert r.code == 1 and r.out == ""
    assert "no valid risk assessment" in r.err and "vip risk record C3" in r.err
    assert customer_row(outlet, "C3") is None and audited(outlet, "diagnosis") == []


def test_another_managers_customer_refused(outlet, vip):
    r = vip("--as", "M2", "diagnose", "C1")
    assert r.code == 1 and "is not in the book of" in r.err
    assert customer_row(outlet, "C1") is None


def test_unknown_customer_refused(outlet, vip):
    r = vip("--as", "M1", "diagnose", "C404")
    assert r.code == 1 and "unknown customer 'C404'" in r.err


def test_output_writes_xlsx_with_a_native_clustered_chart(outlet, vip, tmp_path):
    path = tmp_path / "diagnosis.xlsx"
    r = vip("--as", "M1", "diagnose", "C1", "--output", str(path), "--json")
    assert r.code == 0, r.err
    assert r.json()["file"] == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sheet = load_workbook(path).active
    assert sheet.title == "Wealth diagnosis"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    (chart,) = sheet._charts
    assert (chart.type, chart.grouping) == ("col", "clustered")
    name = "'Wealth diagnosis'"
    assert [(s.tx.strRef.f, s.val.numRef.f) for s in chart.series] == [
        (f"{name}!B4", f"{name}!$B$5:$B$10"), (f"{name}!C4", f"{name}!$C$5:$C$10")]
    assert chart.series[0].cat.numRef.f == f"{name}!$A$5:$A$10"
    rows = {r[0]: r[1:4] for r in sheet.iter_rows(min_row=5, max_row=10, values_only=True)}
    assert rows["Deposits"] == (0.75, 0.25, -0.5) and rows["Funds"][0] == 0.1875
    assert [c for c, _d in audited(outlet, "export")] == ["C1"]


def test_output_refuses_an_existing_file_unless_force(outlet, vip, tmp_path):
    path = tmp_path / "diagnosis.xlsx"
    path.write_bytes(b"keep")
    r = vip("--as", "M1", "diagnose", "C1", "--output", str(path))
    assert r.code == 1 and "already exists" in r.err and path.read_bytes() == b"keep"
    assert customer_row(outlet, "C1") is None and audited(outlet, "diagnosis") == []
    assert vip("--as", "M1", "diagnose", "C1", "--output", str(path), "--force").code == 0
    assert load_workbook(path).active._charts


def test_output_in_a_missing_folder_is_made_like_every_export(outlet, vip, tmp_path):
    """Exports make missing folders 0700 (§12, core.files); a diagnosis follows them."""
    path = tmp_path / "new" / "diagnosis.xlsx"
    assert vip("--as", "M1", "diagnose", "C1", "--output", str(path)).code == 0
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700 and path.exists()


def test_output_under_a_file_refused_and_nothing_recorded(outlet, vip, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    r = vip("--as", "M1", "diagnose", "C1", "--output", str(blocker / "d.xlsx"))
    assert r.code == 1 and "is not a folder" in r.err
    assert customer_row(outlet, "C1") is None and audited(outlet, "export") == []


def test_no_file_when_the_diagnosis_is_refused(outlet, vip, tmp_path):
    path = tmp_path / "c3.xlsx"
    r = vip("--as", "M1", "diagnose", "C3", "--output", str(path))
    assert r.code == 1 and not path.exists()


# --- `vip export weekly --format xlsx`: the chart of each manager against the targets ---


def test_weekly_xlsx_has_a_chart_of_each_manager_against_the_targets(outlet, vip, tmp_path):
    assert vip("--as", "H1", "target", "set", "--week", "2026-W48", "--staff", "M1",
               "--contacts", "12", "--opps-won", "2").code == 0
    assert vip("--as", "M1", "log-contact", "C1", "--channel", "phone", "--purpose", "call",
               "--summary", "fine").code == 0
    path = tmp_path / "weekly.xlsx"
    r = vip("--as", "H1", "export", "weekly", "--week", "2026-W48", "--format", "xlsx",
            "--output", str(path))
    assert r.code == 0, r.err
    book = load_workbook(path)
    assert book.sheetnames == ["export", "Chart"]
    sheet = book["Chart"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Staff member", "Customers contacted", "Target: Customers contacted",
                       "Opportunities won", "Target: Opportunities won")
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["李經理 M1"] == (1, 12, 0, 2)
    assert by_name["張經理 M2"] == (0, 10, 0, None)  # the weekly contact rule (§5)
    last = len(rows)
    contacts, won = sheet._charts
    assert (contacts.type, contacts.grouping) == ("col", "clustered")
    assert [(s.tx.strRef.f, s.val.numRef.f) for s in contacts.series] == [
        ("'Chart'!B1", f"'Chart'!$B$2:$B${last}"), ("'Chart'!C1", f"'Chart'!$C$2:$C${last}")]
    assert [s.val.numRef.f for s in won.series] == [f"'Chart'!$D$2:$D${last}",
                                                    f"'Chart'!$E$2:$E${last}"]
    assert contacts.series[0].cat.numRef.f == f"'Chart'!$A$2:$A${last}"
