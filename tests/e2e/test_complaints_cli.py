"""`vip complaint add|ack|resolve|list`, `vip report complaints` and the tier privileges on
`vip show` and in the welcome letter (§18), through the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories
from vipcli.db import models


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", name="歐陽明", manager_id="M1", signed_tier="platinum",
                       qualified_tier="platinum", status="signed")
    factories.customer(engine, "C2", manager_id="M2", qualified_tier="gold", status="potential",
                       adb12_fen=15_000_000)
    return engine


def complaints(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(models.Complaint)).scalar_one()


def refused(result, words: str) -> None:
    """§15: exit 1, one clear line on stderr, nothing on stdout."""
    assert result.code == 1, result.out
    assert result.out == ""
    assert words in result.err and len(result.err.strip().splitlines()) == 1, result.err


def test_a_complaint_from_the_lobby_to_its_resolution(vip, data):
    added = vip("--as", "L1", "complaint", "add", "C1", "--text", "理财赎回到账慢",
                "--severity", "serious", "--json")
    assert added.code == 0, added.err
    doc = added.json()
    assert {k: doc[k] for k in ("customer_id", "severity", "status", "ack_due", "resolve_due")} == {
        "customer_id": "C1", "severity": "serious", "status": "open",
        "ack_due": "2026-11-28", "resolve_due": "2026-12-02"}
    cid = str(doc["complaint_id"])
    listed = vip("--as", "M1", "complaint", "list", "--json").json()
    assert [(r["complaint_id"], r["owner_id"], r["overdue"]) for r in listed] == [(int(cid), "M1", False)]
    acked = vip("--as", "M1", "complaint", "ack", cid, "--json")
    assert acked.code == 0 and acked.json()["acknowledged_at"] is not None
    done = vip("--as", "M1", "complaint", "resolve", cid, "--result", "加急处理并致歉",
               "--satisfied", "yes", "--json")
    assert done.code == 0, done.err
    assert done.json()["status"] == "resolved" and done.json()["satisfied"] is True
    assert vip("--as", "H1", "complaint", "list", "--open", "--json").json() == []


def test_refusals_say_one_line_and_change_nothing(vip, data):
    refused(vip("--as", "L1", "complaint", "add", "C1", "--text", "x", "--severity", "bogus"),
            "--severity must be normal or serious")
    refused(vip("--as", "L1", "complaint", "add", "C9", "--text", "x"), "unknown customer 'C9'")
    refused(vip("--as", "M2", "complaint", "add", "C1", "--text", "x"),
            "may not record a complaint for customer C1")
    assert complaints(data) == 0
    cid = str(vip("--as", "L1", "complaint", "add", "C1", "--text", "x", "--json").json()["complaint_id"])
    refused(vip("--as", "M2", "complaint", "ack", cid), "only its owner and the outlet's branch head")
    refused(vip("--as", "H2", "complaint", "ack", cid), "only its owner and the outlet's branch head")
    assert vip("--as", "H1", "complaint", "resolve", cid, "--result", "done").code == 0
    refused(vip("--as", "M1", "complaint", "resolve", cid, "--result", "again"),
            f"complaint {cid} was already resolved on 2026-11-27")
    refused(vip("--as", "M1", "complaint", "resolve", "99", "--result", "x"), "unknown complaint 99")
    with data.connect() as conn:
        row = conn.execute(select(models.Complaint)).one()
    assert (row.result, row.resolved_by) == ("done", "H1")


def test_a_contact_by_the_owner_acknowledges(vip, data):
    cid = vip("--as", "T1", "complaint", "add", "C1", "--text", "x", "--json").json()["complaint_id"]
    logged = vip("--as", "M1", "log-contact", "C1", "--channel", "phone", "--summary", "回访",
                 "--json")
    assert logged.code == 0, logged.err
    assert logged.json()["complaints_acknowledged"] == [cid]


def test_overdue_complaints_are_marked_in_chinese(vip, data, chinese, monkeypatch):
    vip("--as", "L1", "complaint", "add", "C1", "--text", "柜台排队太久")
    monkeypatch.setenv("VIP_TODAY", "2026-12-01")
    listed = vip("--as", "H1", "complaint", "list")
    assert listed.code == 0, listed.err
    assert "超期 3 天" in listed.out and "未解决" in listed.out and "柜台排队太久" in listed.out


def test_report_complaints_for_the_branch_head(vip, data, monkeypatch):
    vip("--as", "L1", "complaint", "add", "C1", "--text", "x", "--severity", "serious")
    vip("--as", "L1", "complaint", "add", "C2", "--text", "y")
    vip("--as", "M2", "complaint", "resolve", "2", "--result", "ok", "--satisfied", "no")
    doc = vip("--as", "H1", "report", "complaints", "--month", "2026-11", "--json").json()
    assert doc["total"]["opened"] == 2 and doc["total"]["resolved"] == 1
    assert doc["total"]["satisfied_share"] == "0.0000"
    assert doc["by_severity"]["serious"]["open"] == 1
    assert [m["staff_id"] for m in doc["by_manager"]] == ["M1", "M2"]
    text = vip("--as", "H1", "report", "complaints", "--month", "2026-11")
    assert text.code == 0 and "Complaints received in 2026-11" in text.out
    refused(vip("--as", "OP1", "report", "complaints"), "may not see the complaints report")
    refused(vip("--as", "H1", "report", "complaints", "--month", "2026-13"), "--month")


def test_show_lists_the_card_privileges(vip, data):
    doc = vip("--as", "M1", "show", "C1", "--json").json()
    assert doc["privileges"][0] == "Served before Gold and ordinary customers"
    assert "Platinum privileges:" in vip("--as", "M1", "show", "C1").out
    assert vip("--as", "M2", "show", "C2", "--json").json()["privileges"] == []


def test_the_welcome_letter_lists_the_privileges(vip, data, chinese):
    assert vip("--as", "M2", "risk", "record", "C2", "--level", "3").code == 0
    signed = vip("--as", "T1", "sign", "C2", "--tier", "gold")
    assert signed.code == 0, signed.err
    letter = signed.out
    assert "作为金卡客户，您将享有：" in letter and "优先于普通客户办理业务" in letter
    # the privileges sit above the closing: the outlet's regards are still the last words
    assert letter.index("优先于普通客户办理业务") < letter.index("民族支行")
