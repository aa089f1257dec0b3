"""`vip audit verify`, and the latest hash in `vip backup` and `vip db check` (§13, §15).

Also: reads that the rules audit (--reveal, exports, the lobby by phone) land in the chain,
a branch head sees its own outlet's entries only, and VIP_TODAY cannot backdate an entry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests import factories
from vipcli.db import models
from vipcli.db.engine import writing
from vipcli.services.core.audit import audit

HASH = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture
def outlet(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", phone="13812345678")
    factories.customer(engine, "C9", manager_id="M4", branch_id="O002", name="周九", phone="13900009999")
    return engine


def _entries(engine, action: str | None = None):
    query = select(models.AuditLog.actor_id, models.AuditLog.action, models.AuditLog.customer_id)
    if action:
        query = query.where(models.AuditLog.action == action)
    with engine.connect() as conn:
        return conn.execute(query.order_by(models.AuditLog.id)).all()


def _tamper(engine, statement: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement))


def test_verify_prints_the_count_and_the_latest_hash(outlet, vip):
    vip("--as", "M1", "show", "C1", "--reveal")
    result = vip("--as", "OP1", "audit", "verify")
    assert result.code == 0, result.err
    first, latest = result.out.strip().splitlines()
    assert first.startswith("audit log sound: 1 entry")
    assert HASH.match(latest)
    doc = vip("--as", "H1", "audit", "verify", "--json").json()
    assert doc == {"ok": True, "entries": 1, "latest_id": 1, "latest_hash": latest}


def test_verify_writes_no_entry(outlet, vip):
    vip("--as", "M1", "show", "C1", "--reveal")
    assert vip("--as", "OP1", "audit", "verify", "--json").json()["entries"] == 1
    assert vip("--as", "OP1", "audit", "verify", "--json").json()["entries"] == 1


def test_a_tampered_entry_is_exit_1_naming_it(outlet, vip):
    for _ in range(3):
        vip("--as", "M1", "show", "C1", "--reveal")
    _tamper(outlet, "UPDATE audit_log SET actor_id = 'H1' WHERE id = 2")
    result = vip("--as", "OP1", "audit", "verify")
    assert result.code == 1 and result.out == ""
    assert result.err.strip().splitlines() == [
        "audit log broken: entry 2 was changed: its content no longer gives its hash"]
    doc = vip("--as", "OP1", "audit", "verify", "--json")
    assert doc.code == 1
    assert doc.json()["ok"] is False and doc.json()["first_bad_id"] == 2
    assert doc.json()["problem"] == "changed" and doc.json()["entries"] == 1


def test_a_deleted_tail_is_exit_1(outlet, vip):
    for _ in range(3):
        vip("--as", "M1", "show", "C1", "--reveal")
    _tamper(outlet, "DELETE FROM audit_log WHERE id = 3")
    doc = vip("--as", "OP1", "audit", "verify", "--json")
    assert doc.code == 1 and (doc.json()["first_bad_id"], doc.json()["problem"]) == (3, "tail_removed")


def test_who_may_verify(outlet, vip):
    result = vip("--as", "M1", "audit", "verify")
    assert result.code == 1 and "verify the audit log" in result.err
    assert vip("--as", "H1", "audit", "verify").code == 0


def test_a_bad_hash_option_is_one_clear_line(outlet, vip):
    result = vip("--as", "OP1", "audit", "verify", "--hash", "nope")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("error: --hash must be 64 hexadecimal characters")
    assert len(result.err.strip().splitlines()) == 1


def test_the_listing_still_runs_without_a_subcommand(outlet, vip):
    vip("--as", "M1", "show", "C1", "--reveal")
    listed = vip("--as", "OP1", "audit", "--action", "reveal", "--json").json()
    assert [(e["actor_id"], e["action"], e["customer_id"]) for e in listed] == [("M1", "reveal", "C1")]


def test_backup_prints_the_hash_verify_later_finds(outlet, vip, db_url, tmp_path):
    if "://" in db_url:
        pytest.skip("vip backup: SQLite")
    vip("--as", "M1", "show", "C1", "--reveal")
    target = tmp_path / "b.db"
    result = vip("--as", "OP1", "backup", str(target))
    assert result.code == 0, result.err
    written_down = result.out.strip().splitlines()[-1]
    assert HASH.match(written_down)
    assert "its audit log ends at entry 1" in result.out
    doc = vip("--as", "OP1", "backup", str(tmp_path / "c.db"), "--json").json()
    assert doc["audit"]["latest_id"] == 2 and HASH.match(doc["audit"]["latest_hash"])  # + backup
    vip("--as", "M1", "show", "C1", "--reveal")
    assert vip("--as", "OP1", "audit", "verify", "--hash", written_down).code == 0
    # A log rewritten from scratch (every hash recomputed) no longer holds it.
    _tamper(outlet, "DELETE FROM audit_log")
    _tamper(outlet, "UPDATE db_settings SET value = '0 " + "0" * 64 + "' WHERE key = 'audit_head'")
    _tamper(outlet, "DELETE FROM sqlite_sequence WHERE name = 'audit_log'")
    assert vip("--as", "OP1", "audit", "verify").code == 0
    refused = vip("--as", "OP1", "audit", "verify", "--hash", written_down, "--json")
    assert refused.code == 1 and refused.json()["problem"] == "anchor_missing"


def test_db_check_carries_the_chain_and_fails_on_a_broken_one(outlet, vip, db_url):
    vip("--as", "M1", "show", "C1", "--reveal")
    vip("--as", "M1", "show", "C1", "--reveal")
    doc = vip("db", "check", "--json").json()
    assert {"ok", "integrity", "foreign_keys", "audit"} <= doc.keys()
    assert doc["ok"] and doc["audit"]["ok"] and doc["audit"]["entries"] == 2
    text_out = vip("db", "check").out
    assert f"latest hash {doc['audit']['latest_hash']}" in text_out
    _tamper(outlet, "DELETE FROM audit_log WHERE id = 1")
    broken = vip("db", "check", "--json")
    assert broken.code == 1
    assert broken.json()["ok"] is False and broken.json()["audit"]["first_bad_id"] == 1
    assert any(p.startswith("audit log: entry 1 was removed") for p in broken.json()["problems"])
    assert "entry 1 was removed" in vip("db", "check").out + vip("db", "check").err


def test_reads_the_rules_audit_land_in_the_chain(outlet, vip, tmp_path):
    """§13 item 4: every --reveal, export and lobby lookup by phone writes a chained entry."""
    assert vip("--as", "M1", "show", "C1", "--reveal").code == 0
    assert vip("--as", "M1", "customers", "--reveal").code == 0
    assert vip("--as", "H1", "export", "customers", "--format", "json",
               "--output", str(tmp_path / "c.json")).code == 0
    assert vip("--as", "L1", "lobby", "13812345678").code == 0
    assert _entries(outlet) == [("M1", "reveal", "C1"), ("M1", "reveal", "C1"),
                                ("H1", "export", "C1"), ("L1", "lobby_lookup", "C1")]
    doc = vip("--as", "OP1", "audit", "verify", "--json").json()
    assert doc["ok"] and doc["entries"] == 4


def test_a_branch_head_sees_its_own_outlets_entries_only(outlet, vip):
    with writing(outlet).begin() as conn:
        for actor, action, customer in [("M1", "reveal", "C1"), ("M4", "reveal", "C9"),
                                        ("M1", "export", None), ("H2", "backup", None)]:
            audit(conn, actor, action, customer)
    seen = {(e["actor_id"], e["action"], e["customer_id"])
            for e in vip("--as", "H1", "audit", "--json").json()}
    assert seen == {("M1", "reveal", "C1"), ("M1", "export", None)}


def test_vip_today_cannot_backdate_an_entry(outlet, vip, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2019-01-01")
    before = dt.datetime.now().replace(microsecond=0)
    assert vip("--as", "M1", "show", "C1", "--reveal").code == 0
    entry = vip("--as", "OP1", "audit", "--action", "reveal", "--json").json()[0]
    at = dt.datetime.fromisoformat(entry["at"])
    assert before <= at <= dt.datetime.now()
    assert at.date() == dt.date.today() != dt.date(2019, 1, 1)


def test_verify_in_chinese(outlet, vip, chinese):
    vip("--as", "M1", "show", "C1", "--reveal")
    result = vip("--as", "OP1", "audit", "verify")
    assert result.code == 0
    assert result.out.startswith("审计日志完好：1 条记录")
    _tamper(outlet, "UPDATE audit_log SET detail = NULL WHERE id = 1")
    broken = vip("--as", "OP1", "audit", "verify")
    assert broken.code == 1 and broken.err.strip() == "审计日志已被改动：第 1 条记录被修改：内容与其哈希不符"
    assert vip("--as", "OP1", "audit", "verify", "--json").json()["problem"] == "changed"


def test_verify_help_in_chinese(tmp_path):
    env = {**os.environ, "VIP_LANG": "zh_CN", "COLUMNS": "80", "VIP_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "vipcli", "audit", "verify", "--help"],
                            capture_output=True, text=True, env=env, check=False,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0
    assert "哈希链" in result.stdout and "vip --as S004 audit verify" in result.stdout


def test_migration_message_reaches_the_user(tmp_path):
    """A 0004 database with entries: the first command chains them and says so, once."""
    from vipcli.db import migrate
    from vipcli.db.engine import make_engine

    db = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine, "0004")
    factories.org(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, actor_id, action) VALUES "
                          "('2026-11-20 09:00:00.000000', 'OP1', 'import'), "
                          "('2026-11-20 09:01:00.000000', 'OP1', 'import')"))
    engine.dispose()
    env = {**os.environ, "VIP_LANG": "zh_CN", "VIP_HOME": str(tmp_path), "VIP_DB": str(db)}
    run = [sys.executable, "-m", "vipcli", "--as", "OP1", "audit", "verify", "--json"]
    cwd = Path(__file__).resolve().parents[2]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=False, cwd=cwd)
    assert first.returncode == 0, first.stderr
    assert "审计日志：已为 2 条既有记录建立哈希链" in first.stderr
    assert json.loads(first.stdout)["entries"] == 2
    again = subprocess.run(run, capture_output=True, text=True, env=env, check=False, cwd=cwd)
    assert "哈希链" not in again.stderr
