#!/usr/bin/env python3
"""Benchmark of the asset-extract import (issue 2, item 6; SPEC §12).

Generates a customers file and the monthly asset extract (customers × months rows, in
primary-key order as the bank's extract comes), then measures in one run:

  (a) `vip import assets` through the real service (validation, reference checks, upsert,
      audit) on a fresh migrated SQLite database;
  (b) a bare `sqlite3` executemany of the same rows into the same table shape — from a
      list built beforehand (insert only) and streamed from the CSV (parse + insert);
  (c) `sqlite-utils insert --csv` of the same file (optionally only its first N rows).

It also checks that the fast path still rejects a bad row with row, column and message.

    .venv/bin/python bench/bench_import.py                      # 1M customers × 12 months
    .venv/bin/python bench/bench_import.py --customers 250000   # 3M rows

Issue 14 (phone and ID numbers sealed, §13):

    git archive OLD | tar -x -C /tmp/before        # the tree before the change
    .venv/bin/python bench/bench_import.py --personal-data-customers 200000 --before-src /tmp/before --runs 5
    .venv/bin/python bench/bench_import.py --lobby-customers 1000000 --dir /tmp/vip-lobby-bench

Issue 15 (the prices, loans and cards extracts, §12):

    .venv/bin/python bench/bench_import.py --extracts        # prices 1M, cards 500k, loans 300k rows
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TODAY = "2026-11-27"
os.environ["VIP_TODAY"] = TODAY

TABLE_DDL = (
    "CREATE TABLE monthly_assets (customer_id VARCHAR(32) NOT NULL, month VARCHAR(7) NOT NULL, "
    "avg_daily_fen BIGINT NOT NULL, PRIMARY KEY (customer_id, month)) WITHOUT ROWID",
    "CREATE INDEX ix_monthly_assets_month ON monthly_assets (month)",
)


def months(count: int, last: str = "2026-10") -> list[str]:
    year, month = int(last[:4]), int(last[5:])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return sorted(out)


def write_files(folder: Path, customers: int, month_count: int) -> tuple[Path, Path, Path]:
    """Our own quick writer: the org, customers, and the asset extract in key order."""
    org = folder / "branches.csv"
    org.write_text("branch_id,name,parent_id,level\nB01,廣西分行,,1\nB0101,南寧分行,B01,2\n"
                   "O001,民族支行,B0101,3\n", encoding="utf-8")
    (folder / "staff.csv").write_text("staff_id,name,role,branch_id\nOP1,朱操作,operator,B01\n",
                                      encoding="utf-8")
    cust = folder / "customers.csv"
    with open(cust, "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
        fh.write("customer_id,name,branch_id\n")
        fh.writelines(f"C{i:07d},客戶{i},O001\n" for i in range(1, customers + 1))
    assets = folder / "monthly_assets.csv"
    month_list = months(month_count)
    with open(assets, "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
        fh.write("customer_id,month,avg_daily_assets\n")
        for i in range(1, customers + 1):
            base = (i * 7919) % 900_000_000
            fh.writelines(
                f"C{i:07d},{m},{(base + k * 1301) // 100}.{(base + k) % 100:02d}\n"
                for k, m in enumerate(month_list)
            )
    return org, cust, assets


def service_import(folder: Path, db: Path) -> tuple[int, float]:
    from vipcli.config import load_rules
    from vipcli.db.engine import open_engine
    from vipcli.services.core.context import Context
    from vipcli.services.imports.importer import import_file

    engine = open_engine(str(db))
    rules = load_rules(None)
    import_file(Context(engine, rules, None), "branches", folder / "branches.csv")
    import_file(Context(engine, rules, None), "staff", folder / "staff.csv")
    ctx = Context(engine, rules, "OP1")
    started = time.perf_counter()
    import_file(ctx, "customers", folder / "customers.csv")
    print(f"    (customers file: {time.perf_counter() - started:.1f}s, not counted)")
    started = time.perf_counter()
    result = import_file(ctx, "assets", folder / "monthly_assets.csv")
    took = time.perf_counter() - started
    engine.dispose()
    return result["rows"], took


def bare_sqlite(path: Path, db: Path, streamed: bool) -> tuple[int, float]:
    conn = sqlite3.connect(db, isolation_level=None)
    for ddl in TABLE_DDL:
        conn.execute(ddl)
    sql = "INSERT INTO monthly_assets VALUES (?, ?, ?)"

    def rows():
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for cid, month, amount in reader:
                whole, _, frac = amount.partition(".")
                yield cid, month, int(whole) * 100 + int(frac or 0)

    gc.disable()
    try:
        if streamed:
            started = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(sql, rows())
            conn.execute("COMMIT")
            took = time.perf_counter() - started
            count = conn.execute("SELECT count(*) FROM monthly_assets").fetchone()[0]
        else:
            data = list(rows())
            started = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(sql, data)
            conn.execute("COMMIT")
            took = time.perf_counter() - started
            count = len(data)
            del data
    finally:
        gc.enable()
    conn.close()
    return count, took


def sqlite_utils(path: Path, db: Path, limit: int | None) -> tuple[int, float]:
    source = path
    if limit:
        source = path.with_name("assets_head.csv")
        with open(path, encoding="utf-8") as fh, open(source, "w", encoding="utf-8") as out:
            for number, line in enumerate(fh):
                if number > limit:
                    break
                out.write(line)
    conn = sqlite3.connect(db)
    conn.execute(TABLE_DDL[0].replace("avg_daily_fen", "avg_daily_assets"))
    conn.execute(TABLE_DDL[1])
    conn.close()
    tool = REPO / ".venv" / "bin" / "sqlite-utils"
    started = time.perf_counter()
    subprocess.run([str(tool), "insert", str(db), "monthly_assets", str(source), "--csv"], check=True)
    took = time.perf_counter() - started
    conn = sqlite3.connect(db)
    count = conn.execute("SELECT count(*) FROM monthly_assets").fetchone()[0]
    conn.close()
    return count, took


def rejects_bad_row(folder: Path, db: Path) -> str:
    """The fast path must still name row, column and what was expected."""
    from vipcli.config import load_rules
    from vipcli.db.engine import open_engine
    from vipcli.errors import ImportRejected
    from vipcli.services.core.context import Context
    from vipcli.services.imports.importer import import_file

    bad = folder / "assets_bad.csv"
    with open(folder / "monthly_assets.csv", encoding="utf-8") as fh, open(bad, "w", encoding="utf-8") as out:
        for number, line in enumerate(fh):
            if number == 60_001:  # deep in the second chunk: spreadsheet row 60,002
                line = line.rsplit(",", 1)[0] + ",12.345\n"
            if number > 100_000:
                break
            out.write(line)
    engine = open_engine(str(db))
    try:
        import_file(Context(engine, load_rules(None), "OP1"), "assets", bad)
    except ImportRejected as exc:
        with engine.connect() as conn:
            left = conn.exec_driver_sql("SELECT count(*) FROM monthly_assets").scalar_one()
        return f"{exc.details[0]} ; total {getattr(exc, 'error_count', '?')} error(s); rows before = rows after: {left}"
    finally:
        engine.dispose()
    return "NOT REJECTED — a bug"


# -- issue 14: the customers import with the phone and ID numbers sealed ------------------


def write_customers(path: Path, customers: int, changed_every: int = 0, prefix: str = "137") -> Path:
    """A customers extract with every column an outlet sends, phone and ID number included;
    with `changed_every` N, every Nth customer has a new phone (`prefix` instead of 139)."""
    def phone(i: int) -> str:
        return f"{prefix if changed_every and i % changed_every == 0 else '139'}{i:08d}"

    with open(path, "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
        fh.write("customer_id,name,gender,birth_date,phone,id_number,occupation,branch_id,tier,manager_id\n")
        fh.writelines(
            f"C{i:07d},客户{i},{'MF'[i % 2]},1970-01-{i % 28 + 1:02d},{phone(i)},"
            f"45010219700101{i % 10000:04d},other,O001,{'gold' if i % 3 == 0 else ''},\n"
            for i in range(1, customers + 1))
    return path


# The imports each child makes, in this order, on one database: (label, file name).
CUSTOMER_IMPORTS = (
    ("first load (empty customers table)", "customers_personal.csv"),
    ("re-import of the same file (every row an update, nothing changed)", "customers_personal.csv"),
    ("re-import, one customer in 10 with a new phone", "customers_tenth.csv"),
    ("re-import, every customer with a new phone", "customers_all.csv"),
)


def child_customers(src: Path, folder: Path, db: Path) -> None:
    """Run in a subprocess on one source tree (this one, or --before-src): the imports of
    CUSTOMER_IMPORTS into a fresh database, one after the other."""
    import json

    sys.path.insert(0, str(src))
    os.environ["VIP_HOME"] = str(db.parent / "home")
    import vipcli.db.migrate as migrate

    migrate.migrations_dir = lambda: src / "migrations"  # the tree's own migrations
    from vipcli.config import load_rules
    from vipcli.db.engine import open_engine
    from vipcli.services.core.context import Context
    from vipcli.services.imports.importer import import_file

    engine = open_engine(str(db))
    rules = load_rules(None)
    import_file(Context(engine, rules, None), "branches", folder / "branches.csv")
    import_file(Context(engine, rules, None), "staff", folder / "staff.csv")
    ctx = Context(engine, rules, "OP1")
    times = []
    for _label, name in CUSTOMER_IMPORTS:
        started, cpu = time.perf_counter(), time.process_time()
        import_file(ctx, "customers", folder / name)
        times.append((time.perf_counter() - started, time.process_time() - cpu))
    engine.dispose()
    print(json.dumps(times))


def customers_before_after(folder: Path, customers: int, before: Path, runs: int) -> None:
    import json
    import statistics

    write_files(folder, 1, 1)  # the org and the operator
    write_customers(folder / "customers_personal.csv", customers)
    write_customers(folder / "customers_tenth.csv", customers, changed_every=10)
    write_customers(folder / "customers_all.csv", customers, changed_every=1, prefix="136")
    trees = {"before": before, "after": REPO}
    seconds: dict[str, list[list[list[float]]]] = {name: [] for name in trees}  # [wall, cpu]
    for run in range(runs):
        for name, src in trees.items():  # interleaved: the machine's noise hits both alike
            db = folder / f"{name}-{run}.db"
            out = subprocess.run([sys.executable, __file__, "--child-customers", str(src), str(folder),
                                  str(db)], check=True, capture_output=True, text=True).stdout
            seconds[name].append(json.loads(out.strip().splitlines()[-1]))
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
    print(f"customers import, {customers:,} rows with phone and ID number, medians of {runs} "
          "(wall time, and the process's CPU time — the steadier figure on a shared machine):")
    for step, (label, _name) in enumerate(CUSTOMER_IMPORTS):
        print(f"  {label}")
        wall = {name: statistics.median(t[step][0] for t in seconds[name]) for name in trees}
        cpu = {name: statistics.median(t[step][1] for t in seconds[name]) for name in trees}
        for name in trees:
            print(f"    {name:8} {wall[name]:>7.2f} s {customers / wall[name]:>9,.0f} rows/s   "
                  f"CPU {cpu[name]:>6.2f} s {customers / cpu[name]:>9,.0f} rows/s")
        print(f"    after/before: wall {wall['after'] / wall['before']:.2f}, "
              f"CPU {cpu['after'] / cpu['before']:.2f}")


def lobby_by_phone(folder: Path, customers: int, runs: int) -> None:
    """`vip lobby PHONE` on a database of `customers` customers: the query plan (an index
    lookup of the phone's keyed hash) and the command's wall time."""
    import statistics

    write_files(folder, 1, 1)
    db = folder / f"lobby-{customers}.db"
    env = dict(os.environ, VIP_HOME=str(folder / "home"), VIP_DB=str(db))
    vip = str(REPO / ".venv" / "bin" / "vip")
    if not db.exists():
        file = write_customers(folder / "customers_personal.csv", customers)
        staff = folder / "staff.csv"
        staff.write_text("staff_id,name,role,branch_id\nOP1,朱操作,operator,B01\n"
                         "L1,黄大堂,lobby_manager,O001\n", encoding="utf-8")
        started = time.perf_counter()
        for kind, path in (("branches", folder / "branches.csv"), ("staff", staff)):
            subprocess.run([vip, "import", kind, str(path)], env=env, check=True, capture_output=True)
        subprocess.run([vip, "--as", "OP1", "import", "customers", str(file)], env=env, check=True,
                       capture_output=True)
        print(f"built {db} ({customers:,} customers) in {time.perf_counter() - started:.0f}s")
    conn = sqlite3.connect(db)
    plan = conn.execute("EXPLAIN QUERY PLAN SELECT customer_id FROM customers WHERE phone_hmac = ?",
                        (b"x" * 32,)).fetchall()
    conn.close()
    print("query plan:", "; ".join(row[-1] for row in plan))
    phone = f"139{customers // 2:08d}"
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([vip, "--as", "L1", "lobby", phone, "--json"], env=env, check=True, capture_output=True)
        took.append(time.perf_counter() - started)
    print(f"vip lobby {phone} (by phone): median {statistics.median(took):.3f} s of {runs} "
          f"(min {min(took):.3f} s)")


# -- issue 15: the prices, loans and cards extracts ----------------------------------------

EXTRACT_DDL = {
    "prices": ("CREATE TABLE prices (product_code VARCHAR(32) NOT NULL, date DATE NOT NULL, "
               "nav NUMERIC(18, 4), yield_pct NUMERIC(8, 2), dividend NUMERIC(18, 4), "
               "PRIMARY KEY (product_code, date)) WITHOUT ROWID",),
    "loans": ("CREATE TABLE loans (loan_id VARCHAR(32) NOT NULL PRIMARY KEY, customer_id VARCHAR(32) "
              "NOT NULL, product TEXT, principal_fen BIGINT NOT NULL, balance_fen BIGINT NOT NULL, "
              "due_date DATE, overdue_days INTEGER NOT NULL, overdue_amount_fen BIGINT NOT NULL)",
              "CREATE INDEX ix_loans_customer_id ON loans (customer_id)"),
    "cards": ("CREATE TABLE card_statements (card_no VARCHAR(32) NOT NULL, statement_date DATE NOT NULL, "
              "customer_id VARCHAR(32) NOT NULL, due_date DATE NOT NULL, amount_due_fen BIGINT NOT NULL, "
              "min_due_fen BIGINT NOT NULL, paid_fen BIGINT NOT NULL, "
              "PRIMARY KEY (card_no, statement_date)) WITHOUT ROWID",
              "CREATE INDEX ix_card_statements_customer_id_due_date ON card_statements (customer_id, due_date)"),
}
EXTRACT_TABLE = {"prices": "prices", "loans": "loans", "cards": "card_statements"}
EXTRACT_CUSTOMERS = 100_000


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def write_extracts(folder: Path, prices: int, loans: int, cards: int) -> dict[str, Path]:
    """500 products with a price a day (nav for funds, yield for wealth products, a dividend
    now and then), loans of EXTRACT_CUSTOMERS customers, 12 monthly statements per card; each
    file in its key order, as the core system extracts it."""
    import datetime as dt

    write_files(folder, EXTRACT_CUSTOMERS, 1)
    products = folder / "products.csv"
    with open(products, "w", encoding="utf-8") as fh:
        fh.write("product_code,name,category\n")
        fh.writelines(f"P{p:04d},产品{p},{'fund' if p % 2 else 'wealth'}\n" for p in range(500))
    paths = {"products": products}
    days = -(-prices // 500)
    first = dt.date(2026, 11, 26) - dt.timedelta(days=days - 1)
    dates = [(first + dt.timedelta(days=d)).isoformat() for d in range(days)]
    paths["prices"] = folder / "prices.csv"
    with open(paths["prices"], "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
        fh.write("product_code,date,nav,yield,dividend\n")
        written = 0
        for p in range(500):
            for d, day in enumerate(dates):
                if written == prices:
                    break
                written += 1
                if p % 2:
                    dividend = "0.0150" if d % 90 == 89 else ""
                    fh.write(f"P{p:04d},{day},{1 + (p * 7 + d * 13) % 9000 / 10000:.4f},,{dividend}\n")
                else:
                    fh.write(f"P{p:04d},{day},,{2 + (p + d) % 300 / 100:.2f},\n")
    paths["loans"] = folder / "loans.csv"
    with open(paths["loans"], "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
        fh.write("loan_id,customer_id,product,principal,balance,due_date,overdue_days,overdue_amount\n")
        for i in range(1, loans + 1):
            principal = 10_000_000 + i * 7919 % 300_000_000
            overdue = i % 37 == 0
            fh.write(f"L{i:09d},C{i % EXTRACT_CUSTOMERS + 1:07d},个人住房贷款,{_yuan(principal)},"
                     f"{_yuan(principal * 3 // 5)},{dates[i % len(dates)]},{5 if overdue else 0},"
                     f"{_yuan(principal // 120) if overdue else '0.00'}\n")
    paths["cards"] = folder / "cards.csv"
    months = [(2025 + (11 + m) // 12, (11 + m) % 12 + 1) for m in range(12)]  # 2025-12 .. 2026-11
    with open(paths["cards"], "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
        fh.write("card_no,customer_id,statement_date,due_date,amount_due,min_due,paid\n")
        for i in range(-(-cards // 12)):
            card = f"622202{i * 7919 % 10**10:010d}"
            for m, (year, month) in enumerate(months):
                if i * 12 + m >= cards:
                    break
                due = dt.date(year, month, 5) + dt.timedelta(days=20)
                amount = 100_000 + (i * 31 + m * 17) % 5_000_000
                fh.write(f"{card},C{i % EXTRACT_CUSTOMERS + 1:07d},{year:04d}-{month:02d}-05,"
                         f"{due.isoformat()},{_yuan(amount)},{_yuan(amount // 10)},"
                         f"{_yuan(amount if m < 11 else 0)}\n")
    return paths


def _bare_extract_rows(kind: str, path: Path):
    """The file's rows as the bare executemany stores them: money in fen, figures as floats
    (what SQLite's NUMERIC affinity keeps), dates as their text."""
    def fen(text: str) -> int:
        whole, _, frac = text.partition(".")
        return int(whole) * 100 + int(frac or 0)

    def number(text: str) -> float | None:
        return float(text) if text else None

    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        if kind == "prices":
            for code, day, nav, yld, dividend in reader:
                yield code, day, number(nav), number(yld), number(dividend)
        elif kind == "loans":
            for loan, cid, product, principal, balance, due, days, overdue in reader:
                yield loan, cid, product, fen(principal), fen(balance), due or None, int(days), fen(overdue)
        else:
            for card, cid, statement, due, amount, least, paid in reader:
                yield card, statement, cid, due, fen(amount), fen(least), fen(paid)


def bare_extract(kind: str, path: Path, db: Path, streamed: bool) -> tuple[int, float]:
    conn = sqlite3.connect(db, isolation_level=None)
    for ddl in EXTRACT_DDL[kind]:
        conn.execute(ddl)
    table = EXTRACT_TABLE[kind]
    width = {"prices": 5, "loans": 8, "cards": 7}[kind]
    sql = f"INSERT INTO {table} VALUES ({', '.join('?' * width)})"
    gc.disable()
    try:
        rows = _bare_extract_rows(kind, path) if streamed else list(_bare_extract_rows(kind, path))
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        took = time.perf_counter() - started
    finally:
        gc.enable()
    count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    conn.close()
    return count, took


def extracts(folder: Path, prices: int, loans: int, cards: int) -> None:
    """Issue 15: `vip import prices|loans|cards` through the service against a bare sqlite3
    executemany of the same rows (prebuilt in memory, and streamed from the CSV)."""
    from vipcli.config import load_rules
    from vipcli.db.engine import open_engine
    from vipcli.services.core.context import Context
    from vipcli.services.imports.importer import import_file

    started = time.perf_counter()
    paths = write_extracts(folder, prices, loans, cards)
    print(f"generated prices {prices:,}, loans {loans:,}, cards {cards:,} rows in "
          f"{time.perf_counter() - started:.1f}s in {folder}", flush=True)
    db = folder / "extracts.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    engine = open_engine(str(db))
    rules = load_rules(None)
    import_file(Context(engine, rules, None), "branches", folder / "branches.csv")
    import_file(Context(engine, rules, None), "staff", folder / "staff.csv")
    ctx = Context(engine, rules, "OP1")
    import_file(ctx, "customers", folder / "customers.csv")
    import_file(ctx, "products", paths["products"])
    print(f"{'kind':8} {'rows':>10} {'vip import':>12} {'bare (list)':>12} {'bare (stream)':>14} "
          f"{'vs list':>8} {'vs stream':>10}")
    for kind in ("prices", "cards", "loans"):
        started = time.perf_counter()
        result = import_file(ctx, kind, paths[kind])
        took = time.perf_counter() - started
        again = time.perf_counter()
        import_file(ctx, kind, paths[kind])  # the same file again: every row an update
        took_again = time.perf_counter() - again
        count = result["rows"]
        _, listed = bare_extract(kind, paths[kind], folder / f"bare-{kind}-list.db", streamed=False)
        _, streamed = bare_extract(kind, paths[kind], folder / f"bare-{kind}-stream.db", streamed=True)
        for name in (f"bare-{kind}-list.db", f"bare-{kind}-stream.db"):
            (folder / name).unlink()
        print(f"{kind:8} {count:>10,} {count / took:>8,.0f} r/s {count / listed:>8,.0f} r/s "
              f"{count / streamed:>10,.0f} r/s {listed / took:>8.2f} {streamed / took:>10.2f}   "
              f"(re-import {count / took_again:,.0f} r/s)", flush=True)
    engine.dispose()


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child-customers":
        child_customers(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--dir", type=Path, default=None, help="work directory (default: a temp dir)")
    ap.add_argument("--sqlite-utils-rows", type=int, default=None,
                    help="only the first N rows for sqlite-utils (it is slow); default: all")
    ap.add_argument("--personal-data-customers", type=int, default=None,
                    help="issue 14: only the customers import with phone and ID numbers, this "
                         "many rows, this tree against --before-src")
    ap.add_argument("--before-src", type=Path, default=None,
                    help="the source tree of the older commit (git archive REV | tar -x -C DIR)")
    ap.add_argument("--lobby-customers", type=int, default=None,
                    help="issue 14: only `vip lobby PHONE` on a database of this many customers "
                         "(built once in --dir)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--extracts", action="store_true",
                    help="issue 15: only the prices, cards and loans imports against a bare executemany")
    ap.add_argument("--prices", type=int, default=1_000_000)
    ap.add_argument("--loans", type=int, default=300_000)
    ap.add_argument("--cards", type=int, default=500_000)
    args = ap.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="vip-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.personal_data_customers:
        if args.before_src is None:
            ap.error("--personal-data-customers needs --before-src")
        customers_before_after(folder, args.personal_data_customers, args.before_src, args.runs)
        return 0
    if args.lobby_customers:
        lobby_by_phone(folder, args.lobby_customers, args.runs)
        return 0
    if args.extracts:
        extracts(folder, args.prices, args.loans, args.cards)
        return 0
    started = time.perf_counter()
    _, _, assets = write_files(folder, args.customers, args.months)
    size = assets.stat().st_size / 1e6
    print(f"generated {args.customers:,} customers × {args.months} months in "
          f"{time.perf_counter() - started:.1f}s ({size:,.0f} MB) in {folder}")

    results = []
    count, took = service_import(folder, folder / "service.db")
    results.append(("(a) vip import assets (service, validated)", count, took))
    print(f"(a) {count:,} rows in {took:.1f}s = {count / took:,.0f} rows/s", flush=True)
    print("    bad row:", rejects_bad_row(folder, folder / "service.db"), flush=True)
    count, took = bare_sqlite(assets, folder / "bare_list.db", streamed=False)
    results.append(("(b) sqlite3 executemany, rows prebuilt in memory", count, took))
    count, took = bare_sqlite(assets, folder / "bare_stream.db", streamed=True)
    results.append(("(b') sqlite3 executemany, streamed from the CSV", count, took))
    count, took = sqlite_utils(assets, folder / "sqlite_utils.db", args.sqlite_utils_rows)
    results.append(("(c) sqlite-utils insert --csv", count, took))

    print(f"\n{'measurement':52} {'rows':>12} {'seconds':>9} {'rows/s':>10}")
    for name, count, took in results:
        print(f"{name:52} {count:>12,} {took:>9.1f} {count / took:>10,.0f}")
    if args.dir is None:
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
