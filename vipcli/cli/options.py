"""Reusable options (sqlite-utils style): small factories so every command spells them alike.

No `from __future__ import annotations` here: Typer inspects every option callback's
signature when it builds the command tree (each `vip --help`), and string annotations cost
an eval each (≈ 10 ms over the ~50 callbacks); real ones cost nothing.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from vipcli.i18n import _

# Translated when the command modules load (the language is chosen before, §16).
JSON_HELP = _("Print one JSON document on stdout (for scripts).")
TIER_HELP = _("Card tier: diamond, platinum or gold (or 钻石卡, 白金卡, 金卡).")
MAX_LIMIT = 1_000_000  # --limit: more than any book or outlet holds (as `vip audit --limit`)
MAX_ID = 2**31 - 1  # ids are INTEGER columns (32 bits on PostgreSQL)
MAX_COUNT = 1_000_000  # targets: contacts, signings, opportunities per week or month
MAX_FEN = 10**17  # amounts: the import's bound too (§12)
# Dates outside these are typos (the same bounds as the import's date cells, §12).
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2099, 12, 31)
T = TypeVar("T")


def json_option() -> Any:
    return typer.Option(False, "--json", help=JSON_HELP)


def dry_run_option(help_text: str | None = None) -> Any:
    default = _("Validate and show what would change; write nothing.")
    return typer.Option(False, "--dry-run", help=help_text or default)


# The segment filters (§4) that `vip segment` and `vip activity invite` share, each also
# taking `none` (Typer makes a fresh Click option of them for each command).
SEGMENT_TIER = typer.Option(None, "--tier", help=_(
    "Signed tier: diamond, platinum, gold or none (or 钻石卡, 白金卡, 金卡, 普通客户)."))
SEGMENT_OCCUPATION = typer.Option(None, "--occupation",
                                  help=_("Occupation code or Chinese name (or none)."))
SEGMENT_ORIENTATION = typer.Option(None, "--orientation", help=_(
    "relationship, value or service (or 关系取向, 价值取向, 服务取向; or none)."))


def reveal_option() -> Any:
    return typer.Option(
        False, "--reveal",
        help=_("Show phone and ID numbers in full (own manager or branch head; audited)."),
    )


def parse_date(text: str | None, option: str = "--date") -> dt.date | None:
    """An option's ISO date, or None; a malformed one is refused naming the option."""
    return None if text is None else required_date(text, option)


def required_date(text: str, option: str = "--date") -> dt.date:
    """A required option's ISO date; a malformed one, or one outside 1900–2099, is refused
    naming the option."""
    from vipcli.errors import InvalidInput

    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("{option} must be a date YYYY-MM-DD (like 2026-11-27), got {value!r}")
                           .format(option=option, value=text)) from None
    return in_date_range(value, option)


def in_date_range(value: T, option: str) -> T:
    """A date or date-time option from 1900-01-01 to 2099-12-31, else refused naming it."""
    from vipcli.errors import InvalidInput

    day = value.date() if isinstance(value, dt.datetime) else value
    if isinstance(day, dt.date) and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InvalidInput(_("{option} must be a date from {earliest} to {latest}, got {value}").format(
            option=option, earliest=EARLIEST_DATE, latest=LATEST_DATE, value=value))
    return value


def _name(param: typer.CallbackParam) -> str:
    """How the user spelled the parameter: --summary, or an argument's metavar."""
    if param.param_type_name == "option" and param.opts:
        return param.opts[0]
    return param.metavar or str(param.name).upper()  # an argument: ID, CUSTOMER …


def plain_text(param: typer.CallbackParam, value: Any) -> Any:
    """Callback of a free-text option (§13): a control character other than tab (NUL, ESC,
    a line break …) is refused, naming the option; a repeated option checks each value."""
    for text in value if isinstance(value, (list, tuple)) else [value]:
        checked_text(text, _name(param))
    return value


def checked_text(text: str | None, option: str) -> str | None:
    """Free text given as an option or typed at a prompt, refused as `plain_text` says."""
    from vipcli.domain.plain_text import control_character
    from vipcli.errors import InvalidInput

    found = None if text is None else control_character(text, free_text=True)
    if found is not None:
        raise InvalidInput(f"{option}: {found}")
    return text


def whole_number(low: int, high: int) -> Callable[[typer.CallbackParam, int | None], int | None]:
    """Callback of an integer option or argument: outside low..high is refused with exit 1,
    naming it (an id beyond the database's integers once ended in an internal error)."""

    def check(param: typer.CallbackParam, value: int | None) -> int | None:
        from vipcli.errors import InvalidInput

        if value is not None and not low <= value <= high:
            raise InvalidInput(_("{option} must be a whole number in {low}..{high}, got {value}")
                               .format(option=_name(param), low=low, high=high, value=value))
        return value

    return check


def parse_yuan(text: str | None, option: str) -> int | None:
    """An amount option in yuan as fen, or None; a malformed one is refused naming the option."""
    from vipcli.domain.money import parse_yuan as to_fen
    from vipcli.errors import InvalidInput

    if text is None:
        return None
    try:
        fen = to_fen(text)
    except ValueError as exc:
        raise InvalidInput(f"{option}: {exc}") from None
    if abs(fen) >= MAX_FEN:  # beyond the database's BIGINT once ended in an internal error
        raise InvalidInput(_("{option}: expected a plausible amount in CNY "
                             "(below 1,000,000,000,000,000), got {value!r}").format(option=option, value=text))
    return fen
