"""The README's tour (issue 12, "the first ten minutes"): every `vip` line of "A tour by
role" runs on the demo outlet that `vip quickstart` builds, as the README says to run it
(its VIP_TODAY, the import files by their paths in this checkout), exits 0 and shows
something. One test per line, in the README's order, on one demo: later lines rely on
what earlier ones did (the opportunity `recommend --accept` opens is then moved). The
Chinese user guide (docs/guide.md) is held to the same, on a demo of its own."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.e2e.inprocess import command_tree_built_once, invoke

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


GUIDE = ROOT / "docs" / "guide.md"


def tour(section: str) -> tuple[dict[str, str], list[list[str]]]:
    """The environment a tour exports and its `vip` commands (continuations joined,
    comments dropped), from its ```sh blocks."""
    env: dict[str, str] = {}
    commands: list[list[str]] = []
    for block in re.findall(r"^```sh\n(.*?)\n```", section, re.M | re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["export"]:
                env.update(word.split("=", 1) for word in words[1:])
            elif words[:1] == ["vip"]:
                commands.append(words[1:])
    return env, commands


ENV, COMMANDS = tour(README.read_text(encoding="utf-8")
                     .split("\n## A tour by role", 1)[1].split("\n## ", 1)[0])
GUIDE_ENV, GUIDE_COMMANDS = tour(GUIDE.read_text(encoding="utf-8"))


def _demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quickstart's demo, in a folder that is the tour's working directory, where
    `sample_data/` names this checkout's sample files as it does in the README."""
    from vipcli.cli.app import run

    work = tmp_path_factory.mktemp("tour")
    (work / "sample_data").symlink_to(ROOT / "sample_data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIP_HOME", str(work / "home"))
        mp.setenv("VIP_LANG", "en")
        assert run(["quickstart"]) == 0
    return work


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _demo(tmp_path_factory)


@pytest.fixture(scope="module")
def guide_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _demo(tmp_path_factory)


def _run_as_the_tour_says(work: Path, args: list[str], today: str) -> None:
    with pytest.MonkeyPatch.context() as mp, command_tree_built_once():
        mp.chdir(work)
        mp.setenv("VIP_HOME", str(work / "home"))
        mp.setenv("VIP_TODAY", today)
        ran = invoke(work / "home" / "demo.db", *args)
    assert ran.code == 0, (args, ran.err)
    assert (ran.out + ran.err).strip(), f"{args}: printed nothing"


def test_the_tour_exports_the_demo_database_and_its_day():
    assert ENV["VIP_DB"].endswith("/demo.db") and ENV["VIP_TODAY"] == "2026-11-27"
    assert len(COMMANDS) >= 30


def test_the_tour_names_the_import_files_by_their_paths_in_the_checkout():
    files = [arg for args in COMMANDS if args[2:3] == ["import"] for arg in args if "/" in arg]
    assert files and all((ROOT / name).is_file() for name in files), files


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a)[:60] for a in COMMANDS])
def test_every_tour_line_runs_on_the_demo_and_shows_something(demo, args):
    _run_as_the_tour_says(demo, args, ENV["VIP_TODAY"])


def test_the_guide_points_at_the_same_demo():
    assert GUIDE_ENV == ENV and len(GUIDE_COMMANDS) >= 30


@pytest.mark.parametrize("args", GUIDE_COMMANDS, ids=[" ".join(a)[:60] for a in GUIDE_COMMANDS])
def test_every_guide_command_runs_on_the_demo_and_shows_something(guide_demo, args):
    _run_as_the_tour_says(guide_demo, args, GUIDE_ENV["VIP_TODAY"])
