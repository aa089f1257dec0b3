"""Suitability (§8, §13): rating vs the valid assessed level; missing or expired assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vipcli.domain.suitability import Assessment, blocked_reason, current_assessment

TODAY = dt.date(2026, 11, 27)


def assessed(level: int, valid_until: dt.date = dt.date(2027, 6, 1), **kw) -> Assessment:
    return Assessment(level, valid_until - dt.timedelta(days=365), valid_until, **kw)


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_rating_equal_to_level_is_allowed(level):
    assert blocked_reason(level, [assessed(level)], TODAY) is None


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_rating_one_above_level_is_blocked(level):
    reason = blocked_reason(level + 1, [assessed(level)], TODAY)
    assert reason is not None and reason.startswith(f"PR{level + 1} exceeds assessed level {level}")


def test_blocked_reason_names_the_level_label():
    assert blocked_reason(4, [assessed(3)], TODAY) == "PR4 exceeds assessed level 3 Balanced"


def test_unrated_product_needs_no_assessment():
    assert blocked_reason(None, [], TODAY) is None


def test_missing_assessment_blocks_rated_products():
    assert blocked_reason(1, [], TODAY) == "no risk assessment on file"


def test_assessment_valid_through_its_last_day():
    assert blocked_reason(2, [assessed(3, valid_until=TODAY)], TODAY) is None


def test_expired_assessment_blocks_and_says_when():
    reason = blocked_reason(1, [assessed(5, valid_until=TODAY - dt.timedelta(days=1))], TODAY)
    assert reason == "risk assessment expired on 2026-11-26"


def test_invalidated_assessment_does_not_count():
    gone = assessed(5, invalidated_on=dt.date(2026, 11, 1))
    assert "invalidated on 2026-11-01" in blocked_reason(1, [gone], TODAY)


def test_latest_valid_assessment_decides():
    older = Assessment(5, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    newer = Assessment(2, dt.date(2026, 6, 1), dt.date(2027, 6, 1))
    assert current_assessment([older, newer], TODAY) == newer
    assert blocked_reason(3, [older, newer], TODAY) == "PR3 exceeds assessed level 2 Cautious"


@given(rating=st.integers(1, 5), level=st.integers(1, 5))
def test_allowed_exactly_when_rating_at_most_level(rating, level):
    assert (blocked_reason(rating, [assessed(level)], TODAY) is None) == (rating <= level)


def test_assessment_dated_after_today_is_not_yet_valid():
    future = Assessment(5, TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=366))
    assert current_assessment([future], TODAY) is None
