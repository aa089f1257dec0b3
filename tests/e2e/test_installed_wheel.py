"""`pip install .` from a clean checkout, then commands on a fresh database (issue 2, item 1).

Builds the wheel, installs it into a brand-new virtual environment and runs the real
`vip` there: migrations and sample data must ship inside the wheel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)


@pytest.fixture(scope="module")
def installed_vip(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT)])
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((work / "dist").glob("vipcli-*.whl"))
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    pip = run([str(env_dir / "bin" / "pip"), "install", "-q", str(wheel)])
    assert pip.returncode == 0, pip.stderr[-3000:]
    return env_dir / "bin" / "vip"


def test_installed_wheel_migrates_a_fresh_database(installed_vip, tmp_path):
    env = dict(os.environ, VIP_HOME=str(tmp_path / "home"))
    env.pop("VIP_DB", None)
    result = run([str(installed_vip), "--db", str(tmp_path / "fresh.db"), "db", "current", "--json"], env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["current"] is None
    upgraded = run([str(installed_vip), "--db", str(tmp_path / "fresh.db"), "db", "upgrade"], env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    again = json.loads(
        run([str(installed_vip), "--db", str(tmp_path / "fresh.db"), "db", "current", "--json"], env=env).stdout
    )
    assert again["current"] == again["head"]


def test_installed_wheel_runs_the_quickstart(installed_vip, tmp_path):
    env = dict(os.environ, VIP_HOME=str(tmp_path / "home"))
    env.pop("VIP_TODAY", None)
    result = run([str(installed_vip), "quickstart", "--json"], env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    doc = json.loads(result.stdout)
    assert doc["built"] is True
    assert doc["manager_due"]["items"], "the sample manager has a morning list"
    assert (tmp_path / "home" / "demo.db").stat().st_mode & 0o777 == 0o600
