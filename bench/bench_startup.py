"""Start-up of the real `vip` command against the floors issue 12 names (§16 catalogs included).

Run: .venv/bin/python bench/bench_startup.py [--runs 21]

Interleaves the runs (one of each case per round, so a noisy neighbour hits all alike) and
prints each case's median wall time and `vip --help`'s ratio to `python -c "import typer"`
(goal ≤ 2×), in Chinese (the default, the catalog loaded) and in English.
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


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    vip = shutil.which("vip", path=str(Path(sys.executable).parent)) or "vip"
    env = dict(os.environ, VIP_HOME=tempfile.mkdtemp())
    env.pop("VIP_LANG", None)
    english = dict(env, VIP_LANG="en")
    cases = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "import typer": ([sys.executable, "-c", "import typer"], env),
        "vip --help (zh_CN)": ([vip, "--help"], env),
        "vip --help (en)": ([vip, "--help"], english),
        "vip due --help (zh_CN)": ([vip, "due", "--help"], env),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, (cmd, case_env) in cases.items():
            times[name].append(timed(cmd, case_env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:28s} {value * 1000:7.1f} ms")
    floor = medians["import typer"]
    for name in ("vip --help (zh_CN)", "vip --help (en)"):
        print(f"{name} / import typer: {medians[name] / floor:.2f}× (goal ≤ 2×)")


if __name__ == "__main__":
    main()
