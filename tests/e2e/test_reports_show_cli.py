"""Reading what others wrote (§6, issue 12): `vip report show ID` (and `vip reports show`),
the reports list with the customer's name, the needs and `--limit`, in English and Chinese."""

from __future__ import annotations

import sys

import pytest
from opencc_purepy import OpenCC
from sqlalchemy import update

from tests import factories
from vipcli.db.models import Staff

LONG_SUMMARY = ("双利丰下周到期，客户希望继续稳健投资，顺便问到孩子出国留学换汇的事情，"
                "下次面谈时带上外汇产品资料和大额存单说明书一起介绍，并约好周三上午十点在网点贵宾室见面")



@pytest.fixture
def reports(engine, monkeypatch, vip):
    """M1 wrote two reports on its Diamond customer C1 (the second newer); M2 one on C2."""
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    factories.org(engine)
    with engine.begin() as conn:  # Simplified names: the Chinese screens are checked whole
        for staff_id, name in (("H1", "王主任"), ("M1", "李经理"), ("M2", "张经理")):
            conn.execute(update(Staff).where(Staff.staff_id == staff_id).values(name=name))
    factories.customer(engine, "C1", name="欧阳明", manager_id="M1", signed_tier="diamond",
                       status="signed")
    factories.customer(engine, "C2", name="陈红", manager_id="M2", signed_tier="gold",
                       status="signed")
    for args in (
        ("--as", "M1", "log-contact", "C1", "--channel", "phone", "--at", "2026-11-20T09:30",
         "--purpose", "到期提醒", "--summary", LONG_SUMMARY, "--key-points", "到期资金再投资",
         "--needs", "想要稳健收益", "--next", "面谈介绍大额存单", "--next-date", "2026-12-02"),
        ("--as", "M1", "log-contact", "C1", "--channel", "wechat", "--at", "2026-11-26T15:00",
         "--needs", "孩子留学换汇"),
        ("--as", "M2", "log-contact", "C2", "--channel", "meeting", "--at", "2026-11-25T10:00",
         "--needs", "房贷提前还款"),
    ):
        assert vip(*args).code == 0
    done = vip("--as", "H1", "report", "review", "1", "--comment", "需求分析到位，下周再联系")
    assert done.code == 0, done.err
    return engine


def test_show_prints_the_whole_report(vip, reports):
    result = vip("--as", "H1", "report", "show", "1")
    assert result.code == 0, result.err
    text = " ".join(result.out.split())  # wrapped for the terminal: compare the words
    for value in ("欧阳明 C1", "Diamond", "李经理 M1", "2026-11-20 09:30", "Phone", "到期提醒",
                  "到期资金再投资", "想要稳健收益", "面谈介绍大额存单", "2026-12-02",
                  "王主任 H1", "需求分析到位，下周再联系"):
        assert value in text, value
    assert LONG_SUMMARY in result.out.replace("\n", "").replace(" ", ""), "the summary is cut"


def test_show_json_is_one_object_with_the_list_keys_and_more(vip, reports):
    doc = vip("--as", "H1", "report", "show", "1", "--json").json()
    listed = vip("--as", "H1", "report", "list", "--json").json()
    row = next(r for r in listed if r["report_id"] == 1)
    assert row.items() <= doc.items()  # everything the list says, and more
    assert doc["summary"] == LONG_SUMMARY and doc["signed_tier"] == "diamond"
    assert doc["staff_name"] == "李经理" and doc["reviewer_name"] == "王主任"
    assert doc["reviewed_by"] == "H1" and doc["next_date"] == "2026-12-02"


def test_the_author_reads_its_own_report_and_the_old_alias_works(vip, reports):
    assert vip("--as", "M1", "report", "show", "1").code == 0
    alias = vip("--as", "M1", "reports", "show", "2", "--json")
    assert alias.code == 0 and alias.json()["needs"] == "孩子留学换汇"


@pytest.mark.parametrize("actor, report", [("M2", "1"), ("M1", "3"), ("H2", "1")])
def test_show_refuses_others_reports_as_the_list_does(vip, reports, actor, report):
    result = vip("--as", actor, "report", "show", report)
    assert result.code == 1 and result.out == ""
    assert "may not read report" in result.err and len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


def test_an_unknown_report_is_one_line_and_exit_1(vip, reports):
    result = vip("--as", "H1", "report", "show", "99")
    assert result.code == 1 and result.err.strip() == "error: Unknown report 99"
    assert vip("--as", "H1", "report", "show", "0").code == 1


def test_list_shows_the_customers_name_and_the_needs(vip, reports):
    result = vip("--as", "H1", "report", "list")
    assert result.code == 0, result.err
    for value in ("欧阳明 C1", "陈红 C2", "想要稳健收益", "孩子留学换汇", "房贷提前还款",
                  "李经理 M1", "Not reviewed"):
        assert value in result.out, value
    assert "Communication reports: 3" in result.out


def test_limit_keeps_the_newest_and_says_how_many_there_are(vip, reports):
    result = vip("--as", "H1", "report", "list", "--limit", "1")
    assert result.code == 0, result.err
    assert "the 1 newest of 3" in result.out and "孩子留学换汇" in result.out
    assert "想要稳健收益" not in result.out
    doc = vip("--as", "H1", "reports", "--limit", "2", "--json").json()
    assert [r["report_id"] for r in doc] == [2, 3]
    assert len(vip("--as", "H1", "reports", "--json").json()) == 3  # JSON: all without --limit


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_a_bad_limit_is_refused(vip, reports, value):
    result = vip("--as", "H1", "report", "list", "--limit", value)
    assert result.code != 0 and result.out == "" and "Traceback" not in result.err


def test_a_manager_lists_only_its_own_reports(vip, reports):
    rows = vip("--as", "M1", "report", "list", "--json").json()
    assert {r["customer_id"] for r in rows} == {"C1"}


def test_show_and_list_speak_simplified_chinese(vip, reports, chinese):
    shown = vip("--as", "H1", "report", "show", "1")
    assert shown.code == 0, shown.err
    for word in ("客户沟通报告 1", "钻石卡", "记录人", "客户需求", "下一步", "审阅", "电话"):
        assert word in shown.out, word
    listed = vip("--as", "H1", "report", "list")
    assert "客户沟通报告：共 3 份" in listed.out and "未审阅" in listed.out
    refused = vip("--as", "M2", "report", "show", "1")
    assert refused.code == 1 and "不能查看报告 1" in refused.err
    t2s = OpenCC("t2s")
    for text in (shown.out, listed.out, listed.err, refused.err):
        assert t2s.convert(text) == text, "a Traditional character on a Chinese screen"
