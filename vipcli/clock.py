"""Today and now, in one place: the business date and the wall clock are different things.

`today()` / `now()` are the BUSINESS date and time: VIP_TODAY=YYYY-MM-DD pins the date
(tests, demos, replaying a past day). `wall_now()` is the system clock and nothing else:
the audit log stamps its entries with it (§13), so VIP_TODAY cannot backdate an entry.
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    pinned = os.environ.get("VIP_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def now() -> dt.datetime:
    """Business time: local wall-clock time to the second, on the pinned day when VIP_TODAY is set."""
    current = wall_now()
    pinned = os.environ.get("VIP_TODAY")
    if pinned:
        return dt.datetime.combine(dt.date.fromisoformat(pinned), current.time())
    return current


def wall_now() -> dt.datetime:
    """The system clock, local time to the second; never moved by VIP_TODAY (audit, §13)."""
    return dt.datetime.now().replace(microsecond=0)
