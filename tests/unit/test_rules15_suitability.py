"""§3 amended: the current assessment is the one recorded last (by date, then by order of
recording); a same-day re-assessment replaces the earlier one, whatever the list order."""

from __future__ import annotations

import datetime as dt

import pytest

from vipcli.domain.suitability import Assessment, Suitability, current_assessment

TODAY = dt.date(2026, 11, 27)
UNTIL = TODAY + dt.timedelta(days=365)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_the_later_recording_wins_on_the_same_day_in_any_list_order(order):
    first = Assessment(4, TODAY, UNTIL, seq=10)
    second = Assessment(1, TODAY, UNTIL, seq=11)
    both = [first, second]
    found = current_assessment([both[i] for i in order], TODAY)
    assert found is second
    assert Suitability([both[i] for i in order], TODAY).blocked_reason(4) == (
        "PR4 exceeds assessed level 1 Conservative")


def test_a_later_date_wins_over_a_later_recording():
    back_dated = Assessment(5, TODAY - dt.timedelta(days=10), UNTIL, seq=20)
    newer = Assessment(2, TODAY - dt.timedelta(days=1), UNTIL, seq=3)
    assert current_assessment([back_dated, newer], TODAY) is newer


def test_an_expired_last_assessment_leaves_none_valid():
    long_valid = Assessment(5, dt.date(2026, 1, 5), dt.date(2028, 1, 5), seq=1)
    lapsed = Assessment(2, dt.date(2026, 2, 1), dt.date(2026, 7, 31), seq=2)
    assert current_assessment([long_valid, lapsed], TODAY) is None
    assert current_assessment([long_valid, lapsed], dt.date(2026, 7, 31)) is lapsed


def test_an_assessment_dated_after_today_is_not_yet_the_current_one():
    today = Assessment(3, TODAY, UNTIL, seq=1)
    tomorrow = Assessment(1, TODAY + dt.timedelta(days=1), UNTIL, seq=2)
    assert current_assessment([today, tomorrow], TODAY) is today
