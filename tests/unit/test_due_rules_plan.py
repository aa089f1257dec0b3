"""§5 "today's plan" rules on plain values: settled by a later contact, a missing extract,
cadence by the higher tier, a channel that fits the reasons, one fact said once."""

from __future__ import annotations

import datetime as dt

import pytest

from vipcli.config import Rules
from vipcli.domain import cadence
from vipcli.domain.due_rules import Facts, day_text, evaluate

RULES = Rules()
D = dt.date
AS_OF = D(2026, 11, 28)


def kinds(facts: Facts, as_of: dt.date = AS_OF, **kw) -> dict[str, cadence.Reason]:
    return {r.kind: r for r in evaluate(facts, as_of, RULES, **kw)}


def gold(**fields) -> Facts:
    """A Gold card holder with a valid assessment, seen at the counter the day before."""
    base = dict(customer_id="C1", tier="gold", signed=True, risk_valid_until=D(2030, 1, 1),
                last_business=AS_OF - dt.timedelta(days=1), last_any=D(2026, 10, 20))
    base.update(fields)
    return Facts(**base)


# --- settled by a later contact ------------------------------------------------------------


def test_outflow_on_the_26th_settled_by_a_call_on_the_27th():
    outflow = [(D(2026, 11, 26), -62_000_000)]
    assert "large_outflow" in kinds(gold(outflows=outflow), D(2026, 11, 27))
    assert "large_outflow" not in kinds(gold(outflows=outflow, last_any=D(2026, 11, 27)))


def test_a_new_outflow_after_the_contact_brings_the_alert_back():
    outflows = [(D(2026, 11, 24), -90_000_000), (D(2026, 11, 28), -55_000_000)]
    found = kinds(gold(outflows=outflows, last_any=D(2026, 11, 27)))
    assert found["large_outflow"].detail == "Large outflow of ¥550,000.00 on Nov 28"


def test_a_contact_the_same_day_as_the_trigger_settles_it():
    assert cadence.settled(D(2026, 11, 27), D(2026, 11, 27))
    assert not cadence.settled(D(2026, 11, 27), D(2026, 11, 26))
    assert not cadence.settled(D(2026, 11, 27), None)


@pytest.mark.parametrize("fields, kind", [
    (dict(month_avgs=(100_000_000, 55_000_000)), "asset_drop"),
    (dict(months_below_signed=1, screened_month="2026-10"), "downgrade_risk"),
    (dict(birth_date=D(1970, 11, 30)), "birthday"),
    (dict(maturities=[(D(2026, 12, 2), "本利丰 P1", 100_000)]), "maturity"),
    (dict(anniversaries=[("开户纪念日", D(2010, 11, 30))]), "anniversary"),
    (dict(activities=[("理财沙龙", D(2026, 12, 3))]), "activity"),
])
def test_every_event_is_settled_by_a_contact_after_its_trigger(fields, kind):
    assert kind in kinds(gold(**fields))
    assert kind not in kinds(gold(**fields, last_any=AS_OF))


def test_holiday_greeting_is_settled_once_the_customer_was_contacted_in_its_window():
    holidays = [(D(2026, 9, 25), "中秋节")]
    as_of = D(2026, 9, 24)
    assert "holiday" in kinds(gold(last_any=D(2026, 9, 1)), as_of, holidays=holidays)
    assert "holiday" not in kinds(gold(last_any=D(2026, 9, 23)), as_of, holidays=holidays)


def test_the_next_screening_below_the_card_is_a_new_trigger():
    contacted = gold(months_below_signed=1, screened_month="2026-10", last_any=D(2026, 11, 20))
    assert "downgrade_risk" not in kinds(contacted, D(2026, 11, 28))
    contacted.months_below_signed, contacted.screened_month = 2, "2026-11"
    found = kinds(contacted, D(2026, 12, 5))
    assert found["downgrade_risk"].detail == (
        "Assets below the Gold level for 2 screened months: may be downgraded")


def test_a_contact_does_not_renew_a_risk_assessment():
    assert "risk_assessment" in kinds(gold(risk_valid_until=None, last_any=AS_OF))


# --- a missing extract ----------------------------------------------------------------------


def test_no_asset_drop_from_a_missing_extract():
    facts = gold(month_avgs=(100_000_000, None))
    assert kinds(facts)["asset_drop"].detail.startswith("Monthly average assets fell 100%")
    assert "asset_drop" not in kinds(facts, missing_extract="2026-10")


