"""The CLI's contract for the foundation: help, db, config, errors as one line (SPEC §14, §15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests import factories


def test_help_lists_the_commands(vip):
    result = vip("--help")
    assert result.code == 0
    assert "quickstart" in result.out and "import" in result.out


def test_db_current_reports_revision_after_first_use(vip, db_url):
    assert vip("db", "upgrade").code == 0
    result = vip("db", "current", "--json")
    assert result.code == 0
    doc = result.json()
    assert doc["current"] == doc["head"]


def test_config_show_json_lists_every_rule_with_its_source(vip, tmp_path):
    rules = tmp_path / "r.toml"
    rules.write_text("[events]\nmaturity_lead_days = 10\n", encoding="utf-8")
    doc = vip("--rules", str(rules), "config", "show", "--json").json()
    by_name = {r["name"]: r for r in doc["rules"]}
    assert by_name["events.maturity_lead_days"]["value"] == 10
    assert by_name["events.maturity_lead_days"]["source"] == f"rules file {rules}"
    assert by_name["tiers.gold"]["source"] == "default"


def test_an_invalid_rules_file_is_one_line_naming_the_key_exit_1(vip, tmp_path):
    rules = tmp_path / "r.toml"
    rules.write_text("[screening]\ndowngrade_after_months = 0\n", encoding="utf-8")
    result = vip("--rules", str(rules), "config", "show")
    assert result.code == 1
    assert result.out == ""
    assert "screening.downgrade_after_months" in result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_audit_needs_an_identity(vip, engine):
    result = vip("audit")
    assert result.code == 1
    assert "--as STAFF_ID" in result.err


def test_unknown_identity_is_refused(vip, engine):
    factories.org(engine)
    result = vip("--as", "NOBODY", "audit")
    assert result.code == 1
    assert "unknown staff member 'NOBODY'" in result.err


def test_wrong_role_is_refused_with_the_roles_that_may(vip, engine):
    factories.org(engine)
    result = vip("--as", "M1", "audit")
    assert result.code == 1
    assert "may not read the audit log" in result.err and "Operator" in result.err


def test_audit_log_lists_entries_for_the_operator(vip, engine):
    factories.org(engine)
    result = vip("--as", "OP1", "audit", "--json")
    assert result.code == 0
    assert json.loads(result.out) == []
    again = vip("--as", "OP1", "audit", "--json").json()
    assert again[0]["action"] == "audit_read" and again[0]["actor_id"] == "OP1"


def test_backup_writes_an_owner_only_copy(vip, engine, tmp_path, db_url):
    factories.org(engine)
    target = tmp_path / "copy.db"
    result = vip("--as", "OP1", "backup", str(target))
    if db_url.startswith("postgresql"):
        assert result.code == 1 and "pg_dump" in result.err  # and the command to use (§13)
        return
    assert result.code == 0, result.err
    assert target.stat().st_mode & 0o777 == 0o600
    assert vip("--as", "OP1", "backup", str(target)).code == 1  # never overwrites


def test_a_database_newer_than_vip_is_refused_with_exit_2(vip, engine):
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99'"))
    result = vip("--as", "OP1", "audit")
    assert result.code == 2
    assert "newer than this vip" in result.err


def test_the_installed_command_starts_without_importing_heavy_modules(tmp_path):
    """`vip --help` must not pay for SQLAlchemy, Rich or Alembic (fast start: docs/design.md "Start-up")."""
    code = (
        "import sys; from vipcli.cli import app; "
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'rich', 'openpyxl', 'holidays') "
        "if m in sys.modules]; print(heavy)"
    )
    env = dict(os.environ, VIP_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
