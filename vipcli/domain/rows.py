"""Parsing and validation of import rows (SPEC §12): plain Python, no database.

An import kind is a tuple of `Field`s. A field names its column, says how a cell is
parsed and whether it is required. Parsers receive a stripped, non-empty cell and
return the stored value or raise ValueError("expected …"). Headers may use the
English column names or the Chinese aliases of `vocabulary.HEADER_ALIASES`; enum
cells accept codes and the Chinese labels of `vocabulary.ENUM_LABELS`.

Hand conversion rather than one pydantic model per row: the asset extract has 12M
rows and a per-row model costs ≈3× (docs/design.md "asset extract").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from vipcli.domain import occasions, vocabulary
from vipcli.domain.masking import mask_card
from vipcli.domain.money import parse_yuan
from vipcli.domain.plain_text import control_character
from vipcli.i18n import _

MAX_FEN = 10**17  # fits a BIGINT with room to spare; larger is a typo in the extract
# Dates outside these are typos or placeholders (0001-01-01, 9999-12-31); the lunar
# calendar and the holiday tables end in 2099 too (docs/rules.md, imports).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
RowValues = tuple[Any, ...]  # one converted row: the parsed values in field order


class RowError(NamedTuple):
    """One problem: data row as numbered in a spreadsheet (header = row 1), column, message."""

    row: int | None
    column: str | None
    message: str


class HeaderError(ValueError):
    """The header row lacks required columns or names one twice."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    parse: Callable[[str], Any]
    required: bool = False
    default: Any = None
    free_text: bool = False  # §13: a tab is allowed here; other control characters never


# -- cell parsers ---------------------------------------------------------------------


def code(text: str) -> str:
    if len(text) > 32 or len(text.split(None, 1)) > 1:  # stripped: a split means inner spaces
        raise ValueError(_("expected an identifier of at most 32 characters without spaces, got {text!r}")
                         .format(text=text))
    return text


