"""Tier classification and ADB12 (SPEC §1) on plain values."""

from __future__ import annotations

import calendar
from decimal import Decimal

from vipcli.config import TierRules
from vipcli.domain.money import yuan_to_fen


def month_days(month: str) -> int:
    """Days of a 'YYYY-MM' month; leap Februaries count 29 (§1)."""
    year, mon = int(month[:4]), int(month[5:7])
    return calendar.monthrange(year, mon)[1]


def shift_month(month: str, delta: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def window(month: str, length: int = 12) -> list[str]:
    """The `length` calendar months ending with `month`, oldest first."""
    return [shift_month(month, -offset) for offset in range(length - 1, -1, -1)]


def adb12_fen(balances_fen: dict[str, int], month: str) -> Decimal:
    """Σ adb(m)·days(m) / Σ days(m) over the window; a missing month counts as zero."""
    months = window(month)
    total_days = sum(month_days(m) for m in months)
    weighted = sum(balances_fen.get(m, 0) * month_days(m) for m in months)
    return Decimal(weighted) / Decimal(total_days)


def classify(adb12_fen_value: Decimal | int, rules: TierRules) -> str | None:
    """The qualified tier; lower bounds are inclusive (100,000.00 is Gold)."""
    value = Decimal(adb12_fen_value)
    if value >= yuan_to_fen(rules.diamond):
        return "diamond"
    if value >= yuan_to_fen(rules.platinum):
        return "platinum"
    if value >= yuan_to_fen(rules.gold):
        return "gold"
    return None
