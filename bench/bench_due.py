#!/usr/bin/env python3
"""Benchmark: `vip due` for one 300-customer book on 1,000,000 customers / ~10,000,000 contacts.

Usage::

    .venv/bin/python bench/bench_due.py                  # builds /tmp/bench_due/due.db once
    .venv/bin/python bench/bench_due.py --customers 100000 --db /tmp/small.db --rebuild
    .venv/bin/python bench/bench_due.py --db /tmp/bench_due/due15.db --from /tmp/bench_due/due.db

Issue 15 (§17): the database also holds a year of daily prices for 500 funds, 300,000 loans,
12 monthly statements for 500,000 cards and 250,000 fund holdings with units (added once
by `extend`, to a fresh build or to a copy of an older database given with --from).

Builds (once; reused unless --rebuild) a migrated database filled with direct sqlite3
inserts (indexes dropped during the load and recreated after): ~400 outlets with
account managers of 300 customers each, 10 contacts per customer over the past year,
two months of assets, a counter transaction, a holding and a risk assessment per
customer, every tenth birthday lunar, and some large outflows.

Then, in one run, it measures (median of --runs, after one warm-up each, interleaved):
1. bare: `python -c "import sqlalchemy, rich.table"` (issue 12's yardstick);
2. vip: `vip --db DB --as M00001 due`, the default view (today's plan: the first
   due_list_size customers, rendered as in a terminal of COLUMNS=80), as a subprocess;
3. json: `vip … due --json` (every item, with its idea), for reference.
Prints the times, the ratio vip/bare (target ≤ 1.5, issue 12) and the heavy modules the
default view imports beyond the yardstick's (the ORM, the models, pydantic …).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 27)
BOOK = 300
PER_OUTLET = 8  # account managers per outlet
CANDIDATES = ("typer", "sqlalchemy", "sqlalchemy.orm", "vipcli.db.models", "rich.console",
              "rich.table", "pydantic", "lunardate", "holidays", "dateutil", "openpyxl", "alembic",
              "psycopg")
YARDSTICK = "import sqlalchemy, rich.table"  # issue 12: `vip due` within 1.5× of this
TABLES = ("customers", "contacts", "monthly_assets", "transactions", "holdings", "risk_assessments")
FUNDS, LOANS, CARDS, STATEMENTS = 500, 300_000, 500_000, 12


def ts(day: dt.date, hour: int) -> str:
    return f"{day.isoformat()} {hour:02d}:00:00.000000"  # SQLAlchemy's SQLite DateTime format


def build(path: Path, customers: int, seed: int = 5) -> None:
    from vipcli.db.engine import open_engine

    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    open_engine(str(path)).dispose()
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(TABLES))})", TABLES).fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    conn.execute("BEGIN")
    managers = -(-customers // BOOK)
    outlets = -(-managers // PER_OUTLET)
    conn.executemany("INSERT INTO branches VALUES (?, ?, ?, ?)",
                     [("B01", "一級分行", None, 1), ("B0101", "二級分行", "B01", 2)]
                     + [(f"O{i:04d}", f"第{i}支行", "B0101", 3) for i in range(outlets)])
    staff = [(f"H{o:04d}", "主任", "branch_head", f"O{o:04d}") for o in range(outlets)]
    staff += [(f"M{i:05d}", "經理", "account_manager", f"O{i // PER_OUTLET:04d}")
              for i in range(managers)]
    conn.executemany("INSERT INTO staff (staff_id, name, role, branch_id, capacity, active) "
                     "VALUES (?, ?, ?, ?, 1, 1)", staff)
    conn.execute("INSERT INTO products (product_code, name, category) VALUES ('P1', '本利豐', 'wealth')")
    _customers(conn, rng, customers)
    _contacts(conn, rng, customers)
    _money(conn, rng, customers)
    conn.execute("COMMIT")
    for name, sql in indexes:
        started = time.perf_counter()
        conn.execute(sql)
        print(f"  index {name}: {time.perf_counter() - started:.1f} s", flush=True)
    conn.execute("ANALYZE")
    conn.close()


def _customers(conn, rng, n):
    tiers = ("diamond", "platinum", "gold", "gold", "gold")
    rows = []
    for i in range(n):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365))
        manager = i // BOOK
        rows.append((f"C{i:07d}", "客戶", born.isoformat(), "lunar" if i % 10 == 0 else "solar",
                     "value", "phone", f"O{manager // PER_OUTLET:04d}", tiers[i % 5],
                     f"M{manager:05d}", "2026-01-05", "signed"))
        if len(rows) == 100_000:
            _insert_customers(conn, rows)
            rows = []
    _insert_customers(conn, rows)
    # 2% of the card holders a month below their card (the downgrade-risk reason)
    conn.executemany("INSERT INTO downgrade_counts (customer_id, months_below) VALUES (?, 1)",
                     ((f"C{i:07d}",) for i in range(0, n, 50)))


def _insert_customers(conn, rows):
    conn.executemany(
        "INSERT INTO customers (customer_id, name, birth_date, birthday_calendar, orientation, "
        "preferred_channel, branch_id, signed_tier, manager_id, assigned_on, status, "
        "occupation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'other')",
        rows)


def _contacts(conn, rng, n):
    channels = ("phone", "phone", "meeting", "sms", "wechat")
    rows, next_id = [], 1
    for i in range(n):
        cid, staff = f"C{i:07d}", f"M{i // BOOK:05d}"
        for _ in range(10):
            day = TODAY - dt.timedelta(days=rng.randrange(1, 365))
            rows.append((next_id, cid, staff, ts(day, rng.randrange(9, 18)), rng.choice(channels)))
            next_id += 1
        if len(rows) >= 200_000:
            conn.executemany("INSERT INTO contacts (id, customer_id, staff_id, contacted_at, "
                             "channel) VALUES (?, ?, ?, ?, ?)", rows)
            rows = []
    conn.executemany("INSERT INTO contacts (id, customer_id, staff_id, contacted_at, channel) "
                     "VALUES (?, ?, ?, ?, ?)", rows)


def _money(conn, rng, n):
    assets, txns, holdings, risks = [], [], [], []
    for i in range(n):
        cid = f"C{i:07d}"
        base = rng.randrange(100_000_00, 6_000_000_00)
        assets += [(cid, "2026-09", base), (cid, "2026-10", base * rng.randrange(50, 110) // 100)]
        day = TODAY - dt.timedelta(days=rng.randrange(0, 30))
        amount = -rng.randrange(60_000_000, 90_000_000) if i % 97 == 0 else rng.randrange(-10_000, 10_000)
        txns.append((cid, f"T{i}", day.isoformat(), amount, "counter" if i % 3 else "online"))
        maturity = TODAY + dt.timedelta(days=rng.randrange(-30, 200))
        holdings.append((cid, "P1", "2025-01-01", base // 10, maturity.isoformat()))
        valid = TODAY + dt.timedelta(days=rng.randrange(-60, 365))
        risks.append((i + 1, cid, 3, (valid - dt.timedelta(days=365)).isoformat(),
                      valid.isoformat(), ts(TODAY, 9)))
        if len(assets) >= 200_000:
            _insert_money(conn, assets, txns, holdings, risks)
            assets, txns, holdings, risks = [], [], [], []
    _insert_money(conn, assets, txns, holdings, risks)


def _insert_money(conn, assets, txns, holdings, risks):
    conn.executemany("INSERT INTO monthly_assets VALUES (?, ?, ?)", assets)
    conn.executemany("INSERT INTO transactions (customer_id, txn_id, date, amount_fen, channel) "
                     "VALUES (?, ?, ?, ?, ?)", txns)
    conn.executemany("INSERT INTO holdings (customer_id, product_code, start_date, amount_fen, "
                     "maturity_date) VALUES (?, ?, ?, ?, ?)", holdings)
    conn.executemany("INSERT INTO risk_assessments (id, customer_id, level, assessed_on, "
                     "valid_until, recorded_at) VALUES (?, ?, ?, ?, ?, ?)", risks)


def extend(path: Path, customers: int, seed: int = 15) -> None:
    """Issue 15's rows (§17), once: prices, loans, card statements, fund holdings with
    units, and a few products launched in the last fortnight with their cross-sell rows."""
    from vipcli.db.engine import open_engine

    open_engine(str(path)).dispose()  # migrated to the current schema (0007: the new tables)
    conn = sqlite3.connect(path, isolation_level=None)
    if conn.execute("SELECT 1 FROM prices LIMIT 1").fetchone():
        conn.close()
        return
    rng = random.Random(seed)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO products (product_code, name, category, risk_rating, launched_on) "
        "VALUES (?, ?, 'fund', ?, ?)",
        [(f"F{i:03d}", f"基金{i}", 1 + i % 5,
          (TODAY - dt.timedelta(days=i % 30 if i < 10 else 400)).isoformat())
         for i in range(FUNDS)])
    conn.executemany("INSERT INTO cross_sell (held, recommend, kind) VALUES (?, ?, 'cross')",
                     [(f"F{i + 10:03d}", f"F{i:03d}") for i in range(10)] + [("P1", "F002")])
    prices = []
    for i in range(FUNDS):
        nav = 1.0
        for d in range(365, -1, -1):
            nav = max(0.1, nav * (1 + rng.gauss(0.0003, 0.012)))
            day = TODAY - dt.timedelta(days=d)
            prices.append((f"F{i:03d}", day.isoformat(), round(nav, 4),
                           round(2 + rng.random(), 2) if i % 5 == 0 else None,
                           0.05 if d % 91 == i % 91 else None))
    conn.executemany("INSERT INTO prices (product_code, date, nav, yield_pct, dividend) "
                     "VALUES (?, ?, ?, ?, ?)", prices)
    print(f"  prices {len(prices):,}: {time.perf_counter() - started:.1f} s", flush=True)
    loans = []
    for n in range(min(LOANS, customers)):
        i = n * customers // LOANS
        due = TODAY + dt.timedelta(days=rng.randrange(-20, 40))
        overdue = rng.randrange(1, 60) if n % 50 == 0 else 0
        loans.append((f"L{n:07d}", f"C{i:07d}", "个人消费贷款", 10_000_000, 5_000_000,
                      due.isoformat(), overdue, 100_000 if overdue else 0))
    conn.executemany("INSERT INTO loans VALUES (?, ?, ?, ?, ?, ?, ?, ?)", loans)
    rows = []
    for n in range(min(CARDS, customers)):
        i = n * customers // CARDS
        card = f"622202{n:013d}"
        stated = dt.date(2025, 12, 1 + n % 28)
        for m in range(STATEMENTS):
            year, month = stated.year + (stated.month - 1 + m) // 12, (stated.month - 1 + m) % 12 + 1
            day = dt.date(year, month, stated.day)
            amount = rng.randrange(10_000, 5_000_000)
            paid = amount if day + dt.timedelta(days=20) < TODAY else rng.choice((0, amount))
            rows.append((card, day.isoformat(), f"C{i:07d}",
                         (day + dt.timedelta(days=20)).isoformat(), amount, amount // 10, paid))
        if len(rows) >= 600_000:
            conn.executemany("INSERT INTO card_statements VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            rows = []
    conn.executemany("INSERT INTO card_statements VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany(
        "INSERT INTO holdings (customer_id, product_code, start_date, amount_fen, units) "
        "VALUES (?, ?, '2025-06-01', ?, ?)",
        ((f"C{i:07d}", f"F{i % FUNDS:03d}", 10_000_000, 100_000) for i in range(0, customers, 4)))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    print(f"  issue 15 rows added in {time.perf_counter() - started:.0f} s", flush=True)


def imported_libraries(db: Path, *extra: str) -> list[str]:
    """The heavy modules `vip due` really imports (run once in a child process)."""
    probe = (
        "import sys, io, contextlib\n"
        "from vipcli.cli.app import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    run(['--db', {str(db)!r}, '--as', 'M00001', 'due', *{list(extra)!r}])\n"
        f"print(' '.join(m for m in {CANDIDATES!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=_env(), check=True).stdout
    return out.split()


NO_BYTECODE = False  # --no-bytecode: keep this checkout's PYTHONDONTWRITEBYTECODE


def _env() -> dict:
    # Its own data directory: the per-year holiday cache lives there (warmed by the warm-up).
    env = dict(os.environ, VIP_TODAY=TODAY.isoformat(), VIP_HOME="/tmp/vip-bench-due-home",
               COLUMNS="80")
    env.pop("VIP_USER", None)
    # As installed: vip's own modules compiled once (an installed wheel ships bytecode;
    # this checkout may run with PYTHONDONTWRITEBYTECODE, which recompiles ≈ 40 modules
    # from source on every call). The cache lives outside the repository.
    if not NO_BYTECODE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = "/tmp/vip-bench-due-pycache"
    return env


def timed(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU (user+sys) seconds per command; runs interleaved, so load
    from other processes hits both alike (the machine is shared and noisy)."""
    for cmd in commands.values():
        subprocess.run(cmd, capture_output=True, env=_env(), check=True)  # warm-up
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, env=_env(), check=True)
            wall[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name]))
            for name in commands}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench_due/due.db"))
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--from", dest="source", type=Path,
                        help="start from a copy of this database (issue 12's) instead of a build")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile vip's modules from source on every call (no .pyc)")
    args = parser.parse_args()
    global NO_BYTECODE
    NO_BYTECODE = args.no_bytecode
    if not args.rebuild and not args.db.exists() and args.source:
        import shutil

        print(f"copying {args.source} to {args.db} …", flush=True)
        shutil.copyfile(args.source, args.db)
    if args.rebuild or not args.db.exists():
        started = time.perf_counter()
        print(f"building {args.db} with {args.customers:,} customers …", flush=True)
        args.db.parent.mkdir(parents=True, exist_ok=True)
        build(args.db, args.customers)
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    extend(args.db, args.customers)
    conn = sqlite3.connect(args.db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("customers", "contacts", "prices", "loans", "card_statements")}
    conn.close()
    vip = str(Path(sys.executable).with_name("vip"))
    due = [vip, "--db", str(args.db), "--as", "M00001", "due"]
    doc = json.loads(subprocess.run([*due, "--json"], capture_output=True, text=True, env=_env(),
                                    check=True).stdout)
    libs = imported_libraries(args.db)  # after a first run, as every morning after the first
    load_before = os.getloadavg()
    results = timed({"bare": [sys.executable, "-c", YARDSTICK], "due": due,
                     "json": [*due, "--json"]}, args.runs)
    (bare, bare_cpu), (view, view_cpu), (full, full_cpu) = (
        results["bare"], results["due"], results["json"])
    load_after = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} at the start, "
          f"{load_after[0]:.2f} at the end (1 min)")
    print(f"database: {counts['customers']:,} customers, {counts['contacts']:,} contacts, "
          f"{counts['prices']:,} prices, {counts['loans']:,} loans, "
          f"{counts['card_statements']:,} card statements")
    kinds = sorted({r["kind"] for item in doc["items"] for r in item["reasons"]})
    print(f"reasons on the list: {', '.join(kinds)}")
    print(f"book M00001: {BOOK} customers, {doc['total']} on the list, "
          f"the first {doc.get('shown', len(doc['items']))} in the JSON")
    print(f"heavy modules the default view imports: {', '.join(libs)}")
    print("vip's own modules compiled from source on every call" if NO_BYTECODE else
          "bytecode cached for both (PYTHONPYCACHEPREFIX), as for an installed vip")
    print(f"medians of {args.runs} interleaved runs:        wall       cpu")
    print(f"  python -c '{YARDSTICK}'  {bare * 1000:6.0f} ms  {bare_cpu * 1000:6.0f} ms")
    print(f"  vip due (default view)              {view * 1000:6.0f} ms  {view_cpu * 1000:6.0f} ms")
    print(f"  vip due --json (every item)         {full * 1000:6.0f} ms  {full_cpu * 1000:6.0f} ms")
    print(f"  ratio default view / yardstick      {view / bare:6.2f}     {view_cpu / bare_cpu:6.2f}"
          "   (target ≤ 1.5)")


if __name__ == "__main__":
    main()
