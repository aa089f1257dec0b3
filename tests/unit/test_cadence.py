"""The morning-list rules of §5 on plain values: each reason kind at its edges, ordering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from vipcli.config import Rules
from vipcli.domain import cadence, occasions
from vipcli.domain.due_rules import Facts, evaluate

RULES = Rules()
D = dt.date


def kinds(facts: Facts, as_of: dt.date, holidays=()) -> dict[str, cadence.Reason]:
    return {r.kind: r for r in evaluate(facts, as_of, RULES, list(holidays))}


def diamond(**fields) -> Facts:
    base = dict(customer_id="C1", tier="diamond", signed=True, risk_valid_until=D(2030, 1, 1),
                last_any=fields.get("last_call") or fields.get("last_meeting"))
    base.update(fields)
    return Facts(**base)


# --- cadence ---------------------------------------------------------------------------


def test_interval_is_30_divided_by_calls_per_month_in_whole_days():
    assert cadence.interval_days(RULES.contact.diamond_calls_per_month) == 15
    assert cadence.interval_days(RULES.contact.platinum_calls_per_month) == 7


def test_diamond_call_is_due_exactly_on_the_interval_day():
    facts = diamond(last_call=D(2026, 11, 1))
    assert kinds(facts, D(2026, 11, 16))["cadence"].overdue_days == 0
    assert kinds(facts, D(2026, 11, 16))["cadence"].due_date == D(2026, 11, 16)


def test_diamond_call_is_not_due_the_day_before():
    assert "cadence" not in kinds(diamond(last_call=D(2026, 11, 1)), D(2026, 11, 15))


def test_a_meeting_counts_as_two_calls():
    facts = diamond(last_meeting=D(2026, 11, 1))
    assert "cadence" not in kinds(facts, D(2026, 11, 30))
    assert kinds(facts, D(2026, 12, 1))["cadence"].due_date == D(2026, 12, 1)


def test_platinum_call_and_meeting_intervals():
    rules = RULES
    assert cadence.cadence_due("platinum", (D(2026, 11, 1), "phone"), D(2026, 1, 1), rules) == D(2026, 11, 8)
    assert cadence.cadence_due("platinum", (D(2026, 11, 1), "meeting"), D(2026, 1, 1), rules) == D(2026, 11, 15)


def test_the_latest_call_or_meeting_sets_the_clock_and_a_same_day_meeting_wins():
    assert cadence.last_call_or_meeting(D(2026, 11, 10), D(2026, 11, 1)) == (D(2026, 11, 10), "phone")
    assert cadence.last_call_or_meeting(D(2026, 11, 10), D(2026, 11, 10)) == (D(2026, 11, 10), "meeting")
    assert cadence.last_call_or_meeting(None, None) is None


def test_messages_do_not_count_for_the_cadence_but_do_for_the_quarter():
    facts = diamond(last_any=D(2026, 11, 20), assigned_on=D(2026, 6, 1),  # the manager's SMS only
                    manager_contacted_since_assignment=True)
    found = kinds(facts, D(2026, 11, 27))
    assert found["cadence"].detail.endswith("no call or meeting yet")
    assert found["cadence"].due_date == D(2026, 6, 1)
    assert "quarterly" not in found


def test_never_contacted_without_assignment_is_due_today_said_once():
    found = kinds(diamond(), D(2026, 11, 27))
    assert found["cadence"].due_date == D(2026, 11, 27)
    assert "quarterly" not in found  # the same silence: the cadence says it


def test_quarterly_stands_alone_without_a_cadence():
    found = kinds(Facts("C2", "gold", True, risk_valid_until=D(2030, 1, 1)), D(2026, 11, 27))
    assert found["quarterly"].overdue_days == 0 and found["quarterly"].detail == "Never contacted"


def test_gold_and_untiered_customers_have_no_monthly_cadence():
    assert cadence.cadence_due("gold", None, D(2026, 1, 1), RULES) is None
    assert cadence.cadence_due(None, None, D(2026, 1, 1), RULES) is None


@given(st.dates(D(2000, 1, 1), D(2040, 1, 1)), st.sampled_from(["phone", "meeting"]),
       st.sampled_from(["diamond", "platinum"]))
def test_cadence_due_is_interval_times_credits_after_the_last_contact(day, channel, tier):
    per_month = cadence.calls_per_month(tier, RULES)
    due = cadence.cadence_due(tier, (day, channel), D(1999, 1, 1), RULES)
    assert (due - day).days == (30 // per_month) * cadence.credits(channel, RULES)


# --- quarterly and Gold ------------------------------------------------------------------


def test_quarterly_due_when_last_contact_is_exactly_90_days_old():
    facts = Facts("C2", "gold", True, last_any=D(2026, 8, 29), risk_valid_until=D(2030, 1, 1))
    assert kinds(facts, D(2026, 11, 27))["quarterly"].overdue_days == 0
    assert "quarterly" not in kinds(facts, D(2026, 11, 26))


def test_gold_without_business_for_seven_days_gets_a_follow_up():
    facts = Facts("C3", "gold", True, last_any=D(2026, 11, 25), last_business=D(2026, 11, 20),
                  risk_valid_until=D(2030, 1, 1))
    assert kinds(facts, D(2026, 11, 27))["gold_no_visit"].due_date == D(2026, 11, 27)
    assert "gold_no_visit" not in kinds(facts, D(2026, 11, 26))


def test_gold_follow_up_call_on_the_due_day_settles_it():
    facts = Facts("C3", "gold", True, last_any=D(2026, 11, 27), last_call=D(2026, 11, 27),
                  last_business=D(2026, 11, 20), risk_valid_until=D(2030, 1, 1))
    assert "gold_no_visit" not in kinds(facts, D(2026, 11, 28))


def test_gold_with_no_business_on_record_is_left_to_the_quarterly_rule():
    facts = Facts("C3", "gold", True, last_any=D(2026, 11, 25), risk_valid_until=D(2030, 1, 1))
    assert "gold_no_visit" not in kinds(facts, D(2026, 11, 27))


# --- occasions ---------------------------------------------------------------------------


def test_solar_birthday_within_the_lead_days():
    facts = Facts("C4", "gold", False, last_any=D(2026, 11, 1), birth_date=D(1970, 11, 30))
    assert kinds(facts, D(2026, 11, 27))["birthday"].due_date == D(2026, 11, 30)
    assert "birthday" not in kinds(facts, D(2026, 11, 26))
    assert kinds(facts, D(2026, 11, 30))["birthday"].overdue_days == 0
    assert "birthday" not in kinds(facts, D(2026, 12, 1))


def test_29_february_birthday_is_kept_on_28_february_in_common_years():
    assert occasions.next_birthday(D(1972, 2, 29), "solar", D(2027, 2, 1)) == D(2027, 2, 28)


def test_lunar_birthday_falling_in_january_of_the_next_gregorian_year():
    # 1980-12-31 is lunar 11/25; lunar 2026-11-25 is 2027-01-02.
    facts = Facts("C5", "gold", False, last_any=D(2026, 12, 1), birth_date=D(1980, 12, 31),
                  birthday_calendar="lunar")
    found = kinds(facts, D(2026, 12, 30))
    assert found["birthday"].due_date == D(2027, 1, 2)
    assert found["birthday"].detail == "Lunar birthday on Jan 2 (in 3 days)"


def test_lunar_birthday_is_the_lunar_month_and_day_converted_to_this_year():
    # 1970-06-15 is lunar 5/12; lunar 2026-05-12 is 2026-06-26.
    assert occasions.next_birthday(D(1970, 6, 15), "lunar", D(2026, 6, 1)) == D(2026, 6, 26)
    assert occasions.next_birthday(D(1970, 6, 15), "solar", D(2026, 6, 1)) == D(2026, 6, 15)


def test_anniversary_repeats_yearly_within_the_lead_days():
    facts = Facts("C6", "gold", False, last_any=D(2026, 11, 1),
                  anniversaries=[("wedding", D(2001, 12, 1))])
    assert kinds(facts, D(2026, 11, 28))["anniversary"].due_date == D(2026, 12, 1)
    assert "anniversary" not in kinds(facts, D(2026, 11, 27))


def test_chinese_holidays_include_the_lunar_ones_once_per_holiday():
    assert occasions.greeting_holidays(D(2026, 9, 22), D(2026, 9, 25)) == [(D(2026, 9, 25), "中秋节")]
    assert occasions.greeting_holidays(D(2027, 2, 3), D(2027, 2, 10)) == [(D(2027, 2, 6), "春节")]
    assert occasions.greeting_holidays(D(2026, 6, 16), D(2026, 6, 19)) == [(D(2026, 6, 19), "端午节")]


def test_days_off_and_tomb_sweeping_are_not_greeting_holidays():
    assert occasions.greeting_holidays(D(2026, 4, 1), D(2026, 4, 7)) == []
    assert occasions.greeting_holidays(D(2026, 10, 6), D(2026, 10, 7)) == []


# --- behaviour -----------------------------------------------------------------------------


def test_outflow_just_under_the_threshold_is_no_alert():
    assert not cadence.is_large_outflow(-49_999_999, RULES)
    assert cadence.is_large_outflow(-50_000_000, RULES)


def test_large_outflow_is_a_retention_alert():
    facts = diamond(last_call=D(2026, 11, 23), outflows=[(D(2026, 11, 24), -50_000_000)])
    found = evaluate(facts, D(2026, 11, 27), RULES)
    assert found[0].kind == "large_outflow" and found[0].overdue_days == 3
    assert cadence.priority(found, D(2026, 11, 27)) == "retention"


def test_asset_drop_at_exactly_the_ratio():
    assert cadence.asset_drop(1_000_000, 700_000, RULES) == Decimal("0.3")
    assert cadence.asset_drop(1_000_000, 700_001, RULES) is None
    assert cadence.asset_drop(None, 0, RULES) is None
    assert cadence.asset_drop(1_000_000, None, RULES) == Decimal(1)


def test_downgrade_risk_for_a_signed_customer_below_its_tier():
    facts = diamond(last_call=D(2026, 10, 30), months_below_signed=1, screened_month="2026-10")
    assert kinds(facts, D(2026, 11, 27))["downgrade_risk"].due_date == D(2026, 11, 1)


def test_maturity_reason_carries_the_maturity_date():
    facts = diamond(last_call=D(2026, 11, 25), maturities=[(D(2026, 12, 4), "P01", 100_000)])
    assert kinds(facts, D(2026, 11, 27))["maturity"].due_date == D(2026, 12, 4)


# --- workflow -----------------------------------------------------------------------------


def test_risk_assessment_expiring_on_the_warning_day_and_not_the_day_after():
    as_of = D(2026, 11, 27)
    assert cadence.risk_assessment_due(D(2026, 12, 27), True, as_of, RULES) == D(2026, 12, 27)
    assert cadence.risk_assessment_due(D(2026, 12, 28), True, as_of, RULES) is None
    assert cadence.risk_assessment_due(None, True, as_of, RULES) == as_of
    assert cadence.risk_assessment_due(None, False, as_of, RULES) is None


def test_expired_risk_assessment_is_overdue_since_its_last_valid_day():
    facts = diamond(last_call=D(2026, 11, 25), risk_valid_until=D(2026, 11, 20))
    reason = kinds(facts, D(2026, 11, 27))["risk_assessment"]
    assert reason.overdue_days == 7 and "expired" in reason.detail


def test_first_contact_due_seven_days_after_assignment_until_the_manager_calls():
    facts = diamond(assigned_on=D(2026, 11, 25))
    assert kinds(facts, D(2026, 11, 26))["first_contact"].due_date == D(2026, 12, 2)
    facts.manager_contacted_since_assignment = True
    assert "first_contact" not in kinds(facts, D(2026, 11, 26))


# --- ordering and content -------------------------------------------------------------------


def test_ordering_retention_then_overdue_by_tier_and_days_then_upcoming():
    as_of = D(2026, 11, 27)
    rows = {
        "upcoming": [cadence.reason("birthday", "", D(2026, 11, 29), as_of)],
        "gold_late": [cadence.reason("quarterly", "", D(2026, 10, 1), as_of)],
        "plat_late": [cadence.reason("cadence", "", D(2026, 11, 20), as_of)],
        "diamond_little": [cadence.reason("cadence", "", D(2026, 11, 26), as_of)],
        "diamond_much": [cadence.reason("cadence", "", D(2026, 11, 1), as_of)],
        "alert": [cadence.reason("asset_drop", "", D(2026, 11, 1), as_of)],
    }
    tiers = {"upcoming": "diamond", "gold_late": "gold", "plat_late": "platinum",
             "diamond_little": "diamond", "diamond_much": "diamond", "alert": "gold"}
    order = sorted(rows, key=lambda k: cadence.sort_key(cadence.priority(rows[k], as_of), tiers[k], rows[k], k))
    assert order == ["alert", "diamond_much", "diamond_little", "plat_late", "gold_late", "upcoming"]


def test_suggested_content_follows_the_orientation():
    assert cadence.suggested_content("relationship") == "personal care and attention"
    assert "wealth diagnosis" in cadence.suggested_content("value")
    assert "client activities" in cadence.suggested_content("service")
    assert cadence.suggested_content(None) == cadence.DEFAULT_CONTENT


@given(st.dates(D(1940, 1, 1), D(2005, 12, 31)), st.dates(D(2020, 1, 1), D(2040, 12, 31)))
def test_next_lunar_birthday_is_the_same_lunar_day_within_a_year(birth, as_of):
    from lunardate import LunarDate

    day = occasions.next_birthday(birth, "lunar", as_of)
    assert 0 <= (day - as_of).days <= 385  # a lunar year has at most 385 days
    want = LunarDate.from_solar_date(birth.year, birth.month, birth.day)
    got = LunarDate.from_solar_date(day.year, day.month, day.day)
    assert got.month == want.month and got.day in (want.day, want.day - 1)
