"""The quickstart's last lines are commands to copy (issue 12): they work as printed, in
the shell the README's first command leaves — `vip` when the `vip` on the PATH is this
very program, its full path when it is not (a virtual environment not activated)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

VIP = Path(sys.executable).with_name("vip")
pytestmark = pytest.mark.skipif(not VIP.is_file(), reason="needs the installed `vip` script")


def _quickstart(home: Path, path: str) -> tuple[str, list[str], list[str]]:
    """stdout of `vip quickstart`, its `export` line and the commands it offers."""
    env = {**os.environ, "VIP_HOME": str(home), "PATH": path, "COLUMNS": "80"}
    env.pop("VIP_LANG", None)
    done = subprocess.run([str(VIP), "quickstart"], capture_output=True, text=True, env=env,
                          timeout=300, check=True)
    lines = [line.strip() for line in done.stdout.splitlines()]
    exports = [line for line in lines if line.startswith("export VIP_")]
    start = max(i for i, line in enumerate(lines) if line.startswith("export VIP_"))
    commands = [line for line in lines[start + 1:] if line and not line.startswith("#")]
    return done.stdout, [" && ".join(exports)], commands


def _run_as_printed(export: str, command: str, path: str, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIP_")}
    env.update(PATH=path, VIP_HOME=str(home), VIP_LANG="en")
    return subprocess.run(["bash", "-c", f"{export} && {command}"], capture_output=True,
                          text=True, env=env, timeout=300)


def test_with_vip_on_the_path_the_printed_commands_say_vip_and_work(tmp_path):
    path = f"{VIP.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    out, (export,), commands = _quickstart(tmp_path / "home", path)
    assert "自己试试" in out  # the quickstart speaks Chinese by default
    assert commands and all(c.startswith("vip ") for c in commands), commands
    for command in commands[:-1]:  # the last one rebuilds the demo
        done = _run_as_printed(export, command, path, tmp_path / "home")
        assert done.returncode == 0, (command, done.stderr)
        assert done.stdout.strip(), command


def test_without_vip_on_the_path_they_name_the_program_by_its_full_path(tmp_path):
    path = "/usr/bin:/bin"
    assert shutil.which("vip", path=path) is None
    _out, (export,), commands = _quickstart(tmp_path / "home", path)
    assert commands and all(c.startswith(f"{VIP} ") for c in commands), commands
    done = _run_as_printed(export, commands[0], path, tmp_path / "home")
    assert done.returncode == 0 and done.stdout.strip(), done.stderr


def test_quickstart_json_lists_the_commands_to_try(tmp_path, monkeypatch, capsys):
    import json

    from vipcli.cli.app import run

    monkeypatch.setenv("VIP_HOME", str(tmp_path / "home"))
    assert run(["quickstart", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert any(command.endswith("--as S005 due") for command in document["try"])
    assert any(command.endswith("--as S005 plan week") for command in document["try"])  # §18
    assert any(command.endswith("customers --unassigned") for command in document["try"])
