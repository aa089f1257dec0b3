"""`vip lead add|list`, `vip import leads`, the lobby's offer and `vip assign` with leads (§18)."""

from __future__ import annotations

import pytest

from tests import factories

HEADER = ["lead_id", "name", "phone", "source", "recorded_by", "branch_id", "note", "est_assets"]


@pytest.fixture
def data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", name="歐陽明", phone="13812345678")
    return engine


def test_a_lobby_manager_records_a_lead_and_lists_it(vip, data):
    added = vip("--as", "L1", "lead", "add", "--name", "張偉", "--phone", "13900001111",
                "--est-assets", "300000", "--note", "到店咨询", "--json")
    assert added.code == 0, added.err
    doc = added.json()
    assert {k: doc[k] for k in ("lead_id", "name", "phone", "source", "recorded_by", "customer_id")} == {
        "lead_id": "L0000001", "name": "張偉", "phone": "139****1111", "source": "walk_in",
        "recorded_by": "L1", "customer_id": None}
    assert doc["est_assets"] == "300000.00"
    listed = vip("--as", "H1", "lead", "list", "--json")
    assert listed.code == 0 and [d["lead_id"] for d in listed.json()] == ["L0000001"]
    assert "13900001111" not in listed.out
    screen = vip("--as", "H1", "lead", "list")
    assert "L0000001" in screen.out and "139****1111" in screen.out and "13900001111" not in screen.out


def test_a_known_phone_says_the_lead_is_a_customer(vip, data):
    added = vip("--as", "T1", "lead", "add", "--name", "歐陽先生", "--phone", "138-1234-5678")
    assert added.code == 0, added.err
    assert "already customer C1 (歐**)" in added.err


@pytest.mark.parametrize(("args", "says"), [
    (("--as", "OP1", "lead", "add", "--name", "張偉", "--phone", "13900001111"), "may not record a lead"),
    (("--as", "L1", "lead", "add", "--name", "張偉", "--phone", "12ab"), "--phone"),
    (("--as", "L1", "lead", "add", "--name", "張偉", "--phone", "13900001111", "--est-assets", "-1"),
     "--est-assets"),
    (("--as", "L1", "lead", "add", "--name", " ", "--phone", "13900001111"), "--name"),
])
def test_refusals_are_one_line_and_write_nothing(vip, data, args, says):
    result = vip(*args)
    assert result.code == 1 and says in result.err and "Traceback" not in result.err
    assert vip("--as", "H1", "lead", "list", "--json").json() == []


def test_a_duplicate_phone_names_the_first_lead(vip, data):
    assert vip("--as", "L1", "lead", "add", "--name", "張偉", "--phone", "13900001111").code == 0
    again = vip("--as", "M1", "lead", "add", "--name", "张伟", "--phone", "139 0000 1111", "--json")
    assert again.code == 1 and again.out == ""
    assert "already lead L0000001 (張*) of outlet O001" in again.err
    assert len(vip("--as", "H1", "lead", "list", "--json").json()) == 1


def test_import_leads_and_its_errors_by_row_and_column(vip, data, tmp_path):
    good = factories.write_csv(tmp_path / "leads.csv", HEADER, [
        ["L0000101", "覃志强", "13977120481", "walk_in", "L1", "O001", "咨询大额存单", "800000.00"],
        ["L0000102", "黄桂", "13812345678", "referral", "T1", "O001", "", ""]])
    done = vip("--as", "OP1", "import", "leads", str(good), "--json")
    assert done.code == 0, done.err
    assert {k: done.json()[k] for k in ("kind", "rows", "inserted", "updated")} == {
        "kind": "leads", "rows": 2, "inserted": 2, "updated": 0}
    linked = {d["lead_id"]: d["customer_id"] for d in vip("--as", "H1", "lead", "list", "--json").json()}
    assert linked == {"L0000101": None, "L0000102": "C1"}
    bad = factories.write_csv(tmp_path / "bad.csv", HEADER, [
        ["L0000103", "好", "13900002222", "walk_in", "L1", "O001", "", ""],
        ["L0000104", "坏", "13900003333", "walk_in", "L1", "O009", "", "abc"]])
    refused = vip("--as", "OP1", "import", "leads", str(bad), "--json")
    assert refused.code == 1
    assert {(e["row"], e["column"]) for e in refused.json()["errors"]} == {(3, "est_assets")}
    refused = vip("--as", "OP1", "import", "leads", str(bad))
    assert "bad.csv row 3, column est_assets" in refused.err
    assert len(vip("--as", "H1", "lead", "list", "--json").json()) == 2  # nothing written


def test_lobby_on_an_unknown_phone_gives_the_lead_command(vip, data):
    result = vip("--as", "L1", "lobby", "13900004444")
    assert result.code == 1
    assert "vip --as L1 lead add --phone 13900004444 --name NAME" in result.err
    unknown = vip("--as", "L1", "lobby", "C404")
    assert unknown.code == 1 and "lead add" not in unknown.err


def test_lobby_on_a_terminal_records_the_lead(vip, data, monkeypatch):
    from vipcli.cli import lobby

    monkeypatch.setattr(lobby, "_interactive", lambda: True)
    monkeypatch.setattr("typer.prompt", lambda *args, **kwargs: "蓝先生")
    result = vip("--as", "L1", "lobby", "13900004444")
    assert result.code == 0, result.err
    assert "Lead L0000001 recorded: 蓝先生 139****4444" in result.err
    monkeypatch.setattr("typer.prompt", lambda *args, **kwargs: "")
    declined = vip("--as", "L1", "lobby", "13900005555")
    assert declined.code == 1 and "No lead recorded." in declined.err
    assert [d["name"] for d in vip("--as", "H1", "lead", "list", "--json").json()] == ["蓝先生"]


def test_assign_gives_leads_a_manager_and_dry_run_writes_nothing(vip, data):
    assert vip("--as", "L1", "lead", "add", "--name", "張偉", "--phone", "13900001111").code == 0
    plan = vip("--as", "H1", "assign", "--dry-run", "--json")
    assert plan.code == 0, plan.err
    moves = [m for m in plan.json()["assignments"] if m["lead_id"] == "L0000001"]
    assert len(moves) == 1 and moves[0]["customer_id"] is None and moves[0]["role"] == "primary"
    assert vip("--as", "H1", "lead", "list", "--json").json()[0]["manager_id"] is None
    shown = vip("--as", "H1", "assign", "--details")
    assert shown.code == 0 and "L0000001" in shown.out + shown.err
    assert "1 are leads" in shown.out + shown.err
    held = vip("--as", "H1", "lead", "list", "--json").json()[0]
    assert held["manager_id"] == moves[0]["staff_id"] and held["assigned_on"] == "2026-11-27"
    mine = vip("--as", held["manager_id"], "lead", "list", "--mine", "--json").json()
    assert [d["lead_id"] for d in mine] == ["L0000001"]


def test_lead_list_speaks_chinese(vip, data, chinese):
    assert vip("--as", "L1", "lead", "add", "--name", "張偉", "--phone", "13900001111").code == 0
    shown = vip("--as", "H1", "lead", "list")
    assert "销售线索" in shown.out and "到店客户" in shown.out
