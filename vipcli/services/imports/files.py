"""Reading an import file as a stream of chunks of rows (SPEC §12): CSV in UTF-8, UTF-8
with BOM or GBK, and .xlsx. Memory stays constant whatever the size of the file.

A chunk is (number of its first row, list of rows as lists of cell texts). Row numbers are
those a user sees in a spreadsheet: the header is row 1, the first data row is row 2.
Blank rows stay in the chunk (as empty or all-empty lists) so numbering stays right.

Bytes that are not text in the file's encoding are refused naming their row and column
(§12, §13): the CSV is decoded with a handler that keeps them as lone surrogates, which
no valid text contains, so each chunk is searched only once the handler has fired. A file
read as GBK whose cell is UTF-8 Chinese (a file that mixes the two) is refused the same
way: GBK names practically never form valid UTF-8 with Chinese characters in it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from vipcli.domain.rows import column_name
from vipcli.errors import ImportRejected, InvalidInput
from vipcli.i18n import _

Chunk = tuple[int, list[list[str]]]
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030",
             "gb18030": "gb18030", "gb2312": "gb18030"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "gb18030": "GBK"}
SNIFF_BYTES = 1 << 16
SNIFF_LIMIT = 1 << 24  # an ASCII head is skipped up to 16 MB to find the first non-ASCII text
csv.field_size_limit(1 << 20)
_UNDECODED = re.compile("[\udc00-\udcff]")  # bytes `_keep_undecoded` kept
_CHINESE = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_UTF8_CHINESE = re.compile(rb"[\xe3-\xe9\xef][\x80-\xbf]{2}")  # U+3000–U+9FFF, U+F000–U+FFFF in UTF-8
_undecoded_seen = [0]  # how many times `_keep_undecoded` has fired in this process


def _keep_undecoded(exc: UnicodeError) -> tuple[str, int]:
    """A decoding error handler: each byte that is not text becomes a lone surrogate (as
    surrogateescape does, ASCII bytes included), to be found and named by row and column."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _undecoded_seen[0] += 1
    return "".join(chr(0xDC00 + b) for b in exc.object[exc.start:exc.end]), exc.end


codecs.register_error("vip-keep-undecoded", _keep_undecoded)


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
        raise InvalidInput(_("unknown --encoding {encoding!r}: use utf-8, utf-8-sig or gbk")
                           .format(encoding=encoding))
    return found


@contextmanager
def open_source(path: Path, encoding: str | None = None) -> Iterator[Source]:
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        raise ImportRejected(_("{file}: old .xls workbooks are not read; save it as .xlsx or CSV")
                             .format(file=path.name))
    opener = _open_xlsx if suffix in (".xlsx", ".xlsm") else _open_csv
    with opener(path, resolve_encoding(encoding)) as source:
        yield source


def _sniff(raw: BinaryIO) -> str:
    """The encoding of a CSV without --encoding: `detect_encoding` on the first 64 KB that
    hold anything but ASCII (an extract may begin with thousands of ASCII-only rows)."""
    head = sample = raw.read(SNIFF_BYTES)
    read = len(head)
    while sample.isascii() and read < SNIFF_LIMIT:
        sample = raw.read(SNIFF_BYTES)  # starts on a character boundary: all before was ASCII
        if not sample:
            return detect_encoding(head)
        read += len(sample)
    found = detect_encoding(sample)
    return "utf-8" if found == "utf-8-sig" and sample is not head else found


@contextmanager
def _open_csv(path: Path, encoding: str | None) -> Iterator[Source]:
    with open(path, "rb") as raw:
        if encoding is None:
            encoding = _sniff(raw)
            raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, errors="vip-keep-undecoded", newline="")
        reader = csv.reader(text)
        seen = _undecoded_seen[0]
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise _unreadable(path, 1, exc) from None
        if not header or not any(cell.strip() for cell in header):
            raise ImportRejected(_("{file}: the file is empty (no header row)").format(file=path.name))
        _check_text(path.name, header, 1, [header], encoding, seen != _undecoded_seen[0])

        def chunks(size: int) -> Iterator[Chunk]:
            first = 2
            try:
                while block := list(islice(reader, size)):
                    _check_text(path.name, header, first, block, encoding, seen != _undecoded_seen[0])
                    yield first, block
                    first += len(block)
            except csv.Error as exc:
                raise _unreadable(path, max(first, reader.line_num + 1), exc, reader.line_num) from None

        yield Source(path.name, header, chunks, path.stat().st_size, encoding, raw.tell)


