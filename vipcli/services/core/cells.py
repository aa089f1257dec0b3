"""Cells of exported files as data, never as code (§12): control characters removed,
numbers as numbers, text typed as text and quote-prefixed where a spreadsheet would run it
as a formula. Shared by `vip export` and the wealth diagnosis's workbook (§18)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any


def _default(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


# Control characters, removed from every cell (§12): C0 but tab and line feed, DEL, C1.
# openpyxl refuses the C0 ones outright, so one ESC in a name would break every xlsx.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What a spreadsheet reads as the start of a formula (§12); a tab or a carriage return
# is listed too, although _CONTROL has already removed the carriage return.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as a negative amount ("-1234.00") is a number, not a formula.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _cell(value: object) -> object:
    """A cell's value: numbers as numbers, everything else as text without controls."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           default=_default)
    return _CONTROL.sub("", text)


def formula_like(text: str) -> bool:
    """True for text a spreadsheet would run as a formula (§12)."""
    return text.startswith(_FORMULA_START) and _NUMBER.fullmatch(text) is None


def _csv_cell(value: object) -> object:
    cell = _cell(value)
    return f"'{cell}" if isinstance(cell, str) and formula_like(cell) else cell


def _xlsx_cell(sheet: object, value: object) -> object:
    """A write-only cell; text is typed as a string ("s"), never a formula, and text that
    looks like one is marked quote-prefixed so Excel keeps it text even when edited."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_cell(value))  # type: ignore[arg-type]
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.quotePrefix = formula_like(cell.value)
    return cell


def put_text(sheet: Any, row: int, column: int, value: object) -> Any:
    """A cell of an ordinary (not write-only) sheet holding data as text (§12): control
    characters removed, typed as a string, quote-prefixed when it looks like a formula."""
    cell = sheet.cell(row=row, column=column, value=_cell(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.quotePrefix = formula_like(cell.value)
    return cell
