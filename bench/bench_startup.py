"""Start-up of the real `vip` command: `--help` against a bare interpreter and the heavy imports.

Run: .venv/bin/python bench/bench_startup.py [--runs 15]
Prints the median wall time of each command (read as ±20% on a shared 2-core machine, bench/README.md).
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
from pathlib import Path


def median_time(cmd: list[str], runs: int, env: dict) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    vip = shutil.which("vip", path=str(Path(sys.executable).parent)) or "vip"
    home = tempfile.mkdtemp()
    env = dict(os.environ, VIP_HOME=home)
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import typer": [sys.executable, "-c", "import typer"],
        "vip --help": [vip, "--help"],
        "import sqlalchemy.orm, rich, pydantic (bare)": [
            sys.executable, "-c", "import sqlalchemy.orm, rich.console, rich.table, pydantic, typer"
        ],
        "vip config show": [vip, "config", "show"],
    }
    for name, cmd in cases.items():
        print(f"{name:48s} {median_time(cmd, args.runs, env) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
