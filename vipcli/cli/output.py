"""Rendering helpers shared by every command: one JSON document, Rich tables, messages."""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def emit_json(document: Any) -> None:
    """§15: with --json, stdout holds exactly one JSON document and nothing else."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=_default))
    sys.stdout.write("\n")


_console = None
_err_console = None


def console():
    global _console
    if _console is None:
        from rich.console import Console

        _console = Console(highlight=False)
    return _console


def err_console():
    global _err_console
    if _err_console is None:
        from rich.console import Console

        _err_console = Console(stderr=True, highlight=False)
    return _err_console


def table(title: str | None, columns: list[str | tuple[str, str]], rows: list[list[Any]]):
    """A Rich table; a column given as (name, 'right') is right-aligned (money, counts) and
    never cut short on a narrow terminal: the other columns give way (a balance shown as
    "412243…" would be wrong, not just short)."""
    from rich.table import Table

    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    tbl = Table(title=title, title_justify="left", header_style="bold")
    for i, col in enumerate(columns):
        if isinstance(col, tuple):
            widest = max((len(row[i]) for row in cells), default=0)
            tbl.add_column(col[0], justify=col[1], no_wrap=True, min_width=widest)
        else:
            tbl.add_column(col)
    for row in cells:
        tbl.add_row(*row)
    return tbl


def info(message: str) -> None:
    """A status line for people, on stderr so stdout stays clean for scripts."""
    err_console().print(message)
