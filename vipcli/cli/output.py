"""The one presentation layer: every command hands its result to `present`, which prints
the one JSON document (§15) or gives the result to the command's renderer.

Renderers print through `echo` (stdout), `info` (stderr) and `table`. None of them reads
the data as Rich markup: a customer named "[/bold]王" is printed as it is, not parsed
(and crashed on), and terminal control characters in the data (an ESC starting a colour
or cursor sequence) are dropped before anything reaches the terminal. Styling is given as
(text, style) parts of `styled`, never by markup spliced around data.

§16, 80 columns: nothing printed here is ever cut. Lines wrap where a Chinese reader
expects (between Chinese characters, at spaces) and never inside a run of Latin letters
and digits, so an id (C0000887), an amount (4,138,280.31) or a date (2026-11-27) stays
whole on one line; widths are measured in terminal cells (a Chinese character is two).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from vipcli.i18n import _

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.measure import Measurement
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
    """A line or a table on stdout; a string is printed literally. A long line wraps at the
    terminal's width, never inside an id, a number or a date (`wrapped`). soft_wrap: a long
    line stays one line (a report read from a log, not a terminal)."""
    console().print(_printable(item, soft_wrap), soft_wrap=soft_wrap)


def info(message: str | Text, *, soft_wrap: bool = False) -> None:
    """A status line for people, on stderr so stdout stays clean for scripts; a string is
    printed literally and wraps like `echo`."""
    err_console().print(_printable(message, soft_wrap), soft_wrap=soft_wrap)


def _printable(item: str | Text | RenderableType, soft_wrap: bool) -> RenderableType:
    from rich.text import Text

    if isinstance(item, str):
        item = _literal(item)
    if isinstance(item, Text) and not soft_wrap:
        return Wrapped(item)
    return item


class Wrapped:
    """Text that wraps at the width it is printed at, as `wrapped` breaks it."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = _lines(wrapped(self.text, options.max_width))
        lines.end, lines.justify = self.text.end, self.text.justify
        yield lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.text)


def _lines(lines: Sequence[Text]) -> Text:
    from rich.text import Text

    joined = Text("\n").join(lines)
    # Already broken to the width; "fold" (never "ignore", which loses a column's right
    # alignment in Rich) can only ever fold, never drop, a character.
    joined.no_wrap, joined.overflow = True, "fold"
    return joined


# Line breaking (§16). A line may not start with closing punctuation nor end with opening
# punctuation (the usual rule of Chinese typesetting), so those stick to their neighbour.
_NO_LINE_START = frozenset("，。、；：！？）」』】〉》”’％,.;:!?)]}%…·")
_NO_LINE_END = frozenset("（「『【〈《“‘([{")


def _words(line: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_space) pieces of one line between which it may break: a run of
    spaces; a run of narrow non-space characters (an id, a number, a date, an English
    word); one wide character. Punctuation sticks to its neighbour."""
    from rich.cells import cell_len

    words: list[list[Any]] = []
    last_narrow = glue = False
    for i, ch in enumerate(line):
        if ch.isspace():
            if words and words[-1][2]:
                words[-1][1] = i + 1
            else:
                words.append([i, i + 1, True])
            last_narrow = glue = False
            continue
        narrow = cell_len(ch) < 2
        joins = bool(words) and not words[-1][2] and (
            glue or ch in _NO_LINE_START or (narrow and last_narrow))
        if joins:
            words[-1][1] = i + 1
        else:
            words.append([i, i + 1, False])
        last_narrow, glue = narrow, ch in _NO_LINE_END
    return _keep_short(line, [(s, e, space) for s, e, space in words])


_SHORT = 8  # cells: a chunk between spaces this short (王芳, 钻石卡, 12月5日) never breaks


def _keep_short(line: str, words: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """The words with each short chunk between spaces made one word."""
    from rich.cells import cell_len

    out: list[tuple[int, int, bool]] = []
    for s, e, space in words:
        if out and not space and not out[-1][2] and cell_len(line[_chunk(out):e]) <= _SHORT:
            out[-1] = (out[-1][0], e, False)
        else:
            out.append((s, e, space))
    return out


def _chunk(words: list[tuple[int, int, bool]]) -> int:
    """Where the chunk that ends with the last word begins (after the last space)."""
    for _start, end, space in reversed(words):
        if space:
            return end
    return 0


def _chop(text: str, start: int, end: int, width: int) -> list[int]:
    """Offsets that split text[start:end], wider than `width` cells, into pieces of at most
    `width` cells: the last resort for a single word wider than the whole line."""
    from rich.cells import cell_len

    cuts, used = [], 0
    for i in range(start, end):
        size = cell_len(text[i])
        if used + size > width and used:
            cuts.append(i)
            used = 0
        used += size
    return cuts


def _line_spans(line: str, width: int) -> list[tuple[int, int]]:
    """Where one line (no newline in it) breaks to fit `width` cells: (start, end) of each
    piece; spaces at a break are dropped, the line's own indentation is kept."""
    from rich.cells import cell_len

    spans: list[tuple[int, int]] = []
    start: int | None = None
    end = used = gap = 0
    for s, e, space in _words(line):
        size = cell_len(line[s:e])
        if space:
            if start is not None:
                gap = size
            elif size * 2 < width:  # the line's own indentation (wider, it is dropped)
                start, end, used = s, e, size
            continue
        if start is not None and used + gap + size <= width:
            end, used = e, used + gap + size
        else:
            if start is not None and end > start:
                spans.append((start, end))
            start, end, used = s, e, size
            if size > width:
                for cut in _chop(line, s, e, width):
                    spans.append((start, cut))
                    start = cut
                used = cell_len(line[start:e])
        gap = 0
    if start is not None:
        spans.append((start, end))
    return spans or [(0, 0)]


