"""Concurrent `vip` processes on one SQLite file wait for each other (SPEC §13, resilience).

A writing transaction takes the write lock when it starts (BEGIN IMMEDIATE) and waits for
it under the busy timeout of the rules file; a reading one is deferred and, under WAL,
never waits for a writer. Before this, a contact logged beside another writer failed 1 in
10 with "database is locked": its transaction read first and could not write afterwards
once someone else had committed (SQLite does not wait for what waiting cannot fix).
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert

from tests import factories
from vipcli.db import models

TODAY = "2026-11-27"
MANAGERS = ("M1", "M2", "M3")
MONTHS = [f"{2025 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(12)]  # 2025-11 … 2026-10
VIP = str(Path(sys.executable).with_name("vip"))


@pytest.fixture
def outlet(tmp_path, monkeypatch):
    """A SQLite outlet: the standard organisation, customers spread over M1–M3, twelve months
    of assets (so that `vip screen --month 2026-10` has work to do)."""
    from vipcli.db.engine import open_engine

    monkeypatch.setenv("VIP_TODAY", TODAY)
    path = tmp_path / "outlet.db"
    engine = open_engine(str(path))
    factories.org(engine)
    _customers(engine, 3000)
    engine.dispose()
    return path


def _customers(engine, count: int) -> list[str]:
    ids = [f"C{i:05d}" for i in range(count)]
    with engine.begin() as conn:
        conn.execute(insert(models.Customer), [
            dict(customer_id=cid, name="歐陽明", birthday_calendar="solar", occupation="other",
                 branch_id="O001", status="prospect", manager_id=MANAGERS[i % 3])
            for i, cid in enumerate(ids)])
        conn.execute(insert(models.MonthlyAsset), [
            dict(customer_id=cid, month=month, avg_daily_fen=int(Decimal(50_000 + 97 * i) * 100))
            for i, cid in enumerate(ids) for month in MONTHS])
    return ids


def run_vip(path: Path, *args: str, rules: Path | None = None) -> tuple[int, str, str, float]:
    """The real CLI in this process: (exit code, stdout, stderr, seconds)."""
    import contextlib
    import io

    from vipcli.cli.app import run

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["--db", str(path), *(["--rules", str(rules)] if rules else []), *args])
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - started


def _rules(tmp_path: Path, busy_timeout_seconds: int) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(f"[database]\nbusy_timeout_seconds = {busy_timeout_seconds}\n", encoding="utf-8")
    return path


def _contacts(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM contacts").fetchone()[0]


class HeldLock:
    """Another process's writing transaction: the write lock held until released."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("UPDATE staff SET capacity = capacity + 1 WHERE staff_id = 'L1'")  # a real change

    def release(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


# -- the guarantee, one case at a time ---------------------------------------------------------


def test_a_writer_waits_for_the_lock_instead_of_failing(outlet, monkeypatch):
    """Another process writes (and commits) while log-contact is about to start its own
    transaction: log-contact waits for it and then writes."""
    from vipcli.services.contact import contacts

    held = HeldLock(outlet)
    waited: list[float] = []
    original = contacts.validate

    def release_soon(entry, now):  # called just before log-contact's transaction begins
        threading.Timer(0.5, held.release).start()
        waited.append(time.perf_counter())
        return original(entry, now)

    monkeypatch.setattr(contacts, "validate", release_soon)
    code, _out, err, _took = run_vip(outlet, "--as", "M1", "log-contact", "C00000", "--channel", "phone",
                                     "--summary", "called back")
    assert code == 0, err
    assert time.perf_counter() - waited[0] >= 0.45  # it waited for the other transaction, then wrote
    assert _contacts(outlet) == 1


def test_a_write_after_a_read_holds_the_lock_it_will_need(outlet, monkeypatch):
    """The failure of issue 13: log-contact reads the customer, then writes. Begun deferred,
    another process could commit in between and the write then failed at once with
    "database is locked". Begun IMMEDIATE, the other process waits instead."""
    from vipcli.services.contact import contacts

    others: list[str] = []
    original = contacts.get_visible_customer

    def read_then_another_process_writes(session, actor, customer_id):
        found = original(session, actor, customer_id)
        other = sqlite3.connect(outlet, timeout=0.2, isolation_level=None)
        try:
            other.execute("UPDATE staff SET capacity = capacity + 1 WHERE staff_id = 'L1'")
            others.append("committed")
        except sqlite3.OperationalError as exc:
            others.append(str(exc))
        finally:
            other.close()
        return found

    monkeypatch.setattr(contacts, "get_visible_customer", read_then_another_process_writes)
    code, _out, err, _took = run_vip(outlet, "--as", "M1", "log-contact", "C00000", "--channel", "phone")
    assert code == 0, err
    assert others == ["database is locked"]  # the other writer had to wait: the lock was ours
    assert _contacts(outlet) == 1


@pytest.mark.parametrize("args", [
    ("--as", "M1", "due", "--json"),
    ("--as", "H1", "customers", "--json"),
    ("--as", "M1", "show", "C00000", "--json"),
    ("--as", "H1", "segment", "--json"),
    ("--as", "M1", "opp", "list", "--json"),
    ("--as", "H1", "report", "weekly", "--json"),
])
def test_a_reader_never_waits_for_a_writer(outlet, tmp_path, args):
    held = HeldLock(outlet)  # held for the whole command: a reader that needed it would fail
    try:
        code, out, err, _took = run_vip(outlet, *args, rules=_rules(tmp_path, 1))
    finally:
        held.release()
    assert code == 0, err
    json.loads(out)


def test_a_lock_held_past_the_busy_timeout_is_one_clear_line_and_changes_nothing(outlet, tmp_path):
    held = HeldLock(outlet)
    try:
        code, _out, err, took = run_vip(outlet, "--as", "M1", "log-contact", "C00000", "--channel",
                                        "phone", rules=_rules(tmp_path, 1))
    finally:
        held.release()
    assert code == 2
    assert err.startswith("error: the database is busy: another vip command is writing to it")
    assert "database.busy_timeout_seconds" in err and len(err.strip().splitlines()) == 1
    assert 0.9 <= took < 10
    assert _contacts(outlet) == 0


def test_the_busy_timeout_comes_from_the_rules_file(outlet, tmp_path):
    from vipcli.config import load_rules
    from vipcli.db.engine import open_engine

    rules = load_rules(_rules(tmp_path, 7))
    engine = open_engine(str(outlet), busy_timeout_ms=rules.rules.database.busy_timeout_seconds * 1000)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 7000
    engine.dispose()


# -- the outlet at work --------------------------------------------------------------------------

WORKER = """
import json, os, sys, time
from vipcli.cli.app import run
import vipcli.cli.output, vipcli.services.contact.contacts  # what the first contact would import

db, staff, first, worker, flag, stop, out = sys.argv[1:8]
open(out + ".ready", "w").close()
while not os.path.exists(flag):
    time.sleep(0.005)
results = []
i = 0
while i < 5 or not os.path.exists(stop):  # at least 5 contacts, then until told to stop
    customer = f"C{int(first) + 3 * (i % 50):05d}"
    started = time.perf_counter()
    code = run(["--db", db, "--as", staff, "log-contact", customer, "--channel", "phone",
                "--summary", f"worker {worker} contact {i}", "--json"])
    results.append([code, time.perf_counter() - started])
    i += 1
    time.sleep(0.2)  # a busy outlet, not a loop: a person logs a contact, then looks up
with open(out, "w") as fh:
    json.dump(results, fh)
"""


def test_eight_contact_loggers_beside_an_import_and_a_screening_lose_nothing(outlet, tmp_path):
    """§13: 8 processes log contacts through the real CLI while `vip import customers` and
    `vip screen` run on the same file: every command succeeds, no row is lost."""
    flag, stop = tmp_path / "go", tmp_path / "stop"
    extract = factories.write_csv(
        tmp_path / "customers.csv", ["customer_id", "name", "branch_id", "manager_id"],
        [[f"C{i:05d}", "歐陽明", "O001", MANAGERS[i % 3]] for i in range(3000)])
    env = {**os.environ, "VIP_TODAY": TODAY}
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(outlet), MANAGERS[w % 3], str(w % 3), str(w),
                          str(flag), str(stop), str(tmp_path / f"worker{w}.json")],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in range(8)
    ]
    while not all((tmp_path / f"worker{w}.json.ready").exists() for w in range(8)):
        time.sleep(0.05)  # every worker has imported vip and waits for the flag
    started = time.perf_counter()
    flag.touch()
    batch, spans = [], []
    for args in (["import", "customers", str(extract)], ["screen", "--month", "2026-10"]):
        began = time.perf_counter()
        batch.append(subprocess.run([VIP, "--db", str(outlet), "--as", "OP1", *args, "--json"],
                                    env=env, capture_output=True, text=True))
        spans.append(f"{args[0]} {time.perf_counter() - began:.1f} s")
    stop.touch()
    outputs = [w.communicate(timeout=120) for w in workers]
    elapsed = time.perf_counter() - started

    for ran in batch:
        assert ran.returncode == 0, ran.stderr
    imported, screened = (json.loads(r.stdout) for r in batch)
    assert imported["rows"] == 3000 and imported["updated"] == 3000
    assert screened["screened"] == 3000
    results = []
    for w, (worker, (out, err)) in enumerate(zip(workers, outputs, strict=True)):
        assert worker.returncode == 0, err
        assert "error" not in err, err
        results += json.loads((tmp_path / f"worker{w}.json").read_text())
        logged = [json.loads(doc) for doc in out.replace("}\n{", "}\0{").split("\0") if doc.strip()]
        assert len(logged) == len(json.loads((tmp_path / f"worker{w}.json").read_text()))
    codes = [code for code, _ in results]
    assert codes.count(0) == len(codes), f"{len(codes) - codes.count(0)} of {len(codes)} contacts failed"
    assert _contacts(outlet) == len(codes)  # zero lost rows
    times = sorted(t for _, t in results)
    print(f"\n{len(codes)} contacts by 8 processes beside an import (3,000 rows) and a screening "
          f"in {elapsed:.1f} s: 0 failed, 0 lost; per contact median {statistics.median(times) * 1000:.0f} ms, "
          f"slowest {times[-1] * 1000:.0f} ms; {', '.join(spans)}")
