#!/usr/bin/env python3
"""Benchmark: two installed `vip` commands side by side — before and after a change.

Usage::

    python3 -m venv /tmp/before && /tmp/before/bin/pip install -q <checkout of the old commit>
    python3 -m venv /tmp/after && /tmp/after/bin/pip install -q .
    .venv/bin/python bench/bench_before_after.py --before /tmp/before/bin/vip --after /tmp/after/bin/vip \
        --before-revision 0002      # when the change added migrations after 0002

A change that only reshapes the code (issue 11) must not make the user's commands slower:
this runs the real commands of both installs on the same databases, interleaved (before,
after, before, after …) so the machine's noise hits both alike, and prints the median wall
time of each and the ratio after/before (target: within 5 %):

- `vip --help`;
- `vip due --json` for one 300-customer book (the database of bench_due.py, --due-customers);
- a normal month's `vip screen` (the month before already screened) on a fresh copy each run
  (the database of bench_screen.py, --screen-customers);
- `vip import assets` of --import-customers × 12 months into a fresh copy that holds the
  customers (bench_import.py's files).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

TODAY = "2026-11-27"


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, VIP_TODAY=TODAY, VIP_HOME=str(home))
    for name in ("VIP_USER", "VIP_DB", "VIP_RULES", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def _fresh(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)


def at_revision(src: Path, revision: str | None) -> dict[str, Path]:
    """The database for each install: the older install refuses a newer schema (§15 exit 2),
    so with --before-revision it gets a copy migrated down to its own head."""
    if revision is None:
        return {"before": src, "after": src}
    from alembic import command
    from sqlalchemy import create_engine

    from vipcli.db.migrate import alembic_config

    older = src.with_name(f"{src.stem}.{revision}{src.suffix}")
    if not older.exists():
        shutil.copyfile(src, older)
        engine = create_engine(f"sqlite:///{older}")
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)
        engine.dispose()
    return {"before": older, "after": src}


def interleaved(label: str, make: Callable[[str, str], list[str]], vips: dict[str, str], runs: int,
                home: Path, prepare: Callable[[str], None] | None = None) -> dict[str, float]:
    """Median seconds per install; `make(name, vip)` is the command line, `prepare(name)`
    (untimed) runs before every timed call."""
    times: dict[str, list[float]] = {name: [] for name in vips}
    for name, vip in vips.items():  # warm-up: bytecode, the holiday cache
        if prepare:
            prepare(name)
        subprocess.run(make(name, vip), capture_output=True, env=_env(home), check=True)
    for _ in range(runs):
        for name, vip in vips.items():
            if prepare:
                prepare(name)
            started = time.perf_counter()
            subprocess.run(make(name, vip), stdout=subprocess.DEVNULL, env=_env(home),
                           check=True)
            times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["after"] / medians["before"]
    print(f"{label:<28} before {medians['before']:7.3f} s   after {medians['after']:7.3f} s   "
          f"after/before {ratio:5.3f}   ({runs} runs each)", flush=True)
    return medians


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="the `vip` executable before the change")
    ap.add_argument("--after", required=True, help="the `vip` executable after the change")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "vip-before-after")
    ap.add_argument("--due-customers", type=int, default=200_000)
    ap.add_argument("--screen-customers", type=int, default=200_000)
    ap.add_argument("--import-customers", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--heavy-runs", type=int, default=3, help="runs of screen and import")
    ap.add_argument("--before-revision", help="the schema head of the older install (e.g. 0002)")
    args = ap.parse_args()
    import bench_due
    import bench_import
    import bench_screen

    work, home = args.work, args.work / "home"
    home.mkdir(parents=True, exist_ok=True)
    vips = {"before": args.before, "after": args.after}

    interleaved("vip --help", lambda _, vip: [vip, "--help"], vips, args.runs, home)

    due_db = work / f"due-{args.due_customers}.db"
    if not due_db.exists():
        print(f"building {due_db} …", flush=True)
        bench_due.build(due_db, args.due_customers)
    due_dbs = at_revision(due_db, args.before_revision)
    interleaved("vip due --json (300)",
                lambda name, vip: [vip, "--db", str(due_dbs[name]), "--as", "M00001", "due",
                                   "--json"],
                vips, args.runs, home)

    screen_pristine = work / f"screen-{args.screen_customers}.db"
    if not screen_pristine.exists():
        print(f"building {screen_pristine} …", flush=True)
        bench_screen.build(screen_pristine, args.screen_customers)
        subprocess.run([args.after, "--db", str(screen_pristine), "--as", "OP1", "screen",
                        "--month", "2026-09", "--allow-missing-months", "--quiet"], env=_env(home), check=True)
    screen_pristines = at_revision(screen_pristine, args.before_revision)
    screen_db = work / "screen-run.db"
    interleaved(f"vip screen (monthly, {args.screen_customers // 1000}k)",
                lambda _, vip: [vip, "--db", str(screen_db), "--as", "OP1", "screen",
                                "--month", "2026-10", "--quiet"],
                vips, args.heavy_runs, home,
                prepare=lambda name: _fresh(screen_pristines[name], screen_db))

    files = work / f"import-{args.import_customers}"
    import_pristine = work / f"import-{args.import_customers}.db"
    if not import_pristine.exists():
        files.mkdir(exist_ok=True)
        print(f"writing {files} …", flush=True)
        _, customers, _ = bench_import.write_files(files, args.import_customers, 12)
        for kind, name, actor in (("branches", "branches.csv", []), ("staff", "staff.csv", []),
                                  ("customers", "customers.csv", ["--as", "OP1"])):
            subprocess.run([args.after, "--db", str(import_pristine), *actor, "import", kind,
                            str(files / name)], env=_env(home), check=True,
                           stdout=subprocess.DEVNULL)
    import_pristines = at_revision(import_pristine, args.before_revision)
    import_db = work / "import-run.db"
    rows = args.import_customers * 12
    interleaved(f"vip import assets ({rows // 1000}k rows)",
                lambda _, vip: [vip, "--db", str(import_db), "--as", "OP1", "import", "assets",
                                str(files / "monthly_assets.csv")],
                vips, args.heavy_runs, home,
                prepare=lambda name: _fresh(import_pristines[name], import_db))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
