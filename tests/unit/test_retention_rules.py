"""§11 retention, contribution and loyalty figures on plain values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from vipcli.domain import retention as ret


def test_same_or_higher_tier_at_the_end_is_retained():
    assert ret.outcome("gold", "gold", lost=False) == ret.RETAINED
    assert ret.outcome("gold", "diamond", lost=False) == ret.RETAINED


def test_lower_tier_at_the_end_is_a_downgrade():
    assert ret.outcome("diamond", "platinum", lost=False) == ret.DOWNGRADED
    assert ret.outcome("gold", None, lost=False) == ret.DOWNGRADED


def test_lost_status_wins_over_the_tier():
    assert ret.outcome("gold", "gold", lost=True) == ret.LOST


def test_rate_rounds_half_up_to_four_places_and_is_none_for_an_empty_cohort():
    assert ret.rate(5, 6) == Decimal("0.8333")
    assert ret.rate(2, 3) == Decimal("0.6667")
    assert ret.rate(0, 0) is None


def test_asset_drop_counts_only_a_fall():
    assert ret.asset_drop_fen(500, 200) == 300
    assert ret.asset_drop_fen(200, 500) == 0
    assert ret.asset_drop_fen(None, None) == 0
    assert ret.asset_drop_fen(700, None) == 700


def test_tenure_counts_whole_months():
    today = dt.date(2026, 11, 27)
    assert ret.tenure_months(dt.date(2025, 11, 27), today) == 12
    assert ret.tenure_months(dt.date(2025, 11, 28), today) == 11
    assert ret.tenure_months(None, today) is None
    assert ret.tenure_months(dt.date(2026, 12, 1), today) is None


def test_contacts_per_month_to_one_decimal():
    assert ret.contacts_per_month(30, 12) == Decimal("2.5")
    assert ret.contacts_per_month(1, 12) == Decimal("0.1")
    assert ret.contacts_per_month(5, 0) == Decimal(0)