def test_no_downgrade_warning_raised_from_a_missing_month():
    facts = gold(months_below_signed=1, screened_month="2026-10")
    assert "downgrade_risk" not in kinds(facts, missing_extract="2026-10")
    assert "downgrade_risk" in kinds(facts, missing_extract="2026-11")  # raised from October


# --- cadence by the higher tier ---------------------------------------------------------------


def test_cadence_tier_is_the_higher_of_card_and_qualified():
    assert cadence.cadence_tier("gold", "platinum") == "platinum"
    assert cadence.cadence_tier("diamond", "gold") == "diamond"
    assert cadence.cadence_tier(None, "gold") == "gold"
    assert cadence.cadence_tier("gold", None) == "gold"
    assert cadence.cadence_tier(None, None) is None


def test_gold_card_qualified_platinum_is_on_the_platinum_cadence():
    facts = gold(qualified_tier="platinum", last_call=D(2026, 11, 21), last_any=D(2026, 11, 21))
    found = kinds(facts)
    assert facts.cadence_tier == "platinum"
    assert found["cadence"].due_date == D(2026, 11, 28)  # Platinum: 7 days after a call
    assert found["cadence"].detail == "Platinum contact due today; last phone Nov 21"
    assert "gold_no_visit" not in found  # the Gold rule is for the Gold cadence
    assert "cadence" not in kinds(gold(last_call=D(2026, 11, 21), last_any=D(2026, 11, 21)))


# --- how and what -------------------------------------------------------------------------------


@pytest.mark.parametrize("reasons, preferred, channel", [
    (["large_outflow", "birthday"], "wechat", "meeting"),
    (["downgrade_risk"], "phone", "meeting"),
    (["cadence"], "wechat", "phone"),
    (["cadence"], "meeting", "meeting"),
    (["gold_no_visit"], "sms", "phone"),
    (["birthday"], "wechat", "wechat"),
    (["quarterly"], None, "phone"),
])
def test_suggested_channel_fits_the_reasons(reasons, preferred, channel):
    assert cadence.suggested_channel(reasons, preferred) == channel


def test_never_contacted_after_assignment_is_said_once_by_the_first_contact():
    facts = Facts("C1", "diamond", True, assigned_on=D(2026, 11, 27), risk_valid_until=D(2030, 1, 1))
    found = kinds(facts)
    assert set(found) == {"first_contact"}
    assert found["first_contact"].detail == "Assigned on Nov 27: first contact by Dec 4"


def test_an_open_cadence_makes_the_quarterly_line_redundant():
    facts = Facts("C1", "platinum", True, last_call=D(2026, 8, 22), last_any=D(2026, 8, 22),
                  risk_valid_until=D(2030, 1, 1))
    assert set(kinds(facts)) == {"cadence"}


def test_reason_sentences_have_no_codes():
    facts = gold(outflows=[(D(2026, 11, 26), -62_000_000)], birth_date=D(1970, 12, 1),
                 month_avgs=(100_000_000, 55_000_000), months_below_signed=1,
                 screened_month="2026-10")
    details = [r.detail for r in evaluate(facts, AS_OF, RULES)]
    assert details == [  # retention alerts first, then by date
        "Monthly average assets fell 45% from the month before (¥1,000,000.00 → ¥550,000.00)",
        "Assets below the Gold level for 1 screened month: may be downgraded",
        "Large outflow of ¥620,000.00 on Nov 26",
        "Birthday on Dec 1 (in 3 days)",
    ]
    assert not any(code in d for d in details for code in ("_", "gold", "retention"))


def test_far_days_keep_their_year():
    assert day_text(D(2026, 12, 2), AS_OF) == "Dec 2"
    assert day_text(D(2025, 1, 30), AS_OF) == "2025-01-30"


def test_reason_sentences_in_simplified_chinese(monkeypatch):
    from vipcli import i18n

    monkeypatch.setattr(i18n, "_language", None)
    monkeypatch.setattr(i18n, "_catalog", None)
    monkeypatch.setenv("VIP_LANG", "zh_CN")
    monkeypatch.setattr("sys.argv", ["vip"])
    try:
        facts = gold(outflows=[(D(2026, 11, 26), -62_000_000)], birth_date=D(1970, 12, 1),
                     month_avgs=(100_000_000, 55_000_000))
        details = [r.detail for r in evaluate(facts, AS_OF, RULES)]
    finally:
        i18n.activate("en")
    assert details == ["月日均资产较上月下降45%（¥1,000,000.00 → ¥550,000.00）",
                       "11月26日大额转出 ¥620,000.00",
                       "生日 12月1日（还有3天）"]
