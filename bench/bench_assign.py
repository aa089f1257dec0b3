"""Benchmark (issue 4): allocating 5,000 VIPs in one outlet takes ≤ 1 s beyond process start-up.

Builds a SQLite database with one outlet (a branch head, 33 account managers, 3 advisors,
2 lobby managers, 3 tellers) and 5,000 unassigned VIPs (150 Diamond, 850 Platinum, 4,000
Gold), then times in the same run, as subprocesses, each the median of --repeat runs:
  - start-up: `vip --help`, and `python -c "import vipcli.cli.app"`;
  - `vip assign --json` on the same database with an empty outlet (start-up + database open);
  - `vip assign --json` allocating the 5,000 (a fresh copy of the database for every run).
Prints wall and CPU time of each and the differences (the machine is shared: CPU time is
the steadier figure).

Usage: .venv/bin/python bench/bench_assign.py [--customers 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from vipcli.db import models
from vipcli.db.engine import open_engine

VIP = str(Path(sys.executable).parent / "vip")


def build(path: Path, customers: int, outlet: str = "O001") -> None:
    engine = open_engine(str(path))
    staff = [("H1", "branch_head")] + [(f"M{i:02}", "account_manager") for i in range(33)]
    staff += [(f"A{i}", "advisor") for i in range(3)] + [(f"L{i}", "lobby_manager") for i in range(2)]
    staff += [(f"T{i}", "teller") for i in range(3)] + [("H9", "branch_head")]
    diamonds, platinums = customers * 3 // 100, customers * 17 // 100
    rows, results = [], []
    for i in range(customers):
        tier = "diamond" if i < diamonds else "platinum" if i < diamonds + platinums else "gold"
        adb = {"diamond": 5_000_000, "platinum": 1_000_000, "gold": 100_000}[tier] + (i * 997) % 900_000
        rows.append(dict(customer_id=f"C{i:06}", name="客戶", branch_id=outlet, status="potential",
                         qualified_tier=tier, occupation="other",
                         birthday_calendar="solar"))
        results.append(dict(month="2026-10", customer_id=f"C{i:06}", adb12_fen=adb * 100,
                            qualified_tier=tier, signed_tier=None, months_below=0))
    with engine.begin() as conn:
        conn.execute(insert(models.Branch), [dict(branch_id="B01", name="分行", parent_id=None, level=1),
                                        dict(branch_id=outlet, name="支行", parent_id="B01", level=3),
                                        dict(branch_id="O009", name="空支行", parent_id="B01", level=3)])
        conn.execute(insert(models.Staff), [
            dict(staff_id=s, name=s, role=r, branch_id="O009" if s == "H9" else outlet,
                 capacity=Decimal(1), active=True) for s, r in staff])
        conn.execute(insert(models.Customer), rows)
        # as the October screening left them: the ADB12 is read from its results
        conn.execute(insert(models.ScreeningResult), results)
        conn.execute(insert(models.ScreeningRun).values(month="2026-10", scope="all", screened=customers,
                                                   run_at=dt.datetime(2026, 11, 1, 6, 0)))
    engine.dispose()


def timed(args: list[str], env: dict, prepare=None, repeat: int = 5) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of the child process."""
    walls, cpus = [], []
    for _ in range(repeat):
        if prepare:
            prepare()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()}")
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base, work = Path(tmp) / "base.db", Path(tmp) / "work.db"
        build(base, opts.customers)
        env = {**os.environ, "VIP_HOME": str(Path(tmp) / "home"), "VIP_TODAY": "2026-11-27"}

        def fresh() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(work) + suffix).unlink(missing_ok=True)
            shutil.copyfile(base, work)

        fresh()
        help_s = timed([VIP, "--help"], env, repeat=opts.repeat)
        import_s = timed([sys.executable, "-c", "import vipcli.cli.app"], env, repeat=opts.repeat)
        empty_s = timed([VIP, "--db", str(work), "--as", "H9", "assign", "--json"], env,
                        repeat=opts.repeat)
        assign_s = timed([VIP, "--db", str(work), "--as", "H1", "assign", "--json"], env,
                         prepare=fresh, repeat=opts.repeat)
    print(f"customers allocated: {opts.customers}; median of {opts.repeat} runs; wall (CPU) in ms")
    rows = [("vip --help (start-up)", help_s), ("python -c 'import vipcli.cli.app'", import_s),
            ("vip assign, empty outlet (start-up + db)", empty_s),
            (f"vip assign, {opts.customers} VIPs", assign_s)]
    for label, (wall, cpu) in rows:
        print(f"  {label:<42} {wall * 1000:7.0f} ({cpu * 1000:5.0f})")
    for label, (wall, cpu) in rows[::2]:
        print(f"  beyond {label:<35} {(assign_s[0] - wall) * 1000:7.0f} ({(assign_s[1] - cpu) * 1000:5.0f})")
    for label, base in (("vip --help", help_s), ("the empty-outlet assign", empty_s)):
        verdict = ["MISSES", "meets"]
        print(f"target ≤ 1000 ms beyond start-up, vs {label}: wall "
              f"{verdict[assign_s[0] - base[0] <= 1]}, CPU {verdict[assign_s[1] - base[1] <= 1]}")

if __name__ == "__main__":
    main()