def wrapped(text: str | Text, width: int) -> list[Text]:
    """The lines of `text`, each at most `width` cells: broken between Chinese characters
    and at spaces, never inside a run of letters and digits (an id, an amount, a date)
    unless that run alone is wider than `width`. A continued line keeps the indentation
    of the line it continues."""
    from rich.cells import cell_len
    from rich.text import Text

    source = Text(clean(text)) if isinstance(text, str) else text.copy()
    source.expand_tabs()
    width = max(width, 1)
    if "\n" not in source.plain and cell_len(source.plain) <= width:
        return [source]  # the common case: a cell or a line that fits
    out: list[Text] = []
    for line in source.split("\n", allow_blank=True):
        plain = line.plain
        hang = len(plain) - len(plain.lstrip(" "))
        hang = hang if hang * 2 < width else 0
        spans = _line_spans(plain, width)
        if hang and len(spans) > 1:
            rest = spans[1][0]
            spans = spans[:1] + [(rest + s, rest + e)
                                 for s, e in _line_spans(plain[rest:], width - hang)]
        out.extend(line[s:e] if i == 0 else Text(" " * hang) + line[s:e]
                   for i, (s, e) in enumerate(spans))
    return out or [Text("")]


Align = Literal["right", "left"]
Column = str | tuple[str, Align]

# A text column (a reason, a summary) wider than this may wrap inside the full table, down
# to _WRAP_MIN cells; ids, names, money, dates and codes are narrower and never wrap there.
_TEXT_COLUMN = 24
_WRAP_MIN = 20


