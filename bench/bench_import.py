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
    .venv/bin/python bench/bench_import.py --personal-data-customers 200000 --before-src /tmp/before --runs 3
    .venv/bin/python bench/bench_import.py --lobby-customers 1000000 --dir /tmp/vip-lobby-bench
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


def write_customers(path: Path, customers: int) -> Path:
    """A customers extract with every column an outlet sends, phone and ID number included."""
    with open(path, "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
        fh.write("customer_id,name,gender,birth_date,phone,id_number,occupation,branch_id,tier,manager_id\n")
        fh.writelines(
            f"C{i:07d},客户{i},{'MF'[i % 2]},1970-01-{i % 28 + 1:02d},139{i:08d},"
            f"45010219700101{i % 10000:04d},other,O001,{'gold' if i % 3 == 0 else ''},\n"
            for i in range(1, customers + 1))
    return path


def child_customers(src: Path, file: Path, db: Path) -> None:
    """Run in a subprocess on one source tree (this one, or --before-src): a first load of
    `file` into a fresh database, then the same file again (every row an update)."""
    import json

    sys.path.insert(0, str(src))
    os.environ["VIP_HOME"] = str(db.parent / "home")
    import vipcli.db.migrate as migrate

    migrate.migrations_dir = lambda: src / "migrations"  # the tree's own migrations
    from vipcli.config import load_rules
    from vipcli.db.engine import open_engine
    from vipcli.services.core.context import Context
    from vipcli.services.imports.importer import import_file

    folder = file.parent
    engine = open_engine(str(db))
    rules = load_rules(None)
    import_file(Context(engine, rules, None), "branches", folder / "branches.csv")
    import_file(Context(engine, rules, None), "staff", folder / "staff.csv")
    ctx = Context(engine, rules, "OP1")
    times = []
    for _ in range(2):
        started = time.perf_counter()
        import_file(ctx, "customers", file)
        times.append(time.perf_counter() - started)
    engine.dispose()
    print(json.dumps(times))


def customers_before_after(folder: Path, customers: int, before: Path, runs: int) -> None:
    import json
    import statistics

    write_files(folder, 1, 1)  # the org and the operator
    file = write_customers(folder / "customers_personal.csv", customers)
    trees = {"before": before, "after": REPO}
    seconds: dict[str, list[list[float]]] = {name: [] for name in trees}
    for run in range(runs):
        for name, src in trees.items():  # interleaved: the machine's noise hits both alike
            db = folder / f"{name}-{run}.db"
            out = subprocess.run([sys.executable, __file__, "--child-customers", str(src), str(file),
                                  str(db)], check=True, capture_output=True, text=True).stdout
            seconds[name].append(json.loads(out.strip().splitlines()[-1]))
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
    print(f"customers import, {customers:,} rows with phone and ID number, medians of {runs}:")
    print(f"{'':12} {'first load':>22} {'re-import (updates)':>24}")
    for name in trees:
        first = statistics.median(t[0] for t in seconds[name])
        again = statistics.median(t[1] for t in seconds[name])
        print(f"{name:12} {first:>8.2f} s {customers / first:>9,.0f} rows/s {again:>8.2f} s "
              f"{customers / again:>9,.0f} rows/s")


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
