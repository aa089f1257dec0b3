"""The one presentation layer: every command hands its result to `present`, which prints
the one JSON document (§15) or gives the result to the command's renderer.

Renderers print through `echo` (stdout), `info` (stderr) and `table`. None of them reads
the data as Rich markup: a customer named "[/bold]王" is printed as it is, not parsed
(and crashed on), and terminal control characters in the data (an ESC starting a colour
or cursor sequence) are dropped before anything reaches the terminal. Styling is given as
(text, style) parts of `styled`, never by markup spliced around data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

R = TypeVar("R")

# C0 controls except tab and newline, DEL, and the C1 controls (0x9b is a one-byte CSI).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def present(result: R, *, as_json: bool, render: Callable[[R], None],
            document: Callable[[R], Any] | None = None) -> None:
    """Print the result: with --json the one JSON document (`document(result)` when the
    result is not itself the document), otherwise the command's renderer."""
    if as_json:
        emit_json(result if document is None else document(result))
    else:
        render(result)


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


def clean(value: object) -> str:
    """The value as text for a terminal: control characters (ESC, BEL, CR …) removed."""
    return _CONTROL.sub("", str(value))


def styled(*parts: str | tuple[str, str]) -> Text:
    """One line from literal parts; a part given as (text, style) is styled. Nothing in
    the parts is read as markup."""
    from rich.text import Text

    return Text.assemble(*(clean(p) if isinstance(p, str) else (clean(p[0]), p[1]) for p in parts))


def _literal(message: str | Text) -> Text:
    from rich.text import Text

    return Text(clean(message)) if isinstance(message, str) else message


_console: Console | None = None
_err_console: Console | None = None


def console() -> Console:
    global _console
    if _console is None:
        from rich.console import Console

        _console = Console(highlight=False)
    return _console


def err_console() -> Console:
    global _err_console
    if _err_console is None:
        from rich.console import Console

        _err_console = Console(stderr=True, highlight=False)
    return _err_console


def echo(item: str | Text | RenderableType, *, soft_wrap: bool = False) -> None:
    """A line or a table on stdout; a string is printed literally. soft_wrap: a long line
    stays one line (a report read from a log, not a terminal)."""
    console().print(_literal(item) if isinstance(item, str) else item, soft_wrap=soft_wrap)


def info(message: str | Text, *, soft_wrap: bool = False) -> None:
    """A status line for people, on stderr so stdout stays clean for scripts; a string is
    printed literally."""
    err_console().print(_literal(message), soft_wrap=soft_wrap)


Column = str | tuple[str, Literal["right", "left"]]


def table(title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> Table:
    """A Rich table whose title and cells are literal text (never markup); a column given
    as (name, 'right') is right-aligned (money, counts), as (name, 'left') left-aligned
    (a code such as a role), and either is never cut short on a narrow
    terminal: the other columns give way (a balance shown as "412243…" would be wrong,
    not just short)."""
    from rich.table import Table
    from rich.text import Text

    cells = [["" if cell is None else clean(cell) for cell in row] for row in rows]
    caption = None if title is None else Text(clean(title), style="table.title")
    tbl = Table(title=caption, title_justify="left", header_style="bold")
    for i, col in enumerate(columns):
        if isinstance(col, tuple):
            widest = max((len(row[i]) for row in cells), default=0)
            tbl.add_column(col[0], justify=col[1], no_wrap=True, min_width=widest)
        else:
            tbl.add_column(col)
    for row in cells:
        tbl.add_row(*(Text(cell) for cell in row))
    return tbl


def tier_label(code: str | None) -> str:
    """A card tier for people: "金卡 gold", or "—" for none."""
    from vipcli.domain.vocabulary import TIER_LABELS

    return f"{TIER_LABELS.get(code, '—')} {code}" if code else "—"
