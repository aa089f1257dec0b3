"""The outlet-routine commands end to end: show, lobby, activity, journal, segment, retention."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len

from tests import factories
from vipcli.cli import output
from vipcli.cli.views.show import sparkline
from vipcli.db import models


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr(output, "_console", None)  # a fresh console picks up COLUMNS=100
    factories.org(engine)
    factories.customer(engine, "C1", name="諸葛亮", gender="M", signed_tier="diamond",
                       qualified_tier="diamond", adb12_fen=612_345_678, screened_month="2026-10",
                       manager_id="M1", advisor_id="A1", status="signed", phone="13987654321",
                       id_number="450102198001011234", tier_since=dt.date(2021, 1, 1))
    factories.assets(engine, "C1", {f"2026-{mm:02d}": f"{5_000_000 + mm * 100_000}.00" for mm in range(1, 11)})
    factories.rows(engine, models.Product, dict(product_code="F1", name="鑫享理財長期穩健型產品第一期",
                                           category="wealth", risk_rating=2))
    factories.rows(engine, models.Holding, dict(customer_id="C1", product_code="F1", amount_fen=100_000_000,
                                           start_date=dt.date(2026, 1, 5), maturity_date=dt.date(2026, 12, 1)))
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", channel="meeting",
                                           contacted_at=dt.datetime(2026, 11, 24, 10, 0),
                                           summary="面談：到期資金續作意向，關注穩健型產品與子女教育金規劃"))
    return engine


def test_sparkline_scales_between_lowest_and_highest_month():
    assert sparkline([0, 50, 100, 75]) == "·▁█▅"
    assert sparkline([0, 0]) == "··"
    assert sparkline([7] * 12) == "▄" * 12


def test_show_is_readable_at_100_columns(book, vip):
    result = vip("--as", "M1", "show", "C1")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert max(cell_len(line) for line in lines) <= 100
    assert "諸葛亮" in result.out and "█" in result.out
    assert "139****4321" in result.out and "13987654321" not in result.out
    assert "鑫享理財" in result.out and "2026-12-01" in result.out


def test_show_json_is_one_masked_document(book, vip):
    doc = vip("--as", "M1", "show", "C1", "--json").json()
    for key in ("customer_id", "tier", "adb12", "months", "manager", "risk", "holdings",
                "contacts", "opportunities", "ideas"):
        assert key in doc
    assert doc["phone"] == "139****4321" and doc["adb12"] == "6123456.78"
    assert len(doc["months"]) == 12 and doc["months"][-1] == {"month": "2026-10",
                                                              "avg_daily": "6000000.00"}


def test_reveal_by_advisor_is_refused_with_exit_1(book, vip):
    result = vip("--as", "A1", "show", "C1", "--reveal")
    assert result.code == 1
    assert "may not --reveal" in result.err and result.out == ""


def test_reveal_by_own_manager_is_audited(book, vip):
    assert "13987654321" in vip("--as", "M1", "show", "C1", "--reveal").out
    log = vip("--as", "H1", "audit", "--action", "reveal", "--json").json()
    assert [(e["actor_id"], e["customer_id"]) for e in log] == [("M1", "C1")]


def test_lobby_json_contract_and_no_personal_data(book, vip):
    result = vip("--as", "L2", "lobby", "13987654321", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert {"customer_id", "address_as", "tier", "priority", "route_to", "place", "service"} <= set(doc)
    assert doc["address_as"] == "諸葛先生" and doc["priority"] == 1
    assert doc["route_to"] == {"staff_id": "H2", "name": "周主任", "role": "branch_head"}
    for secret in ("13987654321", "4321", "450102198001011234", "6123456", "612345678"):
        assert secret not in result.out


def test_lobby_table_has_no_personal_data(book, vip):
    result = vip("--as", "L1", "lobby", "C1")
    assert result.code == 0, result.err
    # §9: a Diamond walk-in is handed to the branch head, by name beside the id
    assert "諸葛先生" in result.out and "王主任 H1" in result.out and "VIP room" in result.out
    for secret in ("13987654321", "4321", "450102198001011234", "6,123,456", "6123456"):
        assert secret not in result.out


def test_lobby_unknown_customer_is_exit_1(book, vip):
    result = vip("--as", "L1", "lobby", "nobody")
    assert result.code == 1 and "is not the number or phone of any customer" in result.err
    assert "lead add" not in result.err  # no phone to record a lead with
    assert "Traceback" not in result.err


def test_activity_journal_segment_and_retention_commands(book, vip):
    added = vip("--as", "M1", "activity", "add", "--kind", "salon", "--title", "沙龍",
                "--date", "2026-11-21", "--json").json()
    invited = vip("--as", "M1", "activity", "invite", str(added["id"]), "--tier", "diamond", "--json")
    assert invited.json()["invited"] == ["C1"]
    attended = vip("--as", "M1", "activity", "attend", str(added["id"]), "C1",
                   "--brought", "歐陽娜:13700000001", "--json").json()
    assert attended["referrals"][0]["created"] is True
    refs = vip("--as", "M1", "activity", "referrals", "--json").json()
    assert refs[0]["customer_id"] == "C1" and refs[0]["referrals"] == 1
    assert vip("--as", "M1", "journal", "add", "--kind", "memo", "--text", "備忘").code == 0
    week = vip("--as", "M1", "journal", "week", "--json").json()
    assert week["visits"]["meetings"] == 1 and week["entries"][0]["text"] == "備忘"
    seg = vip("--as", "M1", "segment", "--by", "tier", "--json").json()
    assert {"tier": "diamond", "count": 1} in seg["counts"]
    retention = vip("--as", "M1", "report", "retention", "--json")  # the fixture's 2026-10 screening
    assert retention.code == 0 and retention.json()["to"] == "2026-10"


def test_bad_dates_are_one_line_errors(book, vip):
    result = vip("--as", "M1", "activity", "add", "--kind", "salon", "--title", "x", "--date", "12/05")
    assert result.code == 1 and "YYYY-MM-DD" in result.err
    assert vip("--as", "M1", "journal", "week", "--week", "48").code == 1


def test_tables_render_for_every_command(book, vip, engine):
    factories.rows(engine, models.ScreeningResult,  # a year before the fixture's 2026-10 screening
                   dict(month="2025-10", customer_id="C1", adb12_fen=1, qualified_tier="diamond",
                        signed_tier="diamond", months_below=0))
    factories.rows(engine, models.Opportunity, dict(customer_id="C1", owner_id="M1", stage="won",
                                               won_amount_fen=123_400, opened_at=dt.datetime(2026, 11, 2),
                                               closed_at=dt.datetime(2026, 11, 25, 9)))
    aid = vip("--as", "M1", "activity", "add", "--kind", "lecture", "--title", "講座",
              "--date", "2026-11-26", "--json").json()["id"]
    assert "invited 1" in vip("--as", "M1", "activity", "invite", str(aid), "--customer", "C1").err
    assert "new prospect" in vip("--as", "M1", "activity", "attend", str(aid), "C1",
                                 "--brought", "令狐沖:13700000009").err
    assert "講座" in vip("--as", "M1", "activity", "list").out
    assert "令狐沖" not in vip("--as", "M1", "activity", "referrals").out  # referrers are listed
    assert "C1" in vip("--as", "M1", "activity", "referrals").out
    vip("--as", "M1", "journal", "add", "--kind", "sale", "--text", "成交定投")
    week = vip("--as", "M1", "journal", "week").out
    assert "sales: 1 won, 1,234.00" in week and "成交定投" in week
    assert "Diamond" in vip("--as", "H1", "segment", "--tier", "diamond").out
    retention = vip("--as", "H1", "report", "retention")
    assert retention.code == 0, retention.err
    assert "100.0%" in retention.out and "C1" in retention.out


def test_square_brackets_in_free_text_are_shown_literally(book, vip):
    vip("--as", "M1", "journal", "add", "--kind", "memo", "--text", "[red]提醒[/red] [/x]")
    result = vip("--as", "M1", "journal", "week")
    assert result.code == 0, result.err
    assert "[red]提醒[/red] [/x]" in result.out
