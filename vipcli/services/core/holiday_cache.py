"""China's greeting holidays per year, cached as JSON in the data directory.

Building `holidays.China` costs ≈ 0.1–0.2 s (plus ≈ 0.1 s to import the package and
dateutil), a large share of `vip due`'s start-up; the first day of each holiday of a
year never changes, so each year is computed once by the library and kept in
<data dir>/cache/holidays-cn-YEAR.json. A missing or unwritable cache only costs time.
"""

from __future__ import annotations

import datetime as dt
import json

from vipcli import paths
from vipcli.domain import occasions


def holidays_of(year: int) -> list[tuple[dt.date, str]]:
    path = paths.data_dir() / "cache" / f"holidays-cn-{year}.json"
    try:
        return [(dt.date.fromisoformat(d), n) for d, n in json.loads(path.read_text("utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    found = occasions.public_holidays(year)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([(d.isoformat(), n) for d, n in found], ensure_ascii=False),
                        encoding="utf-8")
    except OSError:
        pass
    return found


def greeting_holidays(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    return occasions.greeting_holidays(start, end, by_year=holidays_of)
