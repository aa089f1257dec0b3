"""`vip due` runs every morning, so its start-up counts (issue 12's figure: within 1.5× of
`python -c "import sqlalchemy, rich.table"`). Its path reads through light Core tables: the
real command, in a subprocess on the demo outlet, never imports the ORM or the models, for
an account manager, an advisor, the branch head (the outlet's list and one person's), in
Chinese at 80 columns and as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The modules whose import the morning list cannot afford (mapping the models alone costs
# more than the whole list of a 300-customer book).
HEAVY = ("sqlalchemy.orm", "vipcli.db.models")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("speed-demo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIP_")}
    env.update(VIP_HOME=str(home), VIP_LANG="en")
    done = subprocess.run([sys.executable, "-m", "vipcli", "quickstart"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    env.update(VIP_DB=str(Path(home) / "demo.db"), VIP_TODAY="2026-11-27")
    return env


def importtime(env: dict[str, str], *args: str, lang: str = "zh_CN") -> tuple[list[tuple[int, str]], str]:
    """What `vip ARGS` imports, as python -X importtime lists it — (depth, module), each
    module after the ones it imported — and its stdout."""
    env = dict(env, VIP_LANG=lang, COLUMNS="80")
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "vipcli", *args], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and not line.endswith("imported package"):
            name = line.rsplit("|", 1)[1]
            lines.append(((len(name) - len(name.lstrip())) // 2, name.strip()))
    return lines, done.stdout


def imported(env: dict[str, str], *args: str, lang: str = "zh_CN") -> tuple[set[str], str]:
    """The modules `vip ARGS` imports, and its stdout."""
    lines, out = importtime(env, *args, lang=lang)
    return {name for _depth, name in lines}, out


def importers(lines: list[tuple[int, str]], module: str) -> set[str]:
    """Every module through which `module` was first imported (its ancestors in the tree)."""
    chain: set[str] = set()
    for i, (depth, name) in enumerate(lines):
        if name == module:
            for later_depth, later in lines[i + 1:]:
                if later_depth < depth:
                    chain.add(later)
                    depth = later_depth
            break
    return chain


@pytest.mark.parametrize("args", [
    ("--as", "S005", "due"),  # an account manager, today's plan
    ("--as", "S013", "due"),  # an advisor
    ("--as", "S004", "due"),  # the branch head: the outlet, with its reports to review
    ("--as", "S004", "due", "--staff", "S005"),
    ("--as", "S005", "due", "--all"),
], ids=["manager", "advisor", "branch-head", "branch-head-staff", "all"])
def test_the_morning_list_never_imports_the_orm(demo, args):
    modules, out = imported(demo, *args)
    assert "vipcli.services.contact.due" in modules  # the probe sees the command's imports
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert "今日联系计划" in out  # the Chinese screen, drawn


def test_the_json_list_with_its_ideas_never_imports_the_orm(demo):
    modules, out = imported(demo, "--as", "S005", "due", "--json", lang="en")
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    doc = json.loads(out)
    assert doc["items"] and any(item["idea"] for item in doc["items"])  # ideas read too
    assert doc["total"] == doc["shown"] == len(doc["items"])


def test_a_command_that_writes_still_loads_the_models(demo):
    """The light path is the morning list's; the services that write keep their ORM."""
    modules, _out = imported(demo, "--as", "S005", "risk", "show", "C0000795", "--json",
                             lang="en")
    assert "vipcli.db.models" in modules


def test_the_morning_list_never_loads_pydantic(demo):
    """The rules without a rules file need no pydantic (vipcli.config), and Typer's value
    checks take text as it is (vipcli.cli.app._light_runtime_params): ≈ 60 ms saved."""
    lines, _out = importtime(demo, "--as", "S005", "due")
    names = {name for _depth, name in lines}
    assert "pydantic" not in names, importers(lines, "pydantic")
