"""What `vip screen` returns: the §15 screening document, built by `screen_sql.report`."""

from __future__ import annotations

from typing import TypedDict

# A card holder's move (§1), from its signed tier to the month's qualified tier. The
# functional form because "from", a §15 key, is a Python keyword.
TierChange = TypedDict("TierChange", {"customer_id": str, "from": str | None, "to": str | None})


class TierCounts(TypedDict):
    """Customers screened per qualified tier (§15 `qualified`)."""

    diamond: int
    platinum: int
    gold: int
    none: int


class ScreeningReport(TypedDict):
    """`vip screen` (§15): the month, its window, the counts and the customers whose tier moves."""

    month: str
    window: list[str]  # [first_month, last_month]
    scope: str  # 'all' or the branch head's outlet
    screened: int
    qualified: TierCounts
    newly_qualified: list[str]  # customer ids: potential VIPs (§3)
    upgrade_candidates: list[TierChange]
    downgrade_warnings: list[str]  # customer ids: the first month below the card
    downgraded: list[TierChange]
    missing_months: list[str]  # months of the window counted as zero (--allow-missing-months)
