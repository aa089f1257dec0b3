"""Life-stage occasions of the morning list (SPEC §5): birthdays, anniversaries, holidays.

lunardate converts lunar birthdays and `holidays` knows China's public holidays,
the lunar ones included; both are imported only when a list needs them.

lunardate covers lunar years 1900–2099, the solar days LUNAR_FIRST to LUNAR_LAST, and
silently gives nonsense outside them (1900-01-01 becomes lunar month 1, day -29). A lunar
birthday it cannot convert is unknown (None), never an error: §13, one bad record never
stops an outlet-wide command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# §5: holidays worth a greeting. Tomb-Sweeping Day is a day of mourning, and the
# substituted days off / observed days are not holidays of their own.
_SKIP_WORDS = ("休息日", "补假", "除夕", "清明")
LUNAR_FIRST = dt.date(1900, 1, 31)  # lunar 1900-01-01
LUNAR_LAST = dt.date(2100, 2, 8)  # lunar 2099-12-30


def yearly_on(month: int, day: int, year: int) -> dt.date:
    """A solar month/day in `year`; 29 February falls on 28 February in common years."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, day - 1)


def next_solar(month: int, day: int, as_of: dt.date) -> dt.date:
    """The next occurrence on or after as_of of a yearly solar date."""
    this_year = yearly_on(month, day, as_of.year)
    return this_year if this_year >= as_of else yearly_on(month, day, as_of.year + 1)


def lunar_month_day(birth: dt.date) -> tuple[int, int] | None:
    """The lunar month and day of a solar birth date (a leap month counts as its month);
    None outside the range lunardate covers."""
    if not LUNAR_FIRST <= birth <= LUNAR_LAST:
        return None
    from lunardate import LunarDate

    lunar = LunarDate.from_solar_date(birth.year, birth.month, birth.day)
    return lunar.month, lunar.day


def next_lunar(month: int, day: int, as_of: dt.date) -> dt.date | None:
    """The next solar date on or after as_of of a lunar month/day (None when it falls
    beyond the lunar calendar vip knows). Lunar year Y's late months fall in January or
    February of Y+1, so the lunar years around as_of are tried; day 30 in a 29-day month
    is kept on the 29th."""
    if not LUNAR_FIRST <= as_of <= LUNAR_LAST:  # lunar 1899 is unknown: its late months too
        return None
    from lunardate import LunarDate

    found: list[dt.date] = []
    for year in (as_of.year - 1, as_of.year, as_of.year + 1):
        for d in (day, day - 1):
            try:
                solar = LunarDate(year, month, d).to_solar_date()
            except ValueError:
                continue
            found.append(solar)
            break
    return min((s for s in found if s >= as_of), default=None)


def next_birthday(birth: dt.date, calendar: str, as_of: dt.date) -> dt.date | None:
    """§5: birth_date is solar; a lunar customer celebrates the lunar month and day of it.
    None when that cannot be known (a lunar date outside lunardate's range, or a day
    beyond the last year the calendar knows)."""
    if calendar == "lunar":
        month_day = lunar_month_day(birth)
        return None if month_day is None else next_lunar(*month_day, as_of)
    return next_solar(birth.month, birth.day, as_of)


def within(day: dt.date, as_of: dt.date, lead_days: int) -> bool:
    return 0 <= (day - as_of).days <= lead_days


def public_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The first day of each of China's public holidays of a year worth a greeting."""
    import holidays

    first_days: dict[str, dt.date] = {}
    # holidays ships py.typed, but its country classes' __init__(*args, **kwargs) is unannotated.
    china = holidays.China(years=year, language="zh_CN")  # type: ignore[no-untyped-call]
    for day, name in sorted(china.items()):
        if not any(word in name for word in _SKIP_WORDS):
            first_days.setdefault(name, day)
    return sorted((day, name) for name, day in first_days.items())


def greeting_holidays(
    start: dt.date, end: dt.date,
    by_year: Callable[[int], list[tuple[dt.date, str]]] = public_holidays,
) -> list[tuple[dt.date, str]]:
    """Holidays whose first day lies in [start, end], as (date, name); `by_year` may be
    a cached version of public_holidays."""
    found = [h for year in range(start.year, end.year + 1) for h in by_year(year)]
    return [(day, name) for day, name in found if start <= day <= end]
