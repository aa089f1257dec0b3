"""Today and now, in one place. VIP_TODAY=YYYY-MM-DD pins the date (tests, demos)."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    pinned = os.environ.get("VIP_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def now() -> dt.datetime:
    """Local wall-clock time to the second; on the pinned day when VIP_TODAY is set."""
    current = dt.datetime.now().replace(microsecond=0)
    pinned = os.environ.get("VIP_TODAY")
    if pinned:
        return dt.datetime.combine(dt.date.fromisoformat(pinned), current.time())
    return current