def _unreadable(path: Path, row: int, exc: Exception, line: int = 1) -> ImportRejected:
    """CSV parsing works in blocks: the problem lies in the chunk starting at `row`, near
    line `line` of the file."""
    message = _("not well-formed CSV near line {line} ({problem})").format(line=line, problem=exc)
    return ImportRejected(
        _("{file}: row {row}: {problem}; nothing was imported").format(
            file=path.name, row=row, problem=message),
        details=[{"row": row, "column": None, "message": message}],
    )


def _check_text(name: str, header: list[str], first: int, block: list[list[str]], encoding: str,
                undecoded: bool) -> None:
    """§12: refuse the first cell holding bytes that are not text in `encoding` (only
    searched for once the decoder has met some) or, in a file read as GBK, UTF-8 Chinese.
    Column by column: an all-ASCII column (ids, dates, amounts) costs one test."""
    gbk = encoding == "gb18030"
    if not undecoded and not gbk:
        return
    found: list[tuple[int, int, str]] = []  # (offset, column index, message)
    for index in range(max(map(len, block), default=0)):
        column = [cells[index] if index < len(cells) else "" for cells in block]
        if "".join(column).isascii():
            continue
        for offset, cell in _suspects(column, undecoded, gbk):
            message = _undecoded(cell, encoding) if undecoded else None
            if message is None and gbk and not cell.isascii():
                message = _utf8_in_gbk(cell)
            if message is not None:
                found.append((offset, index, message))
                break
    if found:
        offset, index, message = min(found)  # the first row, then the first column
        known = first > 1 and index < len(header)  # a header cell is named by its position
        column_name_ = column_name(header[index]) if known else str(index + 1)
        raise ImportRejected(
            _("{file}: row {row}, column {column}: {problem}; nothing was imported").format(
                file=name, row=first + offset, column=column_name_, problem=message),
            details=[{"row": first + offset, "column": column_name_, "message": message}],
        )


def _suspects(column: list[str], undecoded: bool, gbk: bool) -> Iterator[tuple[int, str]]:
    """The cells of a column worth the precise test. In a GBK file without undecoded bytes,
    only those whose bytes hold a UTF-8 Chinese character's pattern (a few in a hundred GBK
    names): the column is encoded once, not cell by cell (a GBK chunk of 50,000 customers:
    0.14 s instead of 0.34 s)."""
    if undecoded or not gbk:
        yield from enumerate(column)
        return
    parts = "\x1f".join(column).encode("gb18030").split(b"\x1f")
    if len(parts) != len(column):  # a cell holds the separator: test them all
        yield from enumerate(column)
        return
    for offset, raw in enumerate(parts):
        if _UTF8_CHINESE.search(raw):
            yield offset, column[offset]


def _undecoded(cell: str, encoding: str) -> str | None:
    if _UNDECODED.search(cell) is None:
        return None
    if encoding == "gb18030" and (utf8 := _utf8_in_gbk(_raw_bytes(cell, encoding))) is not None:
        return utf8
    bad = "".join(f"\\x{ord(c) - 0xDC00:02x}" for c in _UNDECODED.findall(cell)[:4])
    other = "utf-8" if encoding == "gb18030" else "gbk"
    return _("bytes {bad} are not valid {encoding} text (pass --encoding {other} if the file is "
             "{other_name}; a file that mixes GBK and UTF-8 must be saved in one encoding)").format(
        bad=bad, encoding=ENCODING_NAMES.get(encoding, encoding), other=other,
        other_name=ENCODING_NAMES[ENCODINGS[other]])


def _raw_bytes(cell: str, encoding: str) -> bytes:
    """The bytes a cell was decoded from, the undecoded ones included."""
    return b"".join(bytes([ord(c) - 0xDC00]) if _UNDECODED.match(c) else c.encode(encoding) for c in cell)


def _utf8_in_gbk(cell: str | bytes) -> str | None:
    """A cell read as GBK that is really UTF-8 Chinese: its bytes decode as UTF-8 too."""
    try:
        text = (cell if isinstance(cell, bytes) else cell.encode("gb18030")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if _CHINESE.search(text) is None:
        return None
    return _("UTF-8 text ({text!r}) in a file read as GBK: the file mixes GBK and UTF-8 "
             "(save it in one encoding) or is UTF-8 (pass --encoding utf-8)").format(text=text[:20])


@contextmanager
def _open_xlsx(path: Path, _encoding: str | None) -> Iterator[Source]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportRejected(_("{file}: not a readable .xlsx workbook ({problem})")
                             .format(file=path.name, problem=exc)) from None
    try:
        sheet = book.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        header = [cell_text(c) for c in next(cells, ())]
        if not any(h.strip() for h in header):
            raise ImportRejected(_("{file}: the first sheet is empty (no header row)")
                                 .format(file=path.name))
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
