"""The real `vip` run in-process on a SQLite file, for tests that make hundreds of calls
(the permission matrix, the fuzzing): `invoke` goes through `vipcli.cli.app.run`, error
rendering and exit codes included; `Watch` tells whether anything was committed."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Ran:
    code: int
    out: str
    err: str


def invoke(db: Path, *args: str) -> Ran:
    from vipcli.cli.app import run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["--db", str(db), *args])
    return Ran(code, out.getvalue(), err.getvalue())


def must(db: Path, *args: str) -> Ran:
    ran = invoke(db, *args)
    assert ran.code == 0, (args, ran.err)
    return ran


class Watch:
    """Whether anything was committed to the database while watched (SQLite's data_version
    changes when another connection commits a change; a rolled-back dry run leaves it)."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db)
        self.start = self._version()

    def _version(self) -> int:
        self.conn.execute("SELECT count(*) FROM sqlite_master").fetchall()  # a read refreshes it
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        try:
            return self._version() != self.start
        finally:
            self.conn.close()


@contextlib.contextmanager
def command_tree_built_once() -> Iterator[None]:
    """The real command tree, built once: Typer otherwise rebuilds it from the functions'
    signatures on every call (most of an in-process call's time)."""
    import typer.main

    build = typer.main.get_command
    built: dict[int, object] = {}

    def cached(app: object) -> object:
        if id(app) not in built:
            built[id(app)] = build(app)  # type: ignore[arg-type]
        return built[id(app)]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.main, "get_command", cached)
        yield
