"""Retention, contribution and loyalty figures on plain values (SPEC §11).

Definitions (docs/rules.md "Retention"):
- the cohort of a period FROM..TO is every customer whose signed tier, as recorded by
  the screening of FROM, is a VIP tier;
- a cohort member is *lost* when its status is `lost`, *downgraded* when its signed tier
  at the end (the last signed tier change of FROM..TO, else unchanged) ranks lower than
  at the start, and *retained* otherwise (same tier or higher);
- retention rate of a tier = retained / cohort of that tier (None for an empty cohort);
- assets lost = Σ max(0, assets(FROM) − assets(TO)) over lost and downgraded customers.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from vipcli.domain.vocabulary import tier_rank

RETAINED, DOWNGRADED, LOST = "retained", "downgraded", "lost"
_RATE = Decimal("0.0001")


def outcome(start_tier: str | None, end_tier: str | None, *, lost: bool) -> str:
    """What became of one cohort member over the period."""
    if lost:
        return LOST
    return RETAINED if tier_rank(end_tier) >= tier_rank(start_tier) else DOWNGRADED


def rate(part: int, whole: int) -> Decimal | None:
    """A ratio rounded half-up to 4 decimals (0.8333); None when there is nothing to divide."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_RATE, rounding=ROUND_HALF_UP)


def asset_drop_fen(start_fen: int | None, end_fen: int | None) -> int:
    """The fall of the monthly assets between two months; a rise counts as no loss."""
    return max(0, (start_fen or 0) - (end_fen or 0))


def tenure_months(since: dt.date | None, today: dt.date) -> int | None:
    """§11 loyalty: whole months holding the signed tier (from tier_since)."""
    if since is None or since > today:
        return None
    months = (today.year - since.year) * 12 + today.month - since.month
    return months - (1 if today.day < since.day else 0)


def contacts_per_month(contacts: int, window_months: int) -> Decimal:
    """§11 loyalty: contacts in the window divided by its months, to one decimal."""
    if window_months <= 0:
        return Decimal(0)
    return (Decimal(contacts) / Decimal(window_months)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