def table(title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> Fit:
    """A table whose title and cells are literal text (never markup), laid out when it is
    printed, for the width of the terminal (§16: readable at 80 columns, nothing cut).

    A column given as (name, 'right') is right-aligned (money, counts), as (name, 'left')
    left-aligned (a code); a plain name is text. Cells may hold several lines ("\n").

    The decision: the full table when every column fits at its widest value, or when it
    fits with only the long text columns (wider than 24 cells: reasons, summaries)
    wrapped, each still at least 20 cells wide. Otherwise one block per record, which reads
    best on 80 columns in Chinese, where a squeezed table turns every reason into a column
    of two-character lines:

        C0000887  陶清龙
          等级：   钻石卡
          ADB12：  4,138,280.31
          原因：   理财产品到期 P001，2026-12-02

    The first line holds the record's key columns (the first column, and the second too
    when both are short: an id and a name, a date and who); below, one "heading: value"
    line per other column, values aligned and wrapped under themselves; an empty value is
    left out. Nothing is cut in either layout: no "…", no id, amount or date split across
    lines (`wrapped`). The title wraps at the terminal's width above the table or blocks."""
    from rich.text import Text

    heads = [c[0] if isinstance(c, tuple) else c for c in columns]
    justify: list[Align] = [c[1] if isinstance(c, tuple) else "left" for c in columns]
    cells = [[_cell(cell) for cell in row] + [""] * (len(heads) - len(row)) for row in rows]
    caption = None if title is None else Text(clean(title), style="table.title")
    return Fit(caption, heads, justify, [isinstance(c, tuple) for c in columns], cells)


def _cell(value: Any) -> str:
    return "" if value is None else clean(value).replace("\t", " ")


class Fit:
    """A table that chooses its layout when printed (see `table`)."""

    def __init__(self, title: Text | None, heads: list[str], justify: list[Align],
                 fixed: list[bool], cells: list[list[str]]) -> None:
        self.title, self.heads, self.justify, self.cells = title, heads, justify, cells
        self.natural = [max([_widest(h)] + [_widest(row[i]) for row in cells])
                        for i, h in enumerate(heads)]
        self.wraps = [not fixed[i] and w > _TEXT_COLUMN for i, w in enumerate(self.natural)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self.title is not None:
            yield _lines(wrapped(self.title, width))
        widths = self.widths(width)
        if widths is not None:
            yield self._table(widths)
        else:
            yield from self._blocks(width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        full = sum(self.natural) + 3 * len(self.natural) + 1
        return Measurement(min(full, _WRAP_MIN), full).clamp(max_width=options.max_width)

    def widths(self, width: int) -> list[int] | None:
        """Each column's width in the full table at `width` cells, or None: blocks."""
        room = width - (3 * len(self.natural) + 1)  # borders and one cell of padding a side
        if sum(self.natural) <= room:
            return list(self.natural)
        flexible = sorted((w, i) for i, w in enumerate(self.natural) if self.wraps[i])
        room -= sum(w for i, w in enumerate(self.natural) if not self.wraps[i])
        if not flexible or room < _WRAP_MIN * len(flexible):
            return None
        widths = list(self.natural)
        for left, (natural, i) in zip(range(len(flexible), 0, -1), flexible, strict=True):
            widths[i] = min(natural, room // left)  # narrowest first: spare room goes on
            room -= widths[i]
        return widths

    def _table(self, widths: list[int]) -> Table:
        from rich.table import Table

        tbl = Table(header_style="bold")
        for head, justify, width in zip(self.heads, self.justify, widths, strict=True):
            tbl.add_column(_lines(wrapped(head, width)), justify=justify,
                           width=width, no_wrap=True, overflow="fold")
        for row in self.cells:
            tbl.add_row(*(_lines(wrapped(cell, w)) for cell, w in zip(row, widths, strict=True)))
        return tbl

    def _keys(self, width: int) -> int:
        """How many leading columns make a record's first line: the first, and the second
        too when neither is long text and the two fit on one line together."""
        if len(self.heads) < 3 or self.wraps[0] or self.wraps[1]:
            return 1
        pair = max((_widest(r[0]) + 2 + _widest(r[1]) for r in self.cells), default=0)
        return 2 if pair <= width else 1

    def _blocks(self, width: int) -> Iterator[RenderableType]:
        from rich.cells import cell_len
        from rich.text import Text

        keys = self._keys(width)
        labels = [_("{heading}:").format(heading=h) if h else "" for h in self.heads]
        label_width = min(max((cell_len(lb) for lb in labels[keys:]), default=0), width // 3)
        value_width = max(width - _INDENT - label_width - 1, 1)
        for n, row in enumerate(self.cells):
            lines = wrapped(Text("  ".join(v for v in row[:keys] if v), style="bold"), width)
            for label, value in zip(labels[keys:], row[keys:], strict=True):
                if value:
                    lines.extend(_field(label, label_width, value, value_width))
            if n:
                yield Text("")
            yield _lines(lines)


_INDENT = 2


def _field(label: str, label_width: int, value: str, value_width: int) -> list[Text]:
    """'  heading: value' lines, the value wrapped and aligned under itself."""
    from rich.cells import cell_len
    from rich.text import Text

    heads = [h.plain for h in wrapped(label, label_width)] if label else []
    values = wrapped(value, value_width)
    out = []
    for i in range(max(len(heads), len(values))):
        head = heads[i] if i < len(heads) else ""
        pad = " " * (label_width - cell_len(head) + 1)
        line = Text(" " * _INDENT) + Text(head, style="dim") + Text(pad)
        out.append(line + (values[i] if i < len(values) else Text("")))
    return out


def _widest(value: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in value.split("\n")), default=0)


def tier_label(code: str | None) -> str:
    """A card tier for people, in the one wording of §16: 钻石卡, 白金卡, 金卡, 普通客户."""
    from vipcli.domain import labels

    return labels.tier(code)
