"""`vip backup` and `vip restore` (§13 resilience): a restore checks the backup, sets the live
database and its -wal/-shm aside (kept) and puts the backup in place in one rename; a backup
or a restore killed half-way leaves the live database intact and no half-written FILE.

SQLite only: on PostgreSQL both commands name pg_dump/pg_restore (tests/e2e/test_files_cli.py).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from tests import factories
from tests.factories import open_sqlite as _open
from vipcli.db.schema import HEAD, REVISIONS
from vipcli.errors import (
    IdentityRequired,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
)
from vipcli.services.core import backup as service

TIMEOUT_MS = 2_000


@pytest.fixture
def live(engine, db_url):
    if "://" in db_url:
        pytest.skip("vip backup and restore copy SQLite files")
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", name="歐陽明")
    return Path(db_url)


def _name(db: Path, customer_id: str = "C1") -> str | None:
    with _open(db) as conn:
        row = conn.execute("SELECT name FROM customers WHERE customer_id = ?",
                           (customer_id,)).fetchone()
    return None if row is None else row[0]


def _rename(db: Path, name: str) -> None:
    with _open(db) as conn:
        conn.execute("UPDATE customers SET name = ? WHERE customer_id = 'C1'", (name,))


def _backup(ctx, tmp_path: Path, name: str = "backup.db") -> Path:
    target = tmp_path / "backups" / name
    service.backup(ctx("OP1"), str(target))
    return target


def _digest(*paths: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


def _beside(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name))


def _restore(live: Path, backup: Path, actor: str | None = "OP1", **kw) -> service.RestoreResult:
    return service.restore(str(live), str(backup), actor, busy_timeout_ms=kw.get("ms", TIMEOUT_MS))


def test_restore_brings_back_the_backup_and_keeps_the_live_database_aside(live, ctx, engine,
                                                                          tmp_path):
    backup = _backup(ctx, tmp_path)
    _rename(live, "改過的名字")
    engine.dispose()
    done = _restore(live, backup)
    assert _name(live) == "歐陽明"
    assert done["restored_from"] == str(backup) and done["revision"] == HEAD
    aside = Path(done["moved_aside"][0])
    assert aside.name.startswith("vip.db.before-restore-") and _name(aside) == "改過的名字"
    assert (live.stat().st_mode & 0o777) == 0o600
    with _open(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        entry = conn.execute("SELECT actor_id, action, detail FROM audit_log "
                             "ORDER BY id DESC LIMIT 1").fetchone()
    assert entry[:2] == ("OP1", "restore") and str(backup) in entry[2]


def _killed_writer(db: Path, name: str) -> None:
    """A process that commits into the WAL and dies before any checkpoint (kill -9 alike)."""
    code = ("import os, sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('PRAGMA wal_autocheckpoint=0')\n"
            "c.execute(\"UPDATE customers SET name = ? WHERE customer_id = 'C1'\", (sys.argv[2],))\n"
            "os._exit(9)\n")
    assert subprocess.run([sys.executable, "-c", code, str(db), name]).returncode == 9


def test_a_stale_wal_beside_the_live_file_goes_aside_with_it_never_into_the_restored_one(
        live, ctx, engine, tmp_path):
    backup = _backup(ctx, tmp_path)
    engine.dispose()
    _killed_writer(live, "只在日誌裡")
    assert Path(f"{live}-wal").stat().st_size > 0  # what copying a backup over would replay
    done = _restore(live, backup)
    assert _name(live) == "歐陽明"
    wal = Path(f"{live}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert _name(Path(done["moved_aside"][0])) == "只在日誌裡"  # the aside set is complete
    with _open(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_every_sidecar_is_set_aside_under_the_same_name(live, ctx, engine, tmp_path):
    backup = _backup(ctx, tmp_path)
    engine.dispose()
    holder = sqlite3.connect(live)  # another reader keeps -wal and -shm in place
    holder.execute("SELECT 1 FROM customers").fetchone()
    journal = Path(f"{live}-journal")
    journal.write_bytes(b"")  # a left-over rollback journal
    try:
        done = _restore(live, backup)
    finally:
        holder.close()
    aside = Path(done["moved_aside"][0])
    names = {Path(p).name for p in done["moved_aside"]}
    assert {aside.name + s for s in ("", "-wal", "-shm", "-journal")} == names
    assert not journal.exists()


def _garbage(path: Path) -> None:
    path.write_text("customer_id,name\nC1,歐陽明\n", encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _not_vip(path: Path) -> None:
    with _open(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")


def _unknown_revision(path: Path) -> None:
    with _open(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zz99'")
    _single_file(path)


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096 if len(data) > 8192 else 1024
    data[page * 2: page * 2 + 64] = os.urandom(64)  # a b-tree page torn in the middle
    path.write_bytes(bytes(data))


def _single_file(path: Path) -> None:
    with _open(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")


def _with_wal(path: Path) -> None:
    Path(f"{path}-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)


@pytest.mark.parametrize(("spoil", "message"), [
    (_garbage, "not an SQLite database"),
    (_empty, "not an SQLite database"),
    (_not_vip, "not a vip database"),
    (_unknown_revision, "schema revision zz99"),
    (_damaged, "integrity check"),
    (_with_wal, "write-ahead log"),
], ids=["text", "empty", "not-vip", "unknown-revision", "damaged", "wal-beside"])
def test_a_file_that_is_not_a_sound_vip_backup_is_refused_and_nothing_changes(
        live, ctx, engine, tmp_path, spoil, message):
    backup = _backup(ctx, tmp_path)
    if spoil in (_garbage, _empty, _not_vip):
        backup.unlink()
    spoil(backup)
    engine.dispose()
    before, files = _digest(live), _beside(live)
    with pytest.raises(InvalidInput, match=message):
        _restore(live, backup)
    assert _digest(live) == before and _beside(live) == files


def test_the_live_database_is_not_its_own_backup(live, engine):
    engine.dispose()
    for name in (str(live), f"{live}-wal"):
        with pytest.raises(InvalidInput, match="live database itself"):
            service.restore(str(live), name, "OP1", busy_timeout_ms=TIMEOUT_MS)
    with pytest.raises(NotFound, match="no backup file"):
        _restore(live, live.with_name("nowhere.db"))


@pytest.mark.parametrize(("actor", "error"), [
    ("H1", PermissionDenied), ("M1", PermissionDenied), (None, IdentityRequired), ("NOBODY", NotFound),
    ("MX", PermissionDenied),
])
def test_only_an_operator_restores(live, ctx, engine, tmp_path, actor, error):
    backup = _backup(ctx, tmp_path)
    engine.dispose()
    before = _digest(live)
    with pytest.raises(error):
        _restore(live, backup, actor)
    assert _digest(live) == before and _beside(live) == ["vip.db"]


def test_onto_a_missing_database_the_operator_is_found_in_the_backup(live, ctx, engine, tmp_path):
    backup = _backup(ctx, tmp_path)
    engine.dispose()
    target = tmp_path / "new-home" / "vip.db"
    target.parent.mkdir()
    done = _restore(target, backup)
    assert done["moved_aside"] == [] and _name(target) == "歐陽明"
    with pytest.raises(NotFound, match="looked up in the backup"):
        _restore(tmp_path / "new-home" / "other.db", backup, "NOBODY")


def test_onto_a_broken_database_it_is_set_aside_and_replaced(live, ctx, engine, tmp_path):
    backup = _backup(ctx, tmp_path)
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    live.write_bytes(b"\x00" * 4096)  # what a failed disk or a bad copy leaves
    done = _restore(live, backup)
    assert _name(live) == "歐陽明"
    assert Path(done["moved_aside"][0]).read_bytes() == b"\x00" * 4096


def test_restore_waits_for_a_writer_then_refuses_and_changes_nothing(live, ctx, engine, tmp_path):
    backup = _backup(ctx, tmp_path)
    engine.dispose()
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE customers SET name = '寫著呢' WHERE customer_id = 'C1'")
    try:
        started = time.monotonic()
        with pytest.raises(PreconditionFailed, match="in use by another vip command"):
            _restore(live, backup, ms=300)
        assert time.monotonic() - started >= 0.3
        assert _beside(live) == ["vip.db", "vip.db-shm", "vip.db-wal"]
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert _name(live) == "寫著呢"


def test_an_older_backup_is_restored_and_upgraded(live, tmp_path, engine):
    from vipcli.db.engine import make_engine
    from vipcli.db.migrate import upgrade

    old = tmp_path / "old.db"
    old_engine = make_engine(f"sqlite:///{old}")
    upgrade(old_engine, REVISIONS[0])
    old_engine.dispose()
    with _open(old) as conn:
        conn.execute("INSERT INTO branches (branch_id, name, parent_id, level) "
                     "VALUES ('B01', '廣西分行', NULL, 1)")
        conn.execute("INSERT INTO staff (staff_id, name, role, branch_id, capacity, active) "
                     "VALUES ('OP1', '朱操作', 'operator', 'B01', 1, 1)")
    _single_file(old)
    engine.dispose()
    done = _restore(live, old)
    assert done["revision"] == REVISIONS[0]
    with _open(live) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)


def test_the_cli_prints_the_restore_document(live, ctx, engine, tmp_path, vip):
    backup = _backup(ctx, tmp_path)
    engine.dispose()
    result = vip("--as", "OP1", "restore", str(backup), "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["restored_from"] == str(backup) and len(doc["moved_aside"]) == 1
    assert vip("--as", "H1", "restore", str(backup)).code == 1


def test_backup_of_a_database_that_holds_nothing_is_refused(tmp_path, vip, db_url):
    if "://" in db_url:
        pytest.skip("SQLite")
    empty = tmp_path / "empty.db"
    missing = vip("--as", "OP1", "backup", str(tmp_path / "b.db"), db=str(empty))
    assert missing.code == 1 and "does not exist" in missing.err  # a mistyped --db makes nothing
    assert not empty.exists()
    empty.touch()
    result = vip("--as", "OP1", "backup", str(tmp_path / "b.db"), db=str(empty))
    assert result.code == 2 and "nothing to back up" in result.err
    assert not (tmp_path / "b.db").exists()


def test_backup_does_not_upgrade_the_database_it_copies(tmp_path, vip, db_url):
    """The backup taken before an upgrade must hold the schema from before it."""
    if "://" in db_url:
        pytest.skip("SQLite")
    from vipcli.db.engine import make_engine
    from vipcli.db.migrate import upgrade

    old = tmp_path / "old.db"
    old_engine = make_engine(f"sqlite:///{old}")
    upgrade(old_engine, REVISIONS[0])
    with old_engine.begin() as conn:
        conn.execute(text("INSERT INTO branches (branch_id, name, parent_id, level) "
                          "VALUES ('B01', '廣西分行', NULL, 1)"))
        conn.execute(text("INSERT INTO staff (staff_id, name, role, branch_id, capacity, active) "
                          "VALUES ('OP1', '朱操作', 'operator', 'B01', 1, 1)"))
    old_engine.dispose()
    result = vip("--as", "OP1", "backup", str(tmp_path / "b.db"), "--json", db=str(old))
    assert result.code == 0, result.err
    assert result.json()["revision"] == REVISIONS[0]
    with _open(old) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (REVISIONS[0],)


# -- the audit chain across backup and restore (§13) -------------------------------------------


def _verified(db: Path):
    from vipcli.db.engine import make_engine
    from vipcli.services.core.audit import verify

    engine = make_engine(f"sqlite:///{db}", create=False)
    try:
        with engine.connect() as conn:
            return verify(conn)
    finally:
        engine.dispose()


def _reveal(ctx, times: int = 1) -> None:
    from vipcli.services.core.audit import audit

    for _ in range(times):
        with ctx("M1").begin() as conn:
            audit(conn, "M1", "reveal", "C1", command="show")


def test_backup_names_the_last_entry_of_the_copys_audit_log(live, ctx, tmp_path):
    _reveal(ctx, 2)
    target = tmp_path / "b.db"
    done = service.backup(ctx("OP1"), str(target))
    copy = _verified(target)
    assert copy.ok and copy.entries == 2
    assert done["audit"] == {"latest_id": 2, "latest_hash": copy.latest_hash}
    after = _verified(live)  # the backup's own entry follows, in the live log only
    assert after.ok and after.entries == 3


def test_a_backup_of_an_empty_log_names_the_genesis(live, ctx, tmp_path):
    from vipcli.services.core.audit import GENESIS

    done = service.backup(ctx("OP1"), str(tmp_path / "b.db"))
    assert done["audit"] == {"latest_id": 0, "latest_hash": GENESIS}


def test_a_restored_log_is_one_chain_and_its_entry_keeps_the_replaced_end(live, ctx, engine, tmp_path):
    import json

    _reveal(ctx)
    backup = _backup(ctx, tmp_path)
    _reveal(ctx, 3)
    replaced = _verified(live)
    engine.dispose()
    _restore(live, backup)
    restored = _verified(live)
    assert restored.ok and restored.entries == 2  # the reveal in the copy, then the restore
    with _open(live) as conn:
        action, detail = conn.execute("SELECT action, detail FROM audit_log ORDER BY id DESC").fetchone()
    assert action == "restore"
    assert json.loads(detail)["replaced_audit_head"] == {"latest_id": replaced.latest_id,
                                                         "latest_hash": replaced.latest_hash}


def test_a_backup_of_a_database_before_the_chain_is_chained_on_upgrade(tmp_path, vip, db_url):
    if "://" in db_url:
        pytest.skip("SQLite")
    from vipcli.db.engine import make_engine, open_engine
    from vipcli.db.migrate import upgrade

    old = tmp_path / "old.db"
    old_engine = make_engine(f"sqlite:///{old}")
    upgrade(old_engine, "0004")
    factories.org(old_engine)
    old_engine.dispose()
    result = vip("--as", "OP1", "backup", str(tmp_path / "b.db"), "--json", db=str(old))
    assert result.code == 0, result.err
    assert result.json()["audit"] is None and result.json()["revision"] == "0004"
    with _open(old) as conn:
        assert conn.execute("SELECT action FROM audit_log").fetchall() == [("backup",)]
    open_engine(str(old)).dispose()  # the next use upgrades and chains the backup's entry
    verdict = _verified(old)
    assert verdict.ok and verdict.entries == 1


# -- kill -9 (the slow set) --------------------------------------------------------------------


def _ballast(db: Path, megabytes: int) -> None:
    """Make the database big enough that a copy of it takes a while."""
    with _open(db) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS ballast (b BLOB)")
        conn.executemany("INSERT INTO ballast VALUES (randomblob(1048576))", [()] * megabytes)


def _vip(db: Path, tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, VIP_HOME=str(tmp_path / "home"))
    return subprocess.Popen([sys.executable, "-m", "vipcli", "--db", str(db), "--as", "OP1", *args],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(condition, seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.0005)
    return False


def _partials(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".partial")] if folder.exists() else []


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["copying", "checking"])
def test_a_backup_killed_half_way_leaves_no_file_and_the_database_intact(live, engine, tmp_path,
                                                                         moment):
    engine.dispose()
    _ballast(live, 20)
    size = live.stat().st_size
    before = _digest(live)
    target = tmp_path / "backups" / "vip.db"
    process = _vip(live, tmp_path, "backup", str(target))
    if moment == "copying":  # the temporary file exists, not yet full
        seen = _wait_for(lambda: any(p.stat().st_size > 0 for p in _partials(target.parent)))
    else:  # fully copied, being checked
        seen = _wait_for(lambda: any(p.stat().st_size >= size for p in _partials(target.parent)))
    assert seen, process.stderr.read().decode() if process.poll() is not None else "no partial file"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert not target.exists(), "a killed backup left a file at FILE"
    assert _digest(live) == before
    with _open(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # Run again: the leftover temporary file does not stand in the way.
    again = _vip(live, tmp_path, "backup", str(target))
    assert again.wait(120) == 0, again.stderr.read().decode()
    with _open(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM ballast").fetchone() == (20,)


@pytest.mark.slow
def test_a_restore_killed_half_way_leaves_the_live_database_working(live, ctx, engine, tmp_path):
    _ballast(live, 20)
    backup = _backup(ctx, tmp_path)
    _rename(live, "改過的名字")
    engine.dispose()
    process = _vip(live, tmp_path, "restore", str(backup))
    assert _wait_for(lambda: any(p.stat().st_size > 0 for p in _partials(live.parent)))
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _name(live) == "改過的名字"  # the copy was not yet in place: the live file is untouched
    with _open(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.slow
def test_an_import_killed_while_writing_leaves_nothing_half_written(live, engine, tmp_path):
    """§12: all rows or none, even under kill -9; the database stays sound and re-importing works."""
    customers = 20_000
    with engine.begin() as conn:
        conn.execute(text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count) "
            "INSERT INTO customers (customer_id, name, gender, birth_date, birthday_calendar, "
            "occupation, branch_id, status) SELECT printf('K%06d', i), '客戶', 'M', '1970-01-01', "
            "'solar', 'executive', 'O001', 'prospect' FROM n"), {"count": customers})
    engine.dispose()
    months = [f"2026-{m:02d}" for m in range(1, 11)]
    extract = factories.write_csv(tmp_path / "assets.csv", ["customer_id", "month", "avg_daily_assets"],
                                  [[f"K{i:06d}", month, "123456.78"]
                                   for i in range(1, customers + 1) for month in months])
    wal = Path(f"{live}-wal")
    process = _vip(live, tmp_path, "import", "assets", str(extract))
    writing = _wait_for(lambda: wal.exists() and wal.stat().st_size > 1_000_000, seconds=120)
    assert writing, process.stderr.read().decode() if process.poll() is not None else "no write seen"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    with _open(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM monthly_assets").fetchone() == (0,)
    again = _vip(live, tmp_path, "import", "assets", str(extract))
    assert again.wait(300) == 0, again.stderr.read().decode()
    with _open(live) as conn:
        assert conn.execute("SELECT count(*) FROM monthly_assets").fetchone() == (customers * 10,)


def test_restore_into_a_folder_that_does_not_exist_is_one_clear_refusal(live, ctx, engine, tmp_path):
    backup = _backup(ctx, tmp_path)
    engine.dispose()
    with pytest.raises(InvalidInput, match="cannot restore into"):
        _restore(tmp_path / "nowhere" / "vip.db", backup)
