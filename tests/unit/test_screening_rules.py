"""Pure screening and lifecycle rules (SPEC §1, §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from vipcli.domain.address import address_as
from vipcli.domain.screening import (
    approver_for,
    default_month,
    is_below,
    months_below,
    salutation,
    screen_month,
    status_after,
    welcome_letter,
)


def run_months(qualified_by_month, signed, n):
    """Screen a sequence of months; return the outcomes and the final signed tier."""
    carried, outcomes = 0, []
    for qualified in qualified_by_month:
        outcome = screen_month(carried, qualified, signed, n)
        outcomes.append(outcome)
        carried, signed = outcome.carried_below, outcome.signed_after
    return outcomes, signed


def test_default_month_is_the_last_complete_month():
    assert default_month(dt.date(2026, 11, 27)) == "2026-10"
    assert default_month(dt.date(2026, 1, 1)) == "2025-12"


def test_below_means_qualified_lower_than_the_card():
    assert is_below("gold", "platinum")
    assert is_below(None, "gold")
    assert not is_below("platinum", "platinum")
    assert not is_below("diamond", "platinum")
    assert not is_below(None, None)


def test_first_month_below_is_a_warning_not_a_downgrade():
    outcomes, signed = run_months(["gold"], "platinum", 3)
    assert outcomes[0].warning and not outcomes[0].downgraded
    assert signed == "platinum"


def test_downgrade_after_exactly_n_months_not_one_earlier():
    outcomes, signed = run_months(["gold", "gold"], "platinum", 3)
    assert [o.downgraded for o in outcomes] == [False, False]
    assert signed == "platinum"
    outcomes, signed = run_months(["gold", "gold", None], "platinum", 3)
    assert [o.months_below for o in outcomes] == [1, 2, 3]
    assert outcomes[-1].downgraded and signed is None  # drops to the qualified tier


def test_a_month_at_the_card_resets_the_count():
    outcomes, signed = run_months(["gold", "platinum", "gold", "gold"], "platinum", 3)
    assert [o.months_below for o in outcomes] == [1, 0, 1, 2]
    assert [o.warning for o in outcomes] == [True, False, True, False]
    assert signed == "platinum"


def test_count_restarts_against_the_new_card_after_a_downgrade():
    outcomes, signed = run_months(["platinum", "platinum", "platinum", "gold"], "diamond", 3)
    assert outcomes[2].downgraded and outcomes[2].carried_below == 0
    assert outcomes[3].months_below == 1 and outcomes[3].warning
    assert signed == "platinum"


def test_downgrade_after_one_month_gives_no_warning():
    outcome = screen_month(0, "gold", "platinum", 1)
    assert outcome.downgraded and not outcome.warning


def test_months_below_counts_on_from_the_previous_month():
    assert months_below(2, "gold", "diamond") == 3
    assert months_below(2, "diamond", "diamond") == 0


@pytest.mark.parametrize(
    ("status", "qualified", "signed", "expected"),
    [
        ("prospect", "gold", None, "potential"),
        ("potential", None, None, "prospect"),
        ("prospect", None, "gold", "signed"),
        ("signed", None, None, "prospect"),
        ("declined", "diamond", None, "declined"),
        ("lost", "gold", None, "lost"),
    ],
)
def test_status_after_screening(status, qualified, signed, expected):
    assert status_after(status, qualified, signed) == expected


def test_approver_level_by_tier():
    assert approver_for("gold")[:2] == ("branch_head", 3)
    assert approver_for("platinum")[:2] == ("approver_l2", 2)
    assert approver_for("diamond")[:2] == ("approver_l1", 1)


def test_address_keeps_compound_surnames_whole():
    assert address_as("歐陽明", "M") == "歐陽先生"
    assert address_as("司马燕", "F") == "司马女士"
    assert address_as("王芳", "F") == "王女士"


def test_a_letter_without_a_known_gender_uses_the_full_name(chinese):
    assert salutation("欧阳明", None) == "欧阳明贵宾"
    assert salutation("欧阳明", "m") == "欧阳先生"


def test_welcome_letter_names_customer_tier_manager_and_outlet(chinese):
    letter = welcome_letter(customer_name="张伟", gender="M", tier="platinum",
                            manager_name="李经理", outlet_name="民族支行", on=dt.date(2026, 11, 27))
    assert "尊敬的张先生" in letter
    assert "白金卡" in letter and "李经理" in letter and "民族支行" in letter
    assert "2026年11月27日" in letter


def test_the_welcome_letter_is_simplified_chinese_by_default(chinese):
    from opencc_purepy import OpenCC

    for gender, manager in (("F", "李经理"), (None, None)):
        letter = welcome_letter(customer_name="欧阳明", gender=gender, tier="diamond",
                                manager_name=manager, outlet_name="民族支行",
                                on=dt.date(2026, 11, 27))
        assert OpenCC("t2s").convert(letter) == letter
        assert "贵宾" in letter and "钻石卡" in letter


def test_the_welcome_letter_speaks_english_when_asked():
    letter = welcome_letter(customer_name="张伟", gender="M", tier="gold", manager_name=None,
                            outlet_name="民族支行", on=dt.date(2026, 11, 27))
    assert letter.startswith("Welcome letter")
    assert "Dear Mr 张," in letter and "a Gold VIP customer" in letter
    assert "2026-11-27" in letter and "民族支行" in letter
