"""Reading an import file as a stream of chunks of rows (SPEC §12): CSV in UTF-8, UTF-8
with BOM or GBK, and .xlsx. Memory stays constant whatever the size of the file.

A chunk is (number of its first row, list of rows as lists of cell texts). Row numbers are
those a user sees in a spreadsheet: the header is row 1, the first data row is row 2.
Blank rows stay in the chunk (as empty or all-empty lists) so numbering stays right.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from vipcli.errors import ImportRejected, InvalidInput

Chunk = tuple[int, list[list[str]]]
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030",
             "gb18030": "gb18030", "gb2312": "gb18030"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "gb18030": "GBK"}
SNIFF_BYTES = 1 << 16
csv.field_size_limit(1 << 20)


@dataclass
class Source:
    """The header and the data rows of one file, with how far reading has got."""

    name: str
    header: list[str]
    chunks: Callable[[int], Iterator[Chunk]]  # chunks(size)
    total: int  # bytes (CSV) or rows (xlsx), for the progress bar
    encoding: str | None = None
    _position: object = field(default=None, repr=False)

    def done(self) -> int:
        return self._position() if callable(self._position) else 0


def detect_encoding(head: bytes) -> str:
    """BOM → UTF-8 with BOM; strict UTF-8 on the first chunk; otherwise GBK (as GB18030)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def resolve_encoding(encoding: str | None) -> str | None:
    if encoding is None:
        return None
    found = ENCODINGS.get(encoding.lower())
    if found is None:
        raise InvalidInput(f"unknown --encoding {encoding!r}: use utf-8, utf-8-sig or gbk")
    return found


@contextmanager
def open_source(path: Path, encoding: str | None = None) -> Iterator[Source]:
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        raise ImportRejected(f"{path.name}: old .xls workbooks are not read; save it as .xlsx or CSV")
    opener = _open_xlsx if suffix in (".xlsx", ".xlsm") else _open_csv
    with opener(path, resolve_encoding(encoding)) as source:
        yield source


@contextmanager
def _open_csv(path: Path, encoding: str | None) -> Iterator[Source]:
    with open(path, "rb") as raw:
        if encoding is None:
            encoding = detect_encoding(raw.read(SNIFF_BYTES))
            raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise _unreadable(path, encoding, 1, exc) from None
        if not header or not any(cell.strip() for cell in header):
            raise ImportRejected(f"{path.name}: the file is empty (no header row)")

        def chunks(size: int) -> Iterator[Chunk]:
            first = 2
            try:
                while block := list(islice(reader, size)):
                    yield first, block
                    first += len(block)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise _unreadable(path, encoding, max(first, reader.line_num + 1), exc, reader.line_num) from None

        yield Source(path.name, header, chunks, path.stat().st_size, encoding, raw.tell)


def _unreadable(path: Path, encoding: str, row: int, exc: Exception, line: int = 1) -> ImportRejected:
    """Text decoding works in blocks: the problem lies in the chunk starting at `row`, near
    line `line` of the file."""
    if isinstance(exc, UnicodeDecodeError):
        name = ENCODING_NAMES.get(encoding, encoding)
        message = (
            f"not valid {name} text (near line {line} of the file); pass --encoding utf-8, utf-8-sig or gbk "
            "to say how the file is encoded"
        )
    else:
        message = f"not well-formed CSV near line {line} ({exc})"
    return ImportRejected(
        f"{path.name}: row {row}: {message}; nothing was imported",
        details=[{"row": row, "column": None, "message": message}],
    )


@contextmanager
def _open_xlsx(path: Path, _encoding: str | None) -> Iterator[Source]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportRejected(f"{path.name}: not a readable .xlsx workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        header = [cell_text(c) for c in next(cells, ())]
        if not any(h.strip() for h in header):
            raise ImportRejected(f"{path.name}: the first sheet is empty (no header row)")
        state = {"row": 1}

        def chunks(size: int) -> Iterator[Chunk]:
            first = 2
            while block := [[cell_text(c) for c in values] for values in islice(cells, size)]:
                yield first, block
                first += len(block)
                state["row"] = first

        yield Source(path.name, header, chunks, sheet.max_row or 0, None, lambda: state["row"])
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold (dates ISO, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
