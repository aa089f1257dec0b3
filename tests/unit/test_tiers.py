"""Tier classification and ADB12 on plain values (SPEC §1)."""

from __future__ import annotations

from decimal import Decimal

from vipcli.config import TierRules
from vipcli.domain.tiers import adb12_fen, classify, month_days, shift_month, window

RULES = TierRules()


def test_gold_lower_bound_is_inclusive():
    assert classify(10_000_000, RULES) == "gold"
    assert classify(9_999_999, RULES) is None


def test_platinum_and_diamond_lower_bounds_are_inclusive():
    assert classify(100_000_000, RULES) == "platinum"
    assert classify(99_999_999, RULES) == "gold"
    assert classify(500_000_000, RULES) == "diamond"
    assert classify(499_999_999, RULES) == "platinum"


def test_window_is_the_twelve_months_ending_with_the_month():
    assert window("2026-10") == [f"2025-{m:02d}" for m in (11, 12)] + [
        f"2026-{m:02d}" for m in range(1, 11)
    ]
    assert shift_month("2026-01", -1) == "2025-12"


def test_leap_february_counts_29_days():
    assert month_days("2024-02") == 29
    assert month_days("2025-02") == 28


def test_a_february_only_balance_is_day_weighted():
    # Only February 2025 holds 365,000.00; the window 2025-01..2025-12 has 365 days.
    value = adb12_fen({"2025-02": 36_500_000}, "2025-12")
    assert value == Decimal(36_500_000 * 28) / Decimal(365)


def test_missing_months_count_as_zero():
    full = {m: 12_000_000 for m in window("2026-10")}
    assert adb12_fen(full, "2026-10") == Decimal(12_000_000)
    del full["2026-03"]
    assert adb12_fen(full, "2026-10") < Decimal(12_000_000)
