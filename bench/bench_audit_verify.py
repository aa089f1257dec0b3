#!/usr/bin/env python3
"""Benchmark: `vip audit verify` on a 1,000,000-entry audit log (issue 14, §13).

Usage::

    .venv/bin/python bench/bench_audit_verify.py                 # builds /tmp/bench_audit/audit.db once
    .venv/bin/python bench/bench_audit_verify.py --entries 100000 --db /tmp/small.db --rebuild

Builds (once; reused unless --rebuild) a migrated SQLite database with an operator and
--entries chained audit entries (reveals and exports over 50,000 customer ids, a JSON
detail each, one second apart), written with the chain's own hash function and direct
sqlite3 inserts. Then runs `vip --db DB --as OP1 audit verify` as a subprocess (median of
--runs, after one warm-up) and prints the time, the entries per second and the peak
resident memory of the verifying process (constant memory: compare two sizes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vipcli.services.core.audit import GENESIS, HEAD_KEY, entry_hash  # noqa: E402

VIP = [sys.executable, "-m", "vipcli"]


def build(db: Path, entries: int) -> None:
    from vipcli.db.engine import open_engine

    if db.exists():
        db.unlink()
    open_engine(str(db)).dispose()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO branches (branch_id, name, parent_id, level) VALUES ('B01', '总行', NULL, 1)")
    conn.execute("INSERT INTO staff (staff_id, name, role, branch_id, capacity, active) "
                 "VALUES ('OP1', '运维', 'operator', 'B01', 1, 1)")
    start = dt.datetime(2026, 1, 1, 8, 0)
    prev = GENESIS
    batch = []
    for i in range(1, entries + 1):
        at = start + dt.timedelta(seconds=i)
        action = "export" if i % 7 == 0 else "reveal"
        actor = f"M{i % 400:05d}"
        customer = f"C{i % 50_000:07d}"
        detail = json.dumps({"command": "show", "n": i}, ensure_ascii=False)
        digest = entry_hash(i, at, actor, action, customer, detail, prev)
        batch.append((i, at.isoformat(sep=" ", timespec="microseconds"), actor, action, customer,
                      detail, prev, digest))
        prev = digest
        if len(batch) == 50_000:
            conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
            batch.clear()
    if batch:
        conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
    conn.execute("UPDATE db_settings SET value = ? WHERE key = ?", (f"{entries} {prev}", HEAD_KEY))
    conn.commit()
    conn.close()


def run_once(db: Path) -> tuple[float, str]:
    env = {**os.environ, "VIP_LANG": "en"}
    began = time.perf_counter()
    done = subprocess.run([*VIP, "--db", str(db), "--as", "OP1", "audit", "verify", "--json"],
                          capture_output=True, text=True, env=env, check=False, cwd=ROOT)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"verify failed: {done.stdout}{done.stderr}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench_audit/audit.db"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild or not args.db.exists():
        began = time.perf_counter()
        build(args.db, args.entries)
        print(f"built {args.db} with {args.entries:,} entries in {time.perf_counter() - began:.1f} s")
    run_once(args.db)  # warm-up (page cache)
    times = []
    for _ in range(args.runs):
        elapsed, out = run_once(args.db)
        times.append(elapsed)
    doc = json.loads(out)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    median = statistics.median(times)
    print(f"vip audit verify: {doc['entries']:,} entries, median {median:.2f} s "
          f"({doc['entries'] / median:,.0f} entries/s) over {args.runs} runs; "
          f"peak memory {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
