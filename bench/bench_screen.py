#!/usr/bin/env python3
"""Benchmark: `vip screen` over 1,000,000 customers × 12 months versus a bare SQL aggregate.

Usage::

    .venv/bin/python bench/bench_screen.py     # 1M customers; data kept in /tmp/vip-bench-screen.pristine.db
    .venv/bin/python bench/bench_screen.py --customers 100000 --db /tmp/small.db --rebuild

Builds (once; reused unless --rebuild) a migrated database and fills it with direct
sqlite3 inserts: ~400 outlets, the customers spread over them, 12 months of assets per
customer (a few customers hold a signed card above what they qualify for, so the
downgrade path has work to do). Then, on the same database file in one run:

- bare: one sqlite3 statement computing the day-weighted ADB12 and the tier of every
  customer (GROUP BY with a CASE on the month for the days), inserted into a temp table —
  on a plain connection and on one with vip's screening pragmas; the ratio is taken
  against the faster of the two;
- vip: the screening service (`vipcli.services.screening.screen.screen`) for the same month,
  as the operator — everything it writes (results, tier history, customers, run, audit)
  in its one transaction;

back to back (bare before and after vip, averaged), for --rounds rounds of each scenario:
the first screening on a fresh copy (every qualifier is new: ~800k tier-history rows) and a
normal month (the month before screened first, untimed). Prints the medians, every
round's figure and the load average (target: vip ≤ 2× bare, issue 3).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MONTH = "2026-10"
TODAY = "2026-11-27"
OUTLETS = 400


def build(path: Path, customers: int, seed: int = 7) -> None:
    from vipcli.db.engine import open_engine
    from vipcli.domain.tiers import window

    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_engine(str(path)).dispose()  # migrate the empty database
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    branches = [("B01", "一級分行", None, 1), ("B0101", "二級分行", "B01", 2)]
    branches += [(f"O{i:03d}", f"第{i}支行", "B0101", 3) for i in range(OUTLETS)]
    conn.executemany("INSERT INTO branches VALUES (?, ?, ?, ?)", branches)
    conn.execute(
        "INSERT INTO staff (staff_id, name, role, branch_id, capacity, active) "
        "VALUES ('OP1', '操作員', 'operator', 'B01', 1, 1)"
    )
    months = window(MONTH)
    tiers = ("diamond", "platinum", "gold")

    def customer_rows():
        for i in range(customers):
            signed = tiers[i % 3] if i % 10 == 0 else None  # 10% hold a card
            yield (
                f"C{i:07d}", f"客戶{i}", "solar", "other", f"O{i % OUTLETS:03d}",
                signed, "signed" if signed else "prospect",
            )

    conn.executemany(
        "INSERT INTO customers (customer_id, name, birthday_calendar, occupation, branch_id, "
        "signed_tier, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
        customer_rows(),
    )

    def asset_rows():
        scale = [1_000_000, 10_000_000, 50_000_000, 200_000_000, 800_000_000]
        for i in range(customers):
            cid = f"C{i:07d}"
            base = rng.choice(scale)
            for month in months:
                yield (cid, month, base + rng.randrange(0, base))

    conn.executemany(
        "INSERT INTO monthly_assets (customer_id, month, avg_daily_fen) VALUES (?, ?, ?)",
        asset_rows(),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def bare(path: Path, *, tuned: bool = False) -> float:
    """One plain sqlite3 aggregate + tier CASE into a temp table (the yardstick): every
    customer's ADB12 numerator and tier, fully materialised. `tuned`: with the pragmas of
    vip's screening connection (page cache, temp table in memory), so that the ratio is
    never flattered by settings the yardstick did not get."""
    from vipcli.config import Rules
    from vipcli.domain.tiers import month_days, window
    from vipcli.services.screening.screen import SQLITE_SCREEN_PRAGMAS

    rules = Rules().tiers
    months = window(MONTH)
    total = sum(month_days(m) for m in months)
    days = " ".join(f"WHEN '{m}' THEN {month_days(m)}" for m in months)
    bound = {t: int(getattr(rules, t) * 100) * total for t in ("diamond", "platinum", "gold")}
    sql = (
        "CREATE TEMP TABLE bare_result AS SELECT customer_id, num, "
        f"CASE WHEN num >= {bound['diamond']} THEN 'diamond' "
        f"WHEN num >= {bound['platinum']} THEN 'platinum' "
        f"WHEN num >= {bound['gold']} THEN 'gold' END AS tier FROM ("
        f"SELECT customer_id, SUM(avg_daily_fen * CASE month {days} ELSE 0 END) AS num "
        "FROM monthly_assets GROUP BY customer_id)"
    )
    conn = sqlite3.connect(path)
    if tuned:
        for name, value in SQLITE_SCREEN_PRAGMAS.items():
            conn.execute(f"PRAGMA {name}={value}")
    start = time.perf_counter()
    conn.execute(sql)
    count = conn.execute("SELECT count(*) FROM bare_result").fetchone()[0]
    elapsed = time.perf_counter() - start
    conn.close()
    assert count > 0
    return elapsed


def vip(path: Path, month: str = MONTH, *, allow_missing: bool = False) -> tuple[float, dict]:
    from vipcli.config import load_rules
    from vipcli.db.engine import open_engine
    from vipcli.services.core.context import Context
    from vipcli.services.screening.screen import screen

    os.environ["VIP_TODAY"] = TODAY
    engine = open_engine(str(path))
    ctx = Context(engine, load_rules(None), "OP1")
    start = time.perf_counter()
    report = screen(ctx, month, allow_missing_months=allow_missing)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed, report


def _copy(src: Path, dst: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)


def _round(path: Path) -> dict:
    """bare (plain and tuned), vip, bare again (tuned and plain): back to back, one copy."""
    before = {"plain": bare(path), "tuned": bare(path, tuned=True)}
    vip_s, report = vip(path)
    after = {"tuned": bare(path, tuned=True), "plain": bare(path)}
    bares = {k: (before[k] + after[k]) / 2 for k in before}
    best = min(bares.values())  # the stronger yardstick
    return {"vip": vip_s, **bares, "best": best, "ratio": vip_s / best, "report": report}


def _summary(label: str, rounds: list[dict]) -> None:
    report = rounds[-1]["report"]
    q = report["qualified"]
    print(f"\n{label} — {len(rounds)} rounds, medians")
    print(
        f"  screened {report['screened']:,}: diamond {q['diamond']:,} · platinum {q['platinum']:,}"
        f" · gold {q['gold']:,} · none {q['none']:,}; newly qualified "
        f"{len(report['newly_qualified']):,}; warnings {len(report['downgrade_warnings']):,};"
        f" downgraded {len(report['downgraded']):,}"
    )

    def row(name: str, key: str, unit: str = " s") -> None:
        values = [r[key] for r in rounds]
        spread = " / ".join(f"{v:.2f}" for v in values)
        print(f"  {name:<58}{statistics.median(values):6.2f}{unit}  ({spread})")

    row("bare aggregate + tier, plain connection (mean before/after)", "plain")
    row("bare aggregate + tier, vip's pragmas (mean before/after)", "tuned")
    row("vip screen (service, one transaction)", "vip")
    row("ratio vip / the faster bare (target ≤ 2.0)", "ratio", "×")


def main() -> int:
    ap = argparse.ArgumentParser(description="vip screen vs a bare SQL aggregate")
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/vip-bench-screen.db"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--rounds", type=int, default=3, help="rounds per scenario (medians)")
    ap.add_argument("--only", choices=("first", "monthly"), help="run one scenario only")
    args = ap.parse_args()
    pristine = args.db.with_suffix(".pristine.db")
    if args.rebuild or not pristine.exists():
        start = time.perf_counter()
        build(pristine, args.customers)
        print(f"built {args.customers:,} customers × 12 months in {time.perf_counter() - start:.1f} s")
    print("load average at start: {:.2f} {:.2f} {:.2f} (2 cores shared)".format(*os.getloadavg()))
    if args.only != "monthly":
        # 1. The first screening ever: every qualifying customer is new (worst case).
        rounds = []
        for _ in range(args.rounds):
            _copy(pristine, args.db)
            rounds.append(_round(args.db))
        _summary(f"first screening of {MONTH} on a fresh database", rounds)
    if args.only != "first":
        # 2. A normal month: the previous month screened (untimed, once), then this one.
        steady = args.db.with_suffix(".steady.db")
        _copy(pristine, steady)
        vip(steady, "2026-09", allow_missing=True)  # its window starts a month before the data
        rounds = []
        for _ in range(args.rounds):
            _copy(steady, args.db)
            rounds.append(_round(args.db))
        steady.unlink()
        _summary(f"monthly screening of {MONTH} after 2026-09 (steady state)", rounds)
    print("load average at end:   {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
