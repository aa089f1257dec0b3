"""ISO weeks as the commands take them (`--week 2026-W48`): light, so `vip plan week` reads
them without the ORM (§18)."""

from __future__ import annotations

import datetime as dt
import re

from vipcli.errors import InvalidInput
from vipcli.i18n import _

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(text: str) -> tuple[dt.date, dt.date]:
    """'2026-W48' → (Monday, Sunday) of that ISO week."""
    match = _WEEK.match(text or "")
    monday = None
    if match is not None and 1900 <= int(match[1]) <= 2099:  # §13: the years every date option takes
        try:
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            monday = None
    if monday is None:
        raise InvalidInput(_("expected an ISO week like 2026-W48 (years 1900 to 2099), got {text!r}")
                           .format(text=text))
    return monday, monday + dt.timedelta(days=6)


def week_of(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"
