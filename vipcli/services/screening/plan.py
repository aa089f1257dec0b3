"""The plan of one screening run (SPEC §1): what its SQL needs, computed in Python and bound.

`screen` builds it from the rules and the actor; `screen_sql` reads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vipcli.domain.tiers import month_days


@dataclass(frozen=True)
class ScreeningPlan:
    """Everything the SQL of one run needs, computed in Python and bound (§1)."""

    month: str
    months: list[str]
    scope: str  # 'all' (operator) or the branch head's outlet
    bounds: dict[str, int]  # tier → threshold in fen × total days of the window
    total_days: int
    downgrade_after: int
    today: dt.date
    now: dt.datetime
    actor_id: str

    def days(self) -> dict[str, int]:
        return {m: month_days(m) for m in self.months}