def text_of(max_len: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_len:
            raise ValueError(_("expected at most {limit} characters, got {count}")
                             .format(limit=max_len, count=len(text)))
        return text

    return parse


def enum_of(codes: Sequence[str], labels: str) -> Callable[[str], str | None]:
    """A code (any case) or a Chinese label; the tier labels 普通客户/无 mean no tier."""
    by_lower = {c.lower(): c for c in codes}
    table = vocabulary.ENUM_LABELS.get(labels, {})
    wanted = ", ".join(codes)

    def parse(text: str) -> str | None:
        found = by_lower.get(text.lower())
        if found is None:
            found = table.get(text, table.get(text.lower()))
        if found is None:
            raise ValueError(_("expected one of {codes} (or its Chinese label), got {text!r}")
                             .format(codes=wanted, text=text))
        return found or None

    return parse


_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0?0:00(?::00)?)?|(\d{4})(\d{2})(\d{2})")


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD (also YYYY/M/D, YYYY.MM.DD, YYYYMMDD; a spreadsheet midnight time is
    dropped), from 1900-01-01 to 2099-12-31."""
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        parts = match.groups()[:3] if match[1] else match.groups()[3:]
        value = dt.date(*(int(p) for p in parts))
    except ValueError:
        raise ValueError(_("expected a date YYYY-MM-DD, got {text!r}").format(text=text)) from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(_("expected a date from {first} to {last}, got {text!r}")
                         .format(first=EARLIEST_DATE, last=LATEST_DATE, text=text))
    return value


def past_date(today: dt.date) -> Callable[[str], dt.date]:
    """§12: a birth date, signing date or transaction date cannot lie after today (nor,
    as every date, before 1900)."""

    def parse(text: str) -> dt.date:
        value = parse_date(text)
        if value > today:
            raise ValueError(_("expected a date not after today ({today}), got {text!r}")
                             .format(today=today.isoformat(), text=text))
        return value

    return parse


_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})")


def month_until(last: str) -> Callable[[str], str]:
    """'YYYY-MM' (also YYYY/MM, YYYY-M); a month after `last` (the current month) is refused."""

    def parse(text: str) -> str:
        match = _MONTH.fullmatch(text)
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
            raise ValueError(_("expected a month YYYY-MM, got {text!r}").format(text=text))
        value = f"{match[1]}-{int(match[2]):02d}"
        if value > last:
            raise ValueError(_("expected a month not after the current month {last}, got {text!r}")
                             .format(last=last, text=text))
        return value

    return parse


def money(text: str) -> int:
    """CNY with at most 2 decimals → integer fen (§1: money is exact)."""
    try:
        fen = parse_yuan(text)
    except InvalidOperation:  # an exponent beyond Decimal's context, e.g. '1e400'
        raise ValueError(_("expected an amount in CNY like 1000000.00, got {text!r}")
                         .format(text=text)) from None
    if abs(fen) >= MAX_FEN:
        raise ValueError(_("expected a plausible amount in CNY, got {text!r}").format(text=text))
    return fen


def money_not_negative(text: str) -> int:
    fen = money(text)
    if fen < 0:
        raise ValueError(_("expected an amount of 0 or more, got {text!r}").format(text=text))
    return fen


def boolean(text: str) -> bool:
    booleans = vocabulary.ENUM_LABELS["boolean"]
    word = booleans.get(text.lower(), booleans.get(text, text.lower()))
    if word not in ("true", "false"):
        raise ValueError(_("expected true/false, 1/0 or 是/否, got {text!r}").format(text=text))
    return word == "true"


def capacity(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 < value <= 100 or value != value.quantize(Decimal("0.01")):
        raise ValueError(_("expected a capacity like 1.0 (above 0, at most 100, 2 decimals), "
                           "got {text!r}").format(text=text))
    return value


def integer_in(low: int, high: int, labels: str | None = None) -> Callable[[str], int]:
    table = vocabulary.ENUM_LABELS.get(labels, {}) if labels else {}

    def parse(text: str) -> int:
        raw = table.get(text, text)
        if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
            raise ValueError(_("expected a whole number from {low} to {high}, got {text!r}")
                             .format(low=low, high=high, text=text))
        return int(raw)

    return parse


def risk_rating(text: str) -> int:
    """PR1–PR5 (or 1–5) → 1..5; an empty cell means the product needs no rating (§8)."""
    raw = text.upper().removeprefix("PR")
    if raw not in ("1", "2", "3", "4", "5"):
        raise ValueError(_("expected a risk rating PR1 to PR5 (or empty), got {text!r}").format(text=text))
    return int(raw)


def decimal_of(places: int, *, negative: bool = False, high: int = 10**13) -> Callable[[str], Decimal]:
    """A figure with at most `places` decimals (a price's nav 4, a yield in percent 2), kept
    exact as Decimal; negative only when `negative` (a yield may be below zero)."""

    def parse(text: str) -> Decimal:
        try:
            value = Decimal(text.replace(",", "").removesuffix("%"))
        except InvalidOperation:
            value = Decimal("NaN")
        if (not value.is_finite() or abs(value) >= high or (value < 0 and not negative)
                or value != value.quantize(Decimal(1).scaleb(-places))):
            message = (_("expected a number with at most {places} decimals, got {text!r}") if negative
                       else _("expected a number of 0 or more with at most {places} decimals, got {text!r}"))
            raise ValueError(message.format(places=places, text=text))
        return value.quantize(Decimal(1).scaleb(-places))

    return parse


def card_number(text: str) -> str:
    """A card number, 12 to 19 digits (spaces and dashes dropped); an error shows it masked
    6+4 like every other output (§13), never in clear."""
    cleaned = text.replace(" ", "").replace("-", "")
    if not cleaned.isascii() or not cleaned.isdigit() or not 12 <= len(cleaned) <= 19:
        raise ValueError(_("expected a card number of 12 to 19 digits, got {text!r}")
                         .format(text=mask_card(cleaned)))
    return cleaned


# -- the kinds ----------------------------------------------------------------------------

KINDS = ("branches", "staff", "customers", "assets", "products", "cross-sell", "holdings", "transactions",
         "prices", "loans", "cards", "leads")


def fields_for(kind: str, today: dt.date) -> tuple[Field, ...]:
    """The columns of `kind` in §12 order; `today` bounds dates and months."""
    past = past_date(today)
    name = text_of(100)
    tier = enum_of(vocabulary.TIERS, "tier")
    specs: dict[str, tuple[Field, ...]] = {
        "branches": (
            Field("branch_id", code, True),
            Field("name", name, True),
            Field("parent_id", code),
            Field("level", integer_in(1, 3, "level"), True),
        ),
        "staff": (
            Field("staff_id", code, True),
            Field("name", name, True),
            Field("role", enum_of(vocabulary.ROLES, "role"), True),
            Field("branch_id", code, True),
            Field("capacity", capacity, default=Decimal("1.00")),
            Field("active", boolean, default=True),
            Field("os_user", code),  # §13: the OS account (or PostgreSQL role) it acts as
        ),
        "customers": (
            Field("customer_id", code, True),
            Field("name", name, True),
            Field("gender", enum_of(vocabulary.GENDERS, "gender")),
            Field("birth_date", past),
            Field("birthday_calendar", enum_of(vocabulary.CALENDARS, "calendar"), default="solar"),
            Field("phone", phone),
            Field("id_number", code),
            Field("occupation", enum_of(vocabulary.OCCUPATIONS, "occupation"), default="other"),
            Field("orientation", enum_of(vocabulary.ORIENTATIONS, "orientation")),
            Field("preferred_channel", enum_of(vocabulary.CONTACT_CHANNELS, "channel")),
            Field("branch_id", code, True),
            Field("tier", tier),
            Field("tier_since", past),
            Field("manager_id", code),
            Field("source", enum_of(vocabulary.SOURCES, "source")),
        ),
        "assets": (
            Field("customer_id", code, True),
            Field("month", month_until(today.isoformat()[:7]), True),
            Field("avg_daily_assets", money_not_negative, True),
        ),
        "products": (
            Field("product_code", code, True),
            Field("name", name, True),
            Field("category", text_of(30), True),
            Field("risk_rating", risk_rating),
            Field("series", text_of(50)),
            Field("level", integer_in(1, 99)),
            Field("launched_on", parse_date),
        ),
        "cross-sell": (
            Field("held", code, True),
            Field("recommend", code, True),
            Field("kind", enum_of(vocabulary.CROSS_SELL_KINDS, "kind"), True),
        ),
        "holdings": (
            Field("customer_id", code, True),
            Field("product_code", code, True),
            Field("amount", money_not_negative, True),
            Field("start_date", parse_date, True),
            Field("maturity_date", parse_date),
            Field("units", decimal_of(4)),  # §12: optional; older extracts have none
        ),
        "transactions": (
            Field("txn_id", code, True),
            Field("customer_id", code, True),
            Field("date", past, True),
            Field("amount", money, True),
            Field("channel", enum_of(vocabulary.TXN_CHANNELS, "txn_channel"), True),
        ),
        "prices": (
            Field("product_code", code, True),
            Field("date", parse_date, True),
            Field("nav", decimal_of(4)),
            Field("yield", decimal_of(2, negative=True, high=10**6)),  # stored as yield_pct
            Field("dividend", decimal_of(4)),
        ),
        "loans": (
            Field("loan_id", code, True),
            Field("customer_id", code, True),
            Field("product", text_of(100)),
            Field("principal", money_not_negative, True),
            Field("balance", money_not_negative, True),
            Field("due_date", parse_date),
            Field("overdue_days", integer_in(0, 36_500), default=0),
            Field("overdue_amount", money_not_negative, default=0),
        ),
        "cards": (
            Field("card_no", card_number, True),
            Field("customer_id", code, True),
            Field("statement_date", parse_date, True),
            Field("due_date", parse_date, True),
            Field("amount_due", money, True),
            Field("min_due", money_not_negative, True),
            Field("paid", money_not_negative, default=0),
        ),
        "leads": (  # §12, §18; a lead without a source came from "other"
            Field("lead_id", code, True),
            Field("name", name, True),
            Field("phone", phone, True),
            Field("source", enum_of(vocabulary.LEAD_SOURCES, "lead_source"), default="other"),
            Field("recorded_by", code, True),
            Field("branch_id", code, True),
            Field("note", text_of(500), free_text=True),
            Field("est_assets", money_not_negative),
        ),
    }
    return specs[kind]


def phone(text: str) -> str:
    cleaned = text.replace(" ", "").replace("-", "")
    digits = cleaned.removeprefix("+")
    if not digits.isascii() or not digits.isdigit() or not 5 <= len(digits) <= 20:
        raise ValueError(_("expected a phone number of 5 to 20 digits, got {text!r}").format(text=text))
    return cleaned


# -- header and rows ----------------------------------------------------------------------


def column_name(cell: str) -> str:
    """A header cell → column: the Chinese alias, else the English name in snake_case."""
    name = cell.strip().lstrip("\ufeff").strip()
    alias = vocabulary.HEADER_ALIASES.get(name)
    if alias:
        return alias
    return re.sub(r"[\s\-]+", "_", name.lower())


SAME_MEANING = {"maturity_date": "due_date"}


def header_positions(fields: Sequence[Field], header: Sequence[str]) -> list[int | None]:
    """Where each field's column sits in the header; unknown columns are ignored."""
    wanted = {f.name for f in fields}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = column_name(cell or "")
        if name not in wanted:  # 到期日 is a holding's maturity and a loan's or card's due date
            name = SAME_MEANING.get(name, name)
        if name not in wanted:
            continue
        if name in found:
            raise HeaderError(_("the header names column {name} twice (columns {first} and {second})")
                              .format(name=name, first=found[name] + 1, second=index + 1))
        found[name] = index
    missing = [f.name for f in fields if f.required and f.name not in found]
    if missing:
        expected = ", ".join(f.name for f in fields)
        raise HeaderError(
            _("the header lacks the required column(s) {missing} (expected columns: {expected})")
            .format(missing=", ".join(missing), expected=expected)
        )
    return [found.get(f.name) for f in fields]


def convert(
    fields: Sequence[Field], positions: Sequence[int | None], cells: Sequence[str]
) -> tuple[RowValues, list[tuple[str, str]]]:
    """One row's cells → the values in field order, and (column, message) for each problem."""
    values: list[Any] = []
    problems: list[tuple[str, str]] = []
    width = len(cells)
    for spec, pos in zip(fields, positions, strict=True):
        raw = cells[pos].strip() if pos is not None and pos < width else ""
        if not raw:
            if spec.required:
                problems.append((spec.name, _("a value is required")))
            values.append(spec.default)
            continue
        control = control_character(raw, free_text=spec.free_text)
        if control is not None:  # §13: refused on import, whatever the column
            problems.append((spec.name, control))
            values.append(None)
            continue
        try:
            values.append(spec.parse(raw))
        except ValueError as exc:
            problems.append((spec.name, str(exc)))
            values.append(None)
    return tuple(values), problems


def row_checks(kind: str, values: RowValues) -> list[tuple[str, str]]:
    """Checks across the columns of one converted row."""
    if kind == "holdings":
        start, maturity = values[3], values[4]
        if start and maturity and maturity < start:
            return [("maturity_date", _("expected a maturity date on or after the start date {start}")
                                      .format(start=start))]
    if kind == "prices" and values[2] is None and values[3] is None and values[4] is None:
        return [("nav", _("expected at least one of nav, yield or dividend"))]
    if kind == "cards" and values[2] and values[3] and values[3] < values[2]:
        return [("due_date", _("expected a due date on or after the statement date {date}")
                             .format(date=values[2]))]
    if kind == "loans" and values[7] and not values[6]:
        return [("overdue_days", _("an overdue amount needs its days overdue (1 or more)"))]
    if kind == "customers":
        birth, calendar = values[3], values[4]
        if calendar == "lunar" and birth is not None and birth < occasions.LUNAR_FIRST:
            return [("birth_date", _("expected a birth date from {first} for a lunar birthday (the "
                                     "first day of the lunar calendar vip knows), got {birth}; leave "
                                     "the cell empty when the birth date is unknown")
                                   .format(first=occasions.LUNAR_FIRST, birth=birth))]
    if kind == "branches":
        parent, level = values[2], values[3]
        if level == 1 and parent:
            return [("parent_id", _("a first-level branch (level 1) has no parent"))]
        if level in (2, 3) and not parent:
            return [("parent_id", _("a level-{level} branch needs its parent branch").format(level=level))]
        if parent and parent == values[0]:
            return [("parent_id", _("a branch cannot be its own parent"))]
    return []


# -- the bulk path of the big extracts (issue 15: prices, cards, loans) -------------------

FAST_KINDS = ("prices", "loans", "cards")
_FEN_COLUMN = re.compile(r"(?:-?[0-9]{1,15}\.[0-9]{2}\n)*-?[0-9]{1,15}\.[0-9]{2}")
_FEN_COLUMN_NOT_NEGATIVE = re.compile(r"(?:[0-9]{1,15}\.[0-9]{2}\n)*[0-9]{1,15}\.[0-9]{2}")


def fast_chunk(kind: str, fields: Sequence[Field], positions: Sequence[int | None],
               block: list[list[str]]) -> list[RowValues] | None:
    """A clean chunk of a prices, loans or cards extract converted column by column: each
    distinct cell is parsed once by its field's own parser (so the values are exactly what
    `convert` gives), amounts with exactly 2 decimals by one regex over the column. None as
    soon as anything is unusual (an empty required cell, a bad value, a blank row, a failed
    cross-column check): the caller goes row by row and names what is wrong."""
    widths = set(map(len, block))
    used = [p for p in positions if p is not None]
    if len(widths) != 1 or widths.pop() <= max(used):
        return None
    columns: list[Any] = []
    count = len(block)
    cells_of = list(zip(*block, strict=True))  # the file's columns, at C speed
    for spec, pos in zip(fields, positions, strict=True):
        if pos is None:
            if spec.required:
                return None
            columns.append((spec.default,) * count)
            continue
        cells = cells_of[pos]
        if spec.parse is money or spec.parse is money_not_negative:
            pattern = _FEN_COLUMN if spec.parse is money else _FEN_COLUMN_NOT_NEGATIVE
            joined = "\n".join(cells)
            if pattern.fullmatch(joined) is not None:  # exactly 2 decimals: fen = the digits
                columns.append(list(map(int, joined.replace(".", "").split("\n"))))
                continue
        plain = _PLAIN.get(spec.parse)
        if plain is not None and plain.fullmatch("\n".join(cells)) is not None:
            columns.append(list(cells))  # ids and card numbers as they are: nothing to convert
            continue
        values = _distinct(spec, set(cells))
        if values is None:
            return None
        columns.append(list(map(values.__getitem__, cells)))
    if not _column_checks(kind, columns):
        return None
    return list(zip(*columns, strict=True))


# Columns whose every cell, when it matches, is its own value (`code` and `card_number`
# return such a cell unchanged): checked by one regex over the column.
_PLAIN: dict[Callable[[str], Any], re.Pattern[str]] = {
    code: re.compile(r"(?:[A-Za-z0-9_.\-]{1,32}\n)*[A-Za-z0-9_.\-]{1,32}"),
    card_number: re.compile(r"(?:[0-9]{12,19}\n)*[0-9]{12,19}"),
}


def _distinct(spec: Field, cells: set[str]) -> dict[str, Any] | None:
    """Each distinct cell → its value as `convert` gives it; None when one is not valid."""
    values: dict[str, Any] = {}
    for cell in cells:
        raw = cell.strip()
        if not raw:
            if spec.required:
                return None
            values[cell] = spec.default
            continue
        if control_character(raw, free_text=spec.free_text) is not None:
            return None
        try:
            values[cell] = spec.parse(raw)
        except ValueError:
            return None
    return values


def _column_checks(kind: str, columns: list[Any]) -> bool:
    """`row_checks` for a whole chunk of the bulk kinds: True when no row breaks them."""
    if kind == "prices":
        return not any(nav is None and yld is None and dividend is None
                       for nav, yld, dividend in zip(columns[2], columns[3], columns[4], strict=True))
    if kind == "cards":
        return not any(due < statement for statement, due in zip(columns[2], columns[3], strict=True))
    if kind == "loans":
        return not any(amount and not days for days, amount in zip(columns[6], columns[7], strict=True))
    return False
