"""`vip customer edit|lost|reactivate`, `vip show`'s file, `vip customers --lost` and
`vip report retention --month` through the command line (§18)."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", name="歐陽明", manager_id="M1", signed_tier="gold",
                       qualified_tier="gold", status="signed", adb12_fen=30_000_000)
    factories.customer(engine, "C2", name="陳靜", manager_id="M2", signed_tier="gold",
                       qualified_tier="gold", status="signed", adb12_fen=20_000_000)
    return engine


def test_edit_prints_the_changes_and_show_the_file(vip, data):
    done = vip("--as", "M1", "customer", "edit", "C1", "--interests", "宠物、子女教育",
               "--anniversary", "结婚纪念日=2001-05-20", "--special-period", "住院",
               "--until", "2026-12-31", "--channel", "微信", "--json")
    assert done.code == 0, done.err
    assert done.json()["changed"]["preferred_channel"] == {"old": "phone", "new": "wechat"}
    assert done.json()["changed"]["anniversaries"] == {"old": {}, "new": {"结婚纪念日": "2001-05-20"}}
    shown = vip("--as", "M1", "show", "C1")
    assert shown.code == 0, shown.err
    assert "interests: 宠物、子女教育" in shown.out
    assert "special period until 2026-12-31: 住院" in shown.out
    assert "结婚纪念日 2001-05-20" in shown.out
    profile = vip("--as", "M1", "show", "C1", "--json").json()
    assert profile["special_period"] == {"text": "住院", "until": "2026-12-31"}
    assert profile["anniversaries"] == [{"label": "结婚纪念日", "date": "2001-05-20"}]


def test_a_special_period_that_ended_is_not_shown(vip, data, monkeypatch):
    assert vip("--as", "M1", "customer", "edit", "C1", "--special-period", "住院",
               "--until", "2026-11-30").code == 0
    monkeypatch.setenv("VIP_TODAY", "2026-12-01")
    assert vip("--as", "M1", "show", "C1", "--json").json()["special_period"] is None


def test_nothing_to_change_exits_0_saying_so(vip, data):
    result = vip("--as", "M1", "customer", "edit", "C1", "--orientation", "value")
    assert result.code == 0 and "Nothing to change" in result.err


@pytest.mark.parametrize("args, message", [
    (("--as", "M2", "customer", "edit", "C1", "--notes", "x"), "not in the book"),
    (("--as", "M1", "customer", "edit", "C404", "--notes", "x"), "unknown customer 'C404'"),
    (("--as", "M1", "customer", "edit", "C1", "--anniversary", "结婚=2001-13-01"), "not a date"),
    (("--as", "M1", "customer", "edit", "C1", "--special-period", "住院"), "needs --until"),
    (("--as", "M1", "customer", "edit", "C1", "--special-period", "住院", "--until",
      "2026-11-26"), "in the past"),
    (("--as", "M1", "customer", "reactivate", "C1"), "is not lost"),
    (("--as", "M2", "customer", "lost", "C1", "--reason", "x"), "not in the book"),
])
def test_refusals_are_one_line_and_exit_1(vip, data, args, message):
    result = vip(*args, "--json")
    assert result.code == 1 and result.out == ""
    assert message in result.err and len(result.err.strip().splitlines()) == 1


def test_lost_leaves_the_lists_and_reactivate_brings_it_back(vip, data):
    lost = vip("--as", "M1", "customer", "lost", "C1", "--reason", "moved to another bank",
               "--date", "2026-11-20", "--json")
    assert lost.code == 0, lost.err
    assert {k: lost.json()[k] for k in ("customer_id", "status")} == {"customer_id": "C1",
                                                                       "status": "lost"}
    again = vip("--as", "H1", "customer", "lost", "C1", "--reason", "x")
    assert again.code == 1 and "already lost" in again.err
    edited = vip("--as", "M1", "customer", "edit", "C1", "--notes", "x")
    assert edited.code == 1 and "reactivate it first" in edited.err
    listed = [c["customer_id"] for c in vip("--as", "H1", "customers", "--json").json()]
    assert listed == ["C2"]
    assert [c["customer_id"] for c in vip("--as", "H1", "customers", "--lost", "--json").json()] == ["C1"]
    back = vip("--as", "M1", "customer", "reactivate", "C1", "--json")
    assert back.code == 0 and back.json() == {**back.json(), "customer_id": "C1", "status": "signed"}
    assert "C1" in [c["customer_id"] for c in vip("--as", "H1", "customers", "--json").json()]


def test_retention_lists_the_months_losses_and_draws_the_trend(vip, data):
    assert vip("--as", "M1", "customer", "lost", "C1", "--reason", "emigrated",
               "--date", "2026-11-02").code == 0
    doc = vip("--as", "H1", "report", "retention", "--month", "2026-11", "--json").json()
    assert doc["lost_in_month"] == 1 and doc["assets_lost_in_month"] == "300000.00"
    assert doc["losses"][0]["customer_id"] == "C1" and doc["losses"][0]["reason"] == "emigrated"
    assert len(doc["trend"]) == 6 and doc["trend"][-1] == {"month": "2026-11", "rate": 0.5}
    for key in ("from", "to", "by_tier", "total", "lost", "downgraded", "assets_lost", "customers"):
        assert key in doc  # the report's earlier keys stay
    text = vip("--as", "H1", "report", "retention", "--month", "2026-11")
    assert text.code == 0, text.err
    assert "Lost in 2026-11: 1 customer, assets lost 300,000.00 (ADB12)" in text.out
    assert "emigrated" in text.out and "李經理 M1" in text.out
    assert "Retention rate, last 6 months" in text.out and "█" in text.out and "50.0%" in text.out


def test_the_customer_commands_speak_chinese(vip, data, chinese):
    result = vip("--as", "M1", "customer", "edit", "C1", "--notes", "喜欢喝茶")
    assert result.code == 0 and "的档案：已修改" in result.out and "备注" in result.out
    refused = vip("--as", "M1", "customer", "reactivate", "C1")
    assert refused.code == 1 and "未流失" in refused.err
