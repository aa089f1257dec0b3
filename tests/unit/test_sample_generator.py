"""Tests of the synthetic data generator (sample_data/generate.py) and the committed sample."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_data"


def _load_generator():
    spec = importlib.util.spec_from_file_location("vip_sample_generate", SAMPLE_DIR / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


gen = _load_generator()

# Columns as written in SPEC §12 (import kinds) and the brief (quickstart-only files);
# deliberately a separate copy from generate.HEADERS.
SPEC_COLUMNS = {
    "branches": "branch_id,name,parent_id,level",
    "staff": "staff_id,name,role,branch_id,capacity,active",
    "customers": "customer_id,name,gender,birth_date,birthday_calendar,phone,id_number,"
    "occupation,orientation,preferred_channel,branch_id,tier,tier_since,manager_id,source",
    "monthly_assets": "customer_id,month,avg_daily_assets",
    "products": "product_code,name,category,risk_rating,series,level,launched_on",
    "cross_sell": "held,recommend,kind",
    "holdings": "customer_id,product_code,amount,start_date,maturity_date,units",
    "transactions": "txn_id,customer_id,date,amount,channel",
    "contacts": "contact_id,customer_id,staff_id,contacted_at,channel,purpose,summary",
    "risk_assessments": "customer_id,level,assessed_on",
    "anniversaries": "customer_id,label,date",
    # issue 15 (§12): the after-sales extracts
    "prices": "product_code,date,nav,yield,dividend",
    "loans": "loan_id,customer_id,product,principal,balance,due_date,overdue_days,overdue_amount",
    "cards": "card_no,customer_id,statement_date,due_date,amount_due,min_due,paid",
}
# §16: the sample extract speaks Simplified Chinese; its labels alternate both scripts (accepted input).
GBK_HEADER = "客户号,姓名,性别,出生日期,生日历法,手机号,证件号,职业,取向,偏好渠道,网点号,卡级,签约日期,客户经理,来源"
MONEY = re.compile(r"^-?\d+\.\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REF = dt.date(2026, 11, 27)

ROLES = {
    "branch_head",
    "account_manager",
    "advisor",
    "lobby_manager",
    "teller",
    "approver_l2",
    "approver_l1",
    "operator",
}
OCCUPATIONS = {
    "government_official",
    "civil_servant",
    "executive",
    "middle_manager",
    "private_entrepreneur",
    "expert",
    "celebrity",
    "homemaker",
    "other",
}
SOURCES = {"pcrm_screening", "lobby_lead", "activity", "referral", "handover", "other"}
CATEGORIES = {
    "deposit",
    "loan",
    "fund",
    "wealth",
    "insurance",
    "bond",
    "card",
    "e_banking",
    "service",
    "precious_metal",
}


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict[str, Path]:
    return gen.generate(
        tmp_path_factory.mktemp("small"),
        customers=300,
        seed=7,
        months=14,
        end_month="2026-10",
        contacts_per_customer=3,
    )


@pytest.fixture(scope="module")
def default_set(tmp_path_factory) -> dict[str, Path]:
    return gen.generate(tmp_path_factory.mktemp("default"))


def test_same_seed_is_byte_identical(small, tmp_path):
    again = gen.generate(
        tmp_path / "again",
        customers=300,
        seed=7,
        months=14,
        end_month="2026-10",
        contacts_per_customer=3,
    )
    assert sorted(p.name for p in small.values()) == sorted(p.name for p in again.values())
    for kind, path in small.items():
        assert path.read_bytes() == again[kind].read_bytes(), kind
    other = gen.generate(
        tmp_path / "other",
        customers=300,
        seed=8,
        months=14,
        end_month="2026-10",
        contacts_per_customer=3,
    )
    assert other["customers"].read_bytes() != small["customers"].read_bytes()


def test_headers_match_spec(small):
    for kind, header in SPEC_COLUMNS.items():
        with open(small[kind], encoding="utf-8", newline="") as fh:
            first = fh.readline()
        assert first == header + "\n", kind
    raw = small["customers_gbk"].read_bytes()
    assert raw.decode("gbk").split("\n", 1)[0] == GBK_HEADER
    from openpyxl import load_workbook

    ws = load_workbook(small["products_xlsx"]).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert ",".join(rows[0]) == SPEC_COLUMNS["products"]
    assert all(isinstance(r[6], dt.datetime | dt.date) for r in rows[1:])
    assert [r[0] for r in rows[1:]] == [p["product_code"] for p in _read(small["products"])]


def test_csv_format_line_endings_and_quoting(small):
    """Every CSV is UTF-8 with \\n endings and equals what the csv module writes for its rows."""
    for kind in SPEC_COLUMNS:
        text = small[kind].read_bytes().decode("utf-8")
        assert "\r" not in text and text.endswith("\n"), kind
        rows = list(csv.reader(io.StringIO(text, newline="")))
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\n").writerows(rows)
        assert buf.getvalue() == text, kind
        width = len(rows[0])
        assert all(len(r) == width for r in rows), kind


def test_referential_integrity(small):
    branches = {b["branch_id"]: b for b in _read(small["branches"])}
    staff = {s["staff_id"]: s for s in _read(small["staff"])}
    customers = {c["customer_id"]: c for c in _read(small["customers"])}
    products = {p["product_code"]: p for p in _read(small["products"])}
    for b in branches.values():
        assert b["level"] in {"1", "2", "3"}
        assert (b["parent_id"] == "") == (b["level"] == "1")
        if b["parent_id"]:
            assert int(branches[b["parent_id"]]["level"]) == int(b["level"]) - 1
    for s in staff.values():
        assert s["branch_id"] in branches and s["role"] in ROLES
    for c in customers.values():
        assert branches[c["branch_id"]]["level"] == "3"
        if c["manager_id"]:
            assert staff[c["manager_id"]]["branch_id"] == c["branch_id"]
    for row in _read(small["monthly_assets"]):
        assert row["customer_id"] in customers
    for row in _read(small["holdings"]):
        assert row["customer_id"] in customers and row["product_code"] in products
    for row in _read(small["transactions"]):
        assert row["customer_id"] in customers
    for row in _read(small["contacts"]):
        assert row["customer_id"] in customers and row["staff_id"] in staff
    for kind in ("risk_assessments", "anniversaries"):
        for row in _read(small[kind]):
            assert row["customer_id"] in customers
    categories = {p["category"] for p in products.values()}
    for row in _read(small["cross_sell"]):
        assert row["recommend"] in products
        assert row["held"] in products or row["held"] in categories
        assert row["kind"] in {"cross", "repeat", "up"}
    keys = [(r["held"], r["recommend"]) for r in _read(small["cross_sell"])]
    assert len(keys) == len(set(keys))


def test_unique_keys(small):
    def keys(kind, *cols):
        rows = _read(small[kind])
        ks = [tuple(r[c] for c in cols) for r in rows]
        assert len(ks) == len(set(ks)), kind
        return rows

    keys("customers", "customer_id")
    keys("staff", "staff_id")
    keys("monthly_assets", "customer_id", "month")
    keys("holdings", "customer_id", "product_code", "start_date")
    keys("transactions", "txn_id")
    keys("contacts", "contact_id")
    keys("products", "product_code")


def test_money_has_exactly_two_decimals(small):
    for kind, col in (
        ("monthly_assets", "avg_daily_assets"),
        ("holdings", "amount"),
        ("transactions", "amount"),
    ):
        for row in _read(small[kind]):
            assert MONEY.match(row[col]), (kind, row)


def test_values_are_well_formed(small):
    staff = _read(small["staff"])
    assert all(re.fullmatch(r"\d\.\d{2}", s["capacity"]) for s in staff)
    assert {s["active"] for s in staff} <= {"true", "false"}
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    for c in _read(small["customers"]):
        assert re.fullmatch(r"C\d{7}", c["customer_id"])
        assert c["gender"] in {"M", "F"} and c["birthday_calendar"] in {"solar", "lunar"}
        assert 1945 <= dt.date.fromisoformat(c["birth_date"]).year <= 1995
        assert re.fullmatch(r"1[358]\d{9}", c["phone"])
        idn = c["id_number"]
        assert len(idn) == 18 and idn[6:14] == c["birth_date"].replace("-", "")
        check = "10X98765432"[sum(int(a) * w for a, w in zip(idn[:17], weights, strict=True)) % 11]
        assert idn[17] == check
        assert (int(idn[16]) % 2 == 1) == (c["gender"] == "M")
        assert c["occupation"] in OCCUPATIONS and c["source"] in SOURCES
        assert c["orientation"] in {"relationship", "value", "service"}
        assert c["preferred_channel"] in {"phone", "meeting", "sms", "email", "wechat"}
        assert c["tier"] in {"", "diamond", "platinum", "gold"}
        assert bool(c["tier"]) == bool(c["tier_since"])
    for p in _read(small["products"]):
        assert p["category"] in CATEGORIES and DATE.match(p["launched_on"])
        assert re.fullmatch(r"[A-Z0-9_]+", p["product_code"])
        assert p["risk_rating"] in {"", "PR1", "PR2", "PR3", "PR4", "PR5"}
        if p["category"] in {"deposit", "loan", "card", "e_banking"}:
            assert p["risk_rating"] == ""
    for t in _read(small["transactions"]):
        assert t["channel"] in {"counter", "online", "mobile", "atm"}
        assert 1 <= (REF - dt.date.fromisoformat(t["date"])).days <= 60
    for h in _read(small["holdings"]):
        assert dt.date.fromisoformat(h["start_date"]) < REF
        if h["maturity_date"]:
            assert dt.date.fromisoformat(h["maturity_date"]) > REF
    for k in _read(small["contacts"]):
        at = dt.datetime.fromisoformat(k["contacted_at"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", k["contacted_at"])
        assert at.date() < REF and k["channel"] in {"phone", "meeting", "sms", "email", "wechat"}
    for r in _read(small["risk_assessments"]):
        assert r["level"] in {"1", "2", "3", "4", "5"} and DATE.match(r["assessed_on"])


def test_gbk_file_is_gbk_and_a_subset(small):
    raw = small["customers_gbk"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert 10 <= len(rows) - 1 <= 20
    customers = {c["customer_id"]: c for c in _read(small["customers"])}
    labels = set()
    for row in rows[1:]:
        c = customers[row[0]]
        assert (row[1], row[3], row[5], row[6], row[10], row[12], row[13]) == (
            c["name"],
            c["birth_date"],
            c["phone"],
            c["id_number"],
            c["branch_id"],
            c["tier_since"],
            c["manager_id"],
        )
        assert row[2] == {"M": "男", "F": "女"}[c["gender"]]
        assert row[11] in {"", "鑽石卡", "钻石卡", "白金卡", "金卡"}
        labels.update(row[7:10])
    # both scripts appear
    assert labels & {"關係取向", "價值取向", "服務取向", "電話", "面見", "郵件"}
    assert labels & {"关系取向", "价值取向", "服务取向", "电话", "面见", "邮件"}


def test_assets_rows_ordered_and_window(small):
    rows = _read(small["monthly_assets"])
    keys = [(r["customer_id"], r["month"]) for r in rows]
    assert keys == sorted(keys)
    months = sorted({r["month"] for r in rows})
    assert months[0] == "2025-09" and months[-1] == "2026-10" and len(months) == 14


def test_special_customers(small):
    ids = gen.special_ids(300)
    customers = {c["customer_id"]: c for c in _read(small["customers"])}
    assets = defaultdict(dict)
    for r in _read(small["monthly_assets"]):
        assets[r["customer_id"]][r["month"]] = r["avg_daily_assets"]
    assert set(assets[ids["threshold_gold"]].values()) == {"100000.00"}
    assert set(assets[ids["just_below_gold"]].values()) == {"99999.99"}
    assert len(assets[ids["missing_month_platinum"]]) == 13
    assert len(assets[ids["missing_old_months_gold"]]) == 12
    assert assets[ids["drop_exactly_30pct"]]["2026-10"] == "1400000.00"
    txns = defaultdict(list)
    for t in _read(small["transactions"]):
        txns[t["customer_id"]].append((t["date"], t["amount"]))
    assert ("2026-11-25", "-500000.00") in txns[ids["outflow_exactly_500k"]]
    assert ("2026-11-24", "-499999.99") in txns[ids["outflow_just_under"]]
    assert customers[ids["birthday_today"]]["birth_date"].endswith("-11-27")
    assert customers[ids["lunar_birthday_tomorrow"]]["birthday_calendar"] == "lunar"
    assert customers[ids["compound_surname_diamond"]]["name"].startswith("欧阳")
    staff = {s["staff_id"]: s for s in _read(small["staff"])}
    inactive = staff[customers[ids["inactive_manager_1"]]["manager_id"]]
    assert inactive["active"] == "false" and inactive["role"] == "account_manager"
    assert staff[customers[ids["diamond_by_branch_head"]]["manager_id"]]["role"] == "branch_head"
    assert customers[ids["newly_qualified_platinum"]]["manager_id"] == ""
    maturing = {(h["customer_id"], h["maturity_date"]) for h in _read(small["holdings"])}
    assert (ids["maturity_in_1_day"], "2026-11-28") in maturing
    assert (ids["maturity_in_7_days"], "2026-12-04") in maturing


def test_default_sample_shape(default_set):
    branches = _read(default_set["branches"])
    assert [b["level"] for b in branches].count("3") == 2
    staff = _read(default_set["staff"])
    per = Counter((s["branch_id"], s["role"]) for s in staff)
    for outlet in ("O001", "O002"):
        assert per[(outlet, "branch_head")] == 1
        assert 6 <= per[(outlet, "account_manager")] <= 9
        caps = {
            s["capacity"]
            for s in staff
            if s["branch_id"] == outlet and s["role"] == "account_manager"
        }
        assert {"0.50", "1.20"} <= caps
        assert sum(1 for s in staff if s["branch_id"] == outlet and s["active"] == "false") == 1
    assert per[("B01", "approver_l1")] == 1 and per[("B01", "operator")] == 1
    assert per[("B0101", "approver_l2")] == 1
    customers = _read(default_set["customers"])
    assert len(customers) == 2500
    tiers = Counter(c["tier"] for c in customers)
    assert 30 <= tiers["diamond"] <= 100 and 150 <= tiers["platinum"] <= 400
    assert 800 <= tiers["gold"] <= 1300
    compound = sum(
        c["name"][:2] in {"欧阳", "司马", "诸葛", "上官", "司徒"} for c in customers
    )
    assert 25 <= compound <= 150
    assert 200 <= sum(c["birthday_calendar"] == "lunar" for c in customers) <= 550


# Written by hand, not drawn (sample_data/README.md): the outlet's leads (§18), whose one
# linked row carries the phone the generator gives C0000018.
HAND_WRITTEN = {"leads.csv"}


def test_committed_sample_matches_generator(default_set):
    committed = {p.name for p in SAMPLE_DIR.iterdir() if p.suffix in {".csv", ".xlsx"}}
    assert committed == {p.name for p in default_set.values()} | HAND_WRITTEN
    for path in default_set.values():
        assert (SAMPLE_DIR / path.name).read_bytes() == path.read_bytes(), (
            f"sample_data/{path.name} differs from generate(); run python sample_data/generate.py"
        )


def test_cli_main(tmp_path):
    assert (
        gen.main(
            [
                "--out",
                str(tmp_path),
                "--customers",
                "40",
                "--seed",
                "3",
                "--months",
                "12",
                "--end-month",
                "2025-12",
                "--contacts-per-customer",
                "0",
            ]
        )
        == 0
    )
    assert len(_read(tmp_path / "customers.csv")) == 40
    assert {r["month"] for r in _read(tmp_path / "monthly_assets.csv")} == {
        f"2025-{m:02d}" for m in range(1, 13)
    }
    assert _read(tmp_path / "contacts.csv") == []


def test_every_sample_file_is_simplified_chinese_but_the_gbk_files_accepted_labels():
    """§16: the bundled outlet is Simplified Chinese; only the GBK extract's labels alternate
    both scripts (an import accepts either), its header is Simplified."""
    from opencc_purepy import OpenCC
    from openpyxl import load_workbook

    t2s = OpenCC("t2s").convert
    for path in sorted(SAMPLE_DIR.glob("*.csv")):
        if path.name != "customers_gbk.csv":
            text = path.read_text(encoding="utf-8")
            assert t2s(text) == text, path.name
    header = (SAMPLE_DIR / "customers_gbk.csv").read_bytes().decode("gbk").split("\n", 1)[0]
    assert t2s(header) == header
    sheet = load_workbook(SAMPLE_DIR / "products.xlsx").active
    names = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert all(t2s(name) == name for name in names)
