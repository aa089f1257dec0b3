"""The audit log is one hash chain (§13): plain-SQL tampering is named, on both engines.

Every test edits the database the way someone with the file (or a database login) would:
plain SQL, no vip code, then asks `verify` which entry is wrong.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text

from tests import factories
from vipcli.db.engine import writing
from vipcli.services.core import audit as chain
from vipcli.services.core.audit import GENESIS, audit, audit_many, entry_hash, verify


def _write(engine, n: int = 6) -> None:
    for i in range(n):
        with writing(engine).begin() as conn:
            audit(conn, "M1", "reveal", f"C{i}", command="show", n=i)


def _verdict(engine, anchor=None):
    with engine.connect() as conn:
        return verify(conn, anchor)


def _sql(engine, statement: str, **params) -> None:
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def _rows(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT id, prev_hash, hash FROM audit_log ORDER BY id")).all()


def test_every_entry_chains_to_the_one_before(engine):
    _write(engine, 3)
    with writing(engine).begin() as conn:
        audit_many(conn, "M1", "export", ["C7", "C8"], file="/tmp/x.csv")
    rows = _rows(engine)
    assert [r.id for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:], strict=False))
    verdict = _verdict(engine)
    assert verdict.ok and verdict.entries == 5
    assert (verdict.latest_id, verdict.latest_hash) == (5, rows[-1].hash)


def test_the_hash_is_sha256_over_the_documented_canonical_form(engine):
    import hashlib

    with writing(engine).begin() as conn:
        audit(conn, "H1", "backup", None, file="/b/一.db")
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM audit_log")).mappings().one()
    at = row["at"] if isinstance(row["at"], dt.datetime) else dt.datetime.fromisoformat(row["at"])
    canonical = ('{"action":"backup","actor_id":"H1","at":"' + at.isoformat() + '","customer_id":null,'
                 '"detail":"{\\"file\\": \\"/b/一.db\\"}","id":1,"prev_hash":"' + GENESIS + '"}')
    assert row["hash"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert row["hash"] == entry_hash(1, at, "H1", "backup", None, row["detail"], GENESIS)


def test_an_empty_log_is_sound(engine):
    verdict = _verdict(engine)
    assert verdict.ok and verdict.entries == 0 and verdict.latest_hash == GENESIS


@pytest.mark.parametrize("change", [
    "UPDATE audit_log SET detail = '{\"command\": \"lobby\"}' WHERE id = 3",
    "UPDATE audit_log SET actor_id = 'H1' WHERE id = 3",
    "UPDATE audit_log SET at = :earlier WHERE id = 3",
    "UPDATE audit_log SET customer_id = NULL WHERE id = 3",
    "UPDATE audit_log SET action = 'sign' WHERE id = 3",
])
def test_an_edited_entry_is_named(engine, change):
    _write(engine)
    _sql(engine, change, earlier=dt.datetime(2019, 1, 1, 9, 0))
    verdict = _verdict(engine)
    assert not verdict.ok
    assert (verdict.first_bad_id, verdict.problem) == (3, "changed")
    assert verdict.entries == 2 and verdict.latest_id == 2


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(engine):
    _write(engine)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT * FROM audit_log WHERE id = 3")).mappings().one()
        at = row["at"] if isinstance(row["at"], dt.datetime) else dt.datetime.fromisoformat(row["at"])
        forged = entry_hash(3, at, "H1", row["action"], row["customer_id"], row["detail"], row["prev_hash"])
        conn.execute(text("UPDATE audit_log SET actor_id = 'H1', hash = :h WHERE id = 3"), {"h": forged})
    verdict = _verdict(engine)
    assert (verdict.first_bad_id, verdict.problem) == (4, "unchained")


def test_a_deleted_middle_entry_is_named(engine):
    _write(engine)
    _sql(engine, "DELETE FROM audit_log WHERE id = 4")
    verdict = _verdict(engine)
    assert (verdict.first_bad_id, verdict.problem) == (4, "removed")
    assert verdict.entries == 3


def test_deleted_last_entries_are_seen(engine):
    _write(engine)
    _sql(engine, "DELETE FROM audit_log WHERE id >= 5")
    verdict = _verdict(engine)
    assert (verdict.first_bad_id, verdict.problem) == (5, "tail_removed")
    assert "from entry 5 on" in chain.describe(verdict)


def test_a_deleted_tail_is_seen_after_new_entries_too(engine):
    """Ids are never given twice: the next entry is 7, chained to the removed entry 6."""
    _write(engine)
    _sql(engine, "DELETE FROM audit_log WHERE id >= 5")
    _write(engine, 1)
    assert [r.id for r in _rows(engine)] == [1, 2, 3, 4, 7]
    verdict = _verdict(engine)
    assert (verdict.first_bad_id, verdict.problem) == (5, "removed")


def test_a_deleted_tail_with_its_head_record_rewritten_is_seen(engine, db_url):
    """The head beside the chain is rewritten too: SQLite's own sqlite_sequence still
    knows entry 6 was written; on both engines the hash written down earlier is gone."""
    _write(engine)
    written_down = _verdict(engine).latest_hash
    _sql(engine, "DELETE FROM audit_log WHERE id >= 5")
    last = _rows(engine)[-1]
    _sql(engine, "UPDATE db_settings SET value = :v WHERE key = 'audit_head'", v=f"4 {last.hash}")
    if engine.dialect.name == "sqlite":
        verdict = _verdict(engine)
        assert (verdict.first_bad_id, verdict.problem) == (5, "tail_removed")
    verdict = _verdict(engine, anchor=written_down)
    assert not verdict.ok
    assert verdict.problem in ("tail_removed", "anchor_missing")
    assert _verdict(engine, anchor=last.hash).ok or engine.dialect.name == "sqlite"


def test_a_removed_head_record_is_named(engine):
    _write(engine)
    _sql(engine, "DELETE FROM db_settings WHERE key = 'audit_head'")
    assert _verdict(engine).problem == "no_head"


def test_a_forged_entry_with_a_bad_hash_is_named(engine):
    _write(engine)
    _sql(engine, "INSERT INTO audit_log (id, at, actor_id, action, customer_id, detail, prev_hash, hash) "
         "VALUES (7, :at, 'H1', 'reveal', 'C9', NULL, :prev, :h)",
         at=dt.datetime(2026, 11, 27, 9), prev=_rows(engine)[-1].hash, h="f" * 64)
    verdict = _verdict(engine)
    assert (verdict.first_bad_id, verdict.problem) == (7, "changed")


@pytest.mark.parametrize("forged_id", [7, 100])
def test_a_forged_entry_that_chains_is_named(engine, forged_id):
    """Whoever forges a well-chained entry still does not move the head kept beside it."""
    _write(engine)
    last = _rows(engine)[-1]
    at = dt.datetime(2026, 11, 27, 9)
    digest = entry_hash(forged_id, at, "H1", "reveal", "C9", None, last.hash)
    _sql(engine, "INSERT INTO audit_log (id, at, actor_id, action, customer_id, detail, prev_hash, hash) "
         "VALUES (:id, :at, 'H1', 'reveal', 'C9', NULL, :prev, :h)",
         id=forged_id, at=at, prev=last.hash, h=digest)
    verdict = _verdict(engine)
    assert (verdict.first_bad_id, verdict.problem) == (7, "inserted")


def test_a_forged_entry_between_two_is_named(engine):
    """A row slipped in with a free id (entry 4 deleted, a forgery put in its place)."""
    _write(engine)
    _sql(engine, "DELETE FROM audit_log WHERE id = 4")
    prev = _rows(engine)[2].hash
    at = dt.datetime(2026, 11, 27, 9)
    _sql(engine, "INSERT INTO audit_log (id, at, actor_id, action, customer_id, detail, prev_hash, hash) "
         "VALUES (4, :at, 'H1', 'reveal', 'C9', NULL, :prev, :h)",
         at=at, prev=prev, h=entry_hash(4, at, "H1", "reveal", "C9", None, prev))
    verdict = _verdict(engine)
    assert (verdict.first_bad_id, verdict.problem) == (5, "unchained")


def test_a_value_no_writer_stores_is_a_change_not_a_crash(engine):
    _write(engine)
    if engine.dialect.name == "sqlite":  # SQLite keeps whatever text it is given
        _sql(engine, "UPDATE audit_log SET at = 'yesterday', actor_id = 7 WHERE id = 2")
    else:
        _sql(engine, "UPDATE audit_log SET hash = 'x' WHERE id = 2")
    verdict = _verdict(engine)
    assert (verdict.first_bad_id, verdict.problem) == (2, "changed")


def test_an_anchor_in_the_chain_is_found(engine):
    _write(engine)
    written_down = _verdict(engine).latest_hash
    _write(engine, 2)
    assert _verdict(engine, anchor=written_down).ok
    verdict = _verdict(engine, anchor="a" * 64)
    assert verdict.problem == "anchor_missing" and "a" * 64 in chain.describe(verdict, "a" * 64)


def test_the_business_date_cannot_backdate_an_entry(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2019-01-01")
    before = dt.datetime.now().replace(microsecond=0)
    _write(engine, 1)
    after = dt.datetime.now()
    with engine.connect() as conn:
        at = conn.execute(text("SELECT at FROM audit_log")).scalar_one()
    at = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at)
    assert before <= at <= after
    from vipcli import clock

    assert clock.now().date() == dt.date(2019, 1, 1)  # the business date stays pinned
    assert clock.wall_now().date() == dt.date.today()


def test_a_rolled_back_entry_leaves_no_gap(engine):
    _write(engine, 2)
    with pytest.raises(RuntimeError), writing(engine).begin() as conn:
        audit(conn, "M1", "reveal", "C1")
        raise RuntimeError("the command failed after auditing")
    _write(engine, 1)
    assert [r.id for r in _rows(engine)] == [1, 2, 3]
    assert _verdict(engine).ok


def test_concurrent_writers_keep_one_chain(engine):
    """Two writers at once (threads with their own connections): each takes the chain's
    lock (BEGIN IMMEDIATE on SQLite, LOCK TABLE on PostgreSQL) before reading the head."""
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(who: str) -> None:
        try:
            start.wait()
            for i in range(25):
                with writing(engine).begin() as conn:
                    audit(conn, who, "reveal", f"C{i}")
                    if i % 5 == 0:
                        audit_many(conn, who, "export", ["C1", "C2", "C3"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(who,)) for who in ("M1", "M2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    verdict = _verdict(engine)
    assert verdict.ok, chain.describe(verdict)
    assert verdict.entries == 2 * (25 + 5 * 3)
    assert [r.id for r in _rows(engine)] == list(range(1, verdict.entries + 1))


def test_verify_reads_in_pages(engine, monkeypatch):
    """Constant memory: the walk fetches BATCH entries at a time, however long the log."""
    monkeypatch.setattr(chain, "BATCH", 4)
    _write(engine, 11)
    assert _verdict(engine).entries == 11
    _sql(engine, "UPDATE audit_log SET detail = NULL WHERE id = 9")
    assert _verdict(engine).first_bad_id == 9


def test_migrating_a_0004_database_chains_its_entries(db_url, capfd):
    from vipcli.db import migrate
    from vipcli.db.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(db_url))
    try:
        migrate.upgrade(engine, "0004")
        factories.org(engine)
        at = dt.datetime(2026, 11, 20, 9, 30)
        with engine.begin() as conn:  # ids 1, 2, 5, 6: 3 and 4 were deleted long ago
            for i in (1, 2, 5, 6):
                conn.execute(text("INSERT INTO audit_log (id, at, actor_id, action, customer_id, detail) "
                                  "VALUES (:i, :at, 'M1', 'reveal', :c, NULL)"), {"i": i, "at": at, "c": f"C{i}"})
        capfd.readouterr()
        migrate.upgrade(engine, "0005")
        assert "chained 4 existing entries" in capfd.readouterr().err
        rows = _rows(engine)
        assert [r.id for r in rows] == [1, 2, 5, 6]  # ids kept
        verdict = _verdict(engine)
        assert verdict.ok and verdict.entries == 4
        _write(engine, 1)
        assert _rows(engine)[-1].id == 7 and _verdict(engine).ok
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'audit_log'")).scalar()
            assert "AUTOINCREMENT" in ddl
        migrate.upgrade(engine, "0005")
        assert "chained" not in capfd.readouterr().err  # once
    finally:
        engine.dispose()


def test_migrating_a_0004_database_without_entries_says_nothing(db_url, capfd):
    from vipcli.db import migrate
    from vipcli.db.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(db_url))
    try:
        migrate.upgrade(engine, "0004")
        capfd.readouterr()
        migrate.upgrade(engine, "0005")
        assert "chained" not in capfd.readouterr().err
        assert _verdict(engine).ok
    finally:
        engine.dispose()
