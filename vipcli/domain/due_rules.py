"""One customer's facts → all its reasons to be on the morning list (SPEC §5).

`Facts` holds plain values the service reads in a few grouped queries; `evaluate`
applies every reason kind of §15 to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

from vipcli.config import Rules
from vipcli.domain import cadence, occasions
from vipcli.domain.money import money_display
from vipcli.domain.vocabulary import TIER_LABELS


@dataclass
class Facts:
    customer_id: str
    tier: str | None  # the card tier, else the qualified tier of a potential VIP
    signed: bool
    assigned_on: dt.date | None = None
    birth_date: dt.date | None = None
    birthday_calendar: str = "solar"
    months_below_signed: int = 0
    screened_month: str | None = None
    last_call: dt.date | None = None
    last_meeting: dt.date | None = None
    last_any: dt.date | None = None
    manager_contacted_since_assignment: bool = False
    last_business: dt.date | None = None  # counter transaction or lobby visit
    outflow: tuple[dt.date, int] | None = None  # the largest outflow in the window
    month_avgs: tuple[int | None, int | None] = (None, None)  # previous, last month
    risk_valid_until: dt.date | None = None
    maturities: list[tuple[dt.date, str, int]] = field(default_factory=list)
    anniversaries: list[tuple[str, dt.date]] = field(default_factory=list)
    opportunities: list[tuple[int, dt.date, str | None]] = field(default_factory=list)
    report_followups: list[tuple[int, dt.date, str | None]] = field(default_factory=list)
    activities: list[tuple[str, dt.date]] = field(default_factory=list)


def evaluate(f: Facts, as_of: dt.date, rules: Rules,
             holidays: Sequence[tuple[dt.date, str]] = ()) -> list[cadence.Reason]:
    """Every reason of one customer, the most urgent first."""
    found = [*_contact_rules(f, as_of, rules), *_behaviour(f, as_of, rules),
             *_occasions(f, as_of, rules, holidays), *_workflow(f, as_of, rules)]
    return sorted(found, key=lambda r: (r.kind not in cadence.RETENTION_KINDS, r.due_date))


def _contact_rules(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    start = f.assigned_on or as_of
    last = cadence.last_call_or_meeting(f.last_call, f.last_meeting)
    due = cadence.cadence_due(f.tier, last, min(start, as_of), rules)
    if due is not None and due <= as_of:
        since = f"last {last[1]} {last[0]}" if last else "no call or meeting yet"
        tier = cast(str, f.tier)  # cadence_due gives a date only to a tier with a cadence
        yield cadence.reason("cadence", f"{TIER_LABELS[tier]} cadence: {since}", due, as_of)
    due = cadence.quarterly_due(f.last_any, f.assigned_on, as_of, rules)
    if due <= as_of:
        since = f"last contact {f.last_any}" if f.last_any else "never contacted"
        yield cadence.reason("quarterly", f"quarterly minimum: {since}", due, as_of)
    if f.tier == "gold":
        last_call = last[0] if last else None
        due = cadence.gold_no_visit_due(f.last_business, last_call, rules)
        if due is not None and due <= as_of:
            detail = f"no business at the outlet since {f.last_business}: phone follow-up"
            yield cadence.reason("gold_no_visit", detail, due, as_of)


def _behaviour(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    if f.outflow and cadence.is_large_outflow(f.outflow[1], rules):
        day, amount = f.outflow
        detail = f"large outflow {money_display(-amount)} on {day}: retention"
        yield cadence.reason("large_outflow", detail, day, as_of)
    previous, last = f.month_avgs
    drop = cadence.asset_drop(previous, last, rules)
    if drop is not None:
        detail = (f"monthly average fell {drop:.0%} ({money_display(previous)} → "
                  f"{money_display(last or 0)}): retention")
        yield cadence.reason("asset_drop", detail, as_of.replace(day=1), as_of)
    if f.signed and f.months_below_signed >= 1:
        detail = f"{f.months_below_signed} screened month(s) below the card tier: downgrade risk"
        yield cadence.reason("downgrade_risk", detail, _after_month(f.screened_month, as_of),
                             as_of)
    for day, product, amount in f.maturities:
        yield cadence.reason("maturity", f"{product} {money_display(amount)} matures {day}", day,
                             as_of)


def _occasions(
    f: Facts, as_of: dt.date, rules: Rules, holidays: Sequence[tuple[dt.date, str]]
) -> Iterator[cadence.Reason]:
    lead = rules.events
    if f.birth_date is not None:
        day = occasions.next_birthday(f.birth_date, f.birthday_calendar, as_of)
        if day is not None and occasions.within(day, as_of, lead.birthday_lead_days):
            label = "lunar birthday" if f.birthday_calendar == "lunar" else "birthday"
            yield cadence.reason("birthday", f"{label} on {day}", day, as_of)
    for label, date in f.anniversaries:
        day = occasions.next_solar(date.month, date.day, as_of)
        if occasions.within(day, as_of, lead.anniversary_lead_days):
            yield cadence.reason("anniversary", f"{label} on {day}", day, as_of)
    for day, name in holidays:
        yield cadence.reason("holiday", f"{name} greetings ({day})", day, as_of)


def _workflow(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    due = cadence.first_contact_due(f.assigned_on, f.manager_contacted_since_assignment, rules)
    if due is not None:
        yield cadence.reason("first_contact", f"first contact after assignment on {f.assigned_on}",
                       due, as_of)
    due = cadence.risk_assessment_due(f.risk_valid_until, f.signed, as_of, rules)
    if due is not None:
        state = ("none on file" if f.risk_valid_until is None
                 else f"{'expired' if f.risk_valid_until < as_of else 'expires'} {due}")
        yield cadence.reason("risk_assessment", f"risk assessment {state}", due, as_of)
    for opp_id, day, action in f.opportunities:
        yield cadence.reason("opportunity_followup",
                             f"opportunity #{opp_id}: {action or 'next step'}", day, as_of)
    for report_id, day, plan in f.report_followups:
        yield cadence.reason("report_followup", f"report #{report_id}: {plan or 'follow-up'}", day,
                             as_of)
    for title, day in f.activities:
        yield cadence.reason("activity", f"invited to {title} on {day}", day, as_of)


def _after_month(month: str | None, as_of: dt.date) -> dt.date:
    """The day after a screened month ends (the warning's date); as_of if unknown."""
    if not month:
        return as_of
    year, mon = int(month[:4]), int(month[5:7])
    return dt.date(year + mon // 12, mon % 12 + 1, 1)
