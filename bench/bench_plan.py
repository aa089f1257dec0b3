#!/usr/bin/env python3
"""Benchmark: `vip plan week` against `vip due` for one 300-customer book on 1,000,000 customers.

Usage::

    .venv/bin/python bench/bench_plan.py                          # builds /tmp/bench_plan/plan.db once
    .venv/bin/python bench/bench_plan.py --db /tmp/bench_due/due15.db   # reuse bench_due's database

Issue 16 (§18): the week's plan (each day's appointments and the customers falling due that
day) must run within 1.5× of the morning list for the same book. The database is
bench/bench_due.py's (its builder and its issue 15 rows, reused), plus, once, the §18 rows
for account manager M00001's week: eight appointments (two of them joint visits with
M00002), three open complaints, one lost customer and one special period.

Then, in one run (medians of --runs, interleaved, after one warm-up each, COLUMNS=80, on
the same pinned day as bench_due): `vip due` (the default view), `vip plan week` (the
default view: this week), `vip plan week --week` of the next week (every day ahead of
today, so every day is evaluated) and both `--json`. Prints the times and the ratios
plan / due (target ≤ 1.5).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import bench_due  # noqa: E402  (the builder, the environment and the timer of issue 12)

TODAY = bench_due.TODAY
MANAGER, COLLEAGUE = "M00001", "M00002"


def relationship_rows(path: Path) -> None:
    """§18 rows for M00001's book, once: appointments this week and next, complaints, a
    lost customer and a special period."""
    from vipcli.db.engine import open_engine

    open_engine(str(path)).dispose()  # migrated to the current schema (0008: the §18 tables)
    conn = sqlite3.connect(path, isolation_level=None)
    if conn.execute("SELECT 1 FROM appointments LIMIT 1").fetchone():
        conn.close()
        return
    book = [r[0] for r in conn.execute(
        "SELECT customer_id FROM customers WHERE manager_id = ? ORDER BY customer_id", (MANAGER,))]
    stamp = f"{TODAY.isoformat()} 08:00:00.000000"
    conn.execute("BEGIN")
    for n in range(8):
        day = TODAY + dt.timedelta(days=n)
        at = f"{day.isoformat()} {9 + n % 6:02d}:30:00.000000"
        cur = conn.execute(
            "INSERT INTO appointments (customer_id, at, place, purpose, created_by, created_at) "
            "VALUES (?, ?, '贵宾室', '资产配置', ?, ?)", (book[n], at, MANAGER, stamp))
        staff = [MANAGER, COLLEAGUE] if n % 4 == 0 else [MANAGER]
        conn.executemany("INSERT INTO appointment_staff VALUES (?, ?)",
                         [(cur.lastrowid, s) for s in staff])
    for n, severity in enumerate(("normal", "serious", "normal")):
        conn.execute(
            "INSERT INTO complaints (customer_id, owner_id, recorded_by, text, severity, status, "
            "opened_at, ack_due, resolve_due) VALUES (?, ?, ?, '排队太久', ?, 'open', ?, ?, ?)",
            (book[20 + n], MANAGER, MANAGER, severity, stamp,
             (TODAY + dt.timedelta(days=1)).isoformat(), (TODAY + dt.timedelta(days=5)).isoformat()))
    conn.execute("UPDATE customers SET status = 'lost', lost_on = ? WHERE customer_id = ?",
                 (TODAY.isoformat(), book[30]))
    conn.execute("UPDATE customers SET special_period = '住院治疗', special_until = ? "
                 "WHERE customer_id = ?", ((TODAY + dt.timedelta(days=10)).isoformat(), book[31]))
    conn.execute("COMMIT")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench_plan/plan.db"))
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if not args.db.exists():
        started = time.perf_counter()
        print(f"building {args.db} with {args.customers:,} customers …", flush=True)
        args.db.parent.mkdir(parents=True, exist_ok=True)
        bench_due.build(args.db, args.customers)
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    bench_due.extend(args.db, args.customers)
    relationship_rows(args.db)
    vip = str(Path(sys.executable).with_name("vip"))
    base = [vip, "--db", str(args.db), "--as", MANAGER]
    next_week = TODAY + dt.timedelta(days=7)
    label = f"{next_week.isocalendar()[0]}-W{next_week.isocalendar()[1]:02d}"
    commands = {"due": [*base, "due"], "plan": [*base, "plan", "week"],
                "plan_next": [*base, "plan", "week", "--week", label],
                "due_json": [*base, "due", "--json"], "plan_json": [*base, "plan", "week", "--json"]}
    env = bench_due._env()
    due = json.loads(subprocess.run(commands["due_json"], capture_output=True, text=True,
                                    env=env, check=True).stdout)
    plan = json.loads(subprocess.run(commands["plan_json"], capture_output=True, text=True,
                                     env=env, check=True).stdout)
    load_before = os.getloadavg()
    results = bench_due.timed(commands, args.runs)
    load_after = os.getloadavg()
    conn = sqlite3.connect(args.db)
    customers = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    conn.close()
    print(f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} at the start, "
          f"{load_after[0]:.2f} at the end (1 min)")
    print(f"database: {customers:,} customers; book {MANAGER}: {due['total']} on today's list")
    print("plan this week: " + ", ".join(
        f"{d['date'][5:]} {len(d['appointments'])}a/{len(d['due'])}d" for d in plan["days"]))
    print(f"medians of {args.runs} interleaved runs:     wall       cpu")
    for name, (wall, cpu) in results.items():
        print(f"  {name:<12} {' '.join(commands[name][5:]):<28} {wall * 1000:6.0f} ms  {cpu * 1000:6.0f} ms")
    (due_wall, due_cpu) = results["due"]
    for name in ("plan", "plan_next"):
        wall, cpu = results[name]
        print(f"  ratio {name} / due          {wall / due_wall:6.2f}     {cpu / due_cpu:6.2f}"
              "   (target ≤ 1.5)")
    wall, cpu = results["plan_json"]
    print(f"  ratio plan_json / due_json  {wall / results['due_json'][0]:6.2f}     "
          f"{cpu / results['due_json'][1]:6.2f}")


if __name__ == "__main__":
    main()
