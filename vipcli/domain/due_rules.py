"""One customer's facts → all its reasons to be on the morning list (SPEC §5).

`Facts` holds plain values the service reads in a few grouped queries; `evaluate`
applies every reason kind of §15 to them and drops the items a later contact settled.
Each reason's detail is one plain sentence in the active language (§16): no codes,
and no fact said twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

from vipcli.config import Rules
from vipcli.domain import cadence, labels, occasions
from vipcli.domain.money import money_display
from vipcli.i18n import N_, _, ngettext

MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
          N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))


NEAR_DAYS = 180  # a day this close to as_of is named without its year


def day_text(day: dt.date, as_of: dt.date) -> str:
    """A day near as_of as people say it ("Dec 2" / "12月2日"); a farther one in full."""
    if abs((day - as_of).days) > NEAR_DAYS:
        return day.isoformat()
    return _("{month_name} {day}").format(month_name=_(MONTHS[day.month - 1]), day=day.day)


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
    outflows: list[tuple[dt.date, int]] = field(default_factory=list)  # large ones, in the window
    month_avgs: tuple[int | None, int | None] = (None, None)  # previous, last month
    risk_valid_until: dt.date | None = None
    maturities: list[tuple[dt.date, str, int]] = field(default_factory=list)  # day, product, fen
    anniversaries: list[tuple[str, dt.date]] = field(default_factory=list)
    opportunities: list[tuple[int, dt.date, str | None]] = field(default_factory=list)
    report_followups: list[tuple[int, dt.date, str | None]] = field(default_factory=list)
    activities: list[tuple[str, dt.date]] = field(default_factory=list)
    # §5: the higher of the card tier and the qualified tier; None → `tier`.
    qualified_tier: str | None = None

    @property
    def cadence_tier(self) -> str | None:
        return cadence.cadence_tier(self.tier, self.qualified_tier)


def evaluate(f: Facts, as_of: dt.date, rules: Rules,
             holidays: Sequence[tuple[dt.date, str]] = (),
             missing_extract: str | None = None) -> list[cadence.Reason]:
    """Every open reason of one customer, the most urgent first. `missing_extract`: the
    month whose asset extract should be the latest but is missing (no asset alerts from it)."""
    found = [*_contact_rules(f, as_of, rules), *_behaviour(f, as_of, rules, missing_extract),
             *_occasions(f, as_of, rules, holidays), *_workflow(f, as_of, rules)]
    # §5: any contact logged after an item's trigger settles it, until a new trigger.
    found = [r for r in found if r.trigger is None or not cadence.settled(r.trigger, f.last_any)]
    found = _one_fact_once(found, f)
    return sorted(found, key=lambda r: (r.kind not in cadence.RETENTION_KINDS, r.due_date))


def _one_fact_once(found: list[cadence.Reason], f: Facts) -> list[cadence.Reason]:
    """One fact is said once. A customer never contacted since its assignment is the first
    contact's (§2) while that is open; an open cadence says "call" with the last call's date,
    so the quarterly minimum (the weaker rule about the same silence) is not repeated."""
    kinds = {r.kind for r in found}
    drop = set()
    if "first_contact" in kinds:
        if cadence.last_call_or_meeting(f.last_call, f.last_meeting) is None:
            drop.add("cadence")
        if f.last_any is None:
            drop.add("quarterly")
    if "cadence" in kinds - drop:
        drop.add("quarterly")
    return [r for r in found if r.kind not in drop]


def _contact_rules(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    start = f.assigned_on or as_of
    tier = f.cadence_tier
    last = cadence.last_call_or_meeting(f.last_call, f.last_meeting)
    due = cadence.cadence_due(tier, last, min(start, as_of), rules)
    if due is not None and due <= as_of:
        yield cadence.reason("cadence", _cadence_detail(cast(str, tier), last, due, as_of), due, as_of)
    due = cadence.quarterly_due(f.last_any, f.assigned_on, as_of, rules)
    if due <= as_of:
        yield cadence.reason("quarterly", _quarterly_detail(f, as_of), due, as_of)
    if tier == "gold":
        last_call = last[0] if last else None
        due = cadence.gold_no_visit_due(f.last_business, last_call, rules)
        if due is not None and due <= as_of:
            detail = _("No business at the outlet since {date}: follow up by phone").format(
                date=day_text(cast(dt.date, f.last_business), as_of))
            yield cadence.reason("gold_no_visit", detail, due, as_of)


def _cadence_detail(tier: str, last: tuple[dt.date, str] | None, due: dt.date, as_of: dt.date) -> str:
    late = (as_of - due).days
    if last is None:
        if late:
            text = ngettext("{tier} contact {days} day overdue; no call or meeting yet",
                            "{tier} contact {days} days overdue; no call or meeting yet", late)
        else:
            text = _("{tier} contact due today; no call or meeting yet")
        return text.format(tier=labels.tier(tier), days=late)
    if late:
        text = ngettext("{tier} contact {days} day overdue; last {channel} {date}",
                        "{tier} contact {days} days overdue; last {channel} {date}", late)
    else:
        text = _("{tier} contact due today; last {channel} {date}")
    # Mid-sentence the channel is lower case in English ("last phone"); Chinese has no case.
    return text.format(tier=labels.tier(tier), days=late, channel=labels.channel(last[1]).lower(),
                       date=day_text(last[0], as_of))


def _quarterly_detail(f: Facts, as_of: dt.date) -> str:
    if f.last_any is not None:
        quiet = (as_of - f.last_any).days
        return ngettext("No contact for {days} day (last {date})",
                        "No contact for {days} days (last {date})", quiet).format(
            days=quiet, date=day_text(f.last_any, as_of))
    if f.assigned_on is not None:
        return _("Never contacted since assigned on {date}").format(date=day_text(f.assigned_on, as_of))
    return _("Never contacted")


def _behaviour(f: Facts, as_of: dt.date, rules: Rules,
               missing_extract: str | None) -> Iterator[cadence.Reason]:
    open_outflows = [o for o in f.outflows if not cadence.settled(o[0], f.last_any)]
    if open_outflows:
        day, amount = min(open_outflows, key=lambda o: (o[1], o[0]))  # the largest
        latest = max(o[0] for o in open_outflows)  # a new outflow is a new trigger
        detail = _("Large outflow of ¥{amount} on {date}").format(
            amount=money_display(-amount), date=day_text(day, as_of))
        yield cadence.reason("large_outflow", detail, day, as_of, trigger=latest)
    yield from _asset_alerts(f, as_of, rules, missing_extract)
    for day, product, amount in f.maturities:
        detail = _("{product} ¥{amount} matures on {date}").format(
            product=product, amount=money_display(amount), date=day_text(day, as_of))
        opens = day - dt.timedelta(days=rules.events.maturity_lead_days)
        yield cadence.reason("maturity", detail, day, as_of, trigger=opens)


def _asset_alerts(f: Facts, as_of: dt.date, rules: Rules,
                  missing_extract: str | None) -> Iterator[cadence.Reason]:
    """§5: a drop of the monthly average and the downgrade warning, both read from the
    asset extracts; neither is raised from a month whose extract is missing."""
    previous, last = f.month_avgs
    drop = None if missing_extract else cadence.asset_drop(previous, last, rules)
    if drop is not None:
        detail = _("Monthly average assets fell {ratio} from the month before "
                   "(¥{before} → ¥{after})").format(
            ratio=f"{drop:.0%}", before=money_display(previous), after=money_display(last or 0))
        # The trigger: the day after the extract's month ends (the 1st of as_of's month).
        start = as_of.replace(day=1)
        yield cadence.reason("asset_drop", detail, start, as_of, trigger=start)
    if f.signed and f.months_below_signed >= 1 and f.screened_month != missing_extract:
        detail = ngettext(
            "Assets below the {tier} level for {months} screened month: may be downgraded",
            "Assets below the {tier} level for {months} screened months: may be downgraded",
            f.months_below_signed).format(tier=labels.tier(f.tier), months=f.months_below_signed)
        screened = _after_month(f.screened_month, as_of)
        yield cadence.reason("downgrade_risk", detail, screened, as_of, trigger=screened)


def _occasions(
    f: Facts, as_of: dt.date, rules: Rules, holidays: Sequence[tuple[dt.date, str]]
) -> Iterator[cadence.Reason]:
    lead = rules.events
    if f.birth_date is not None:
        day = occasions.next_birthday(f.birth_date, f.birthday_calendar, as_of)
        if day is not None and occasions.within(day, as_of, lead.birthday_lead_days):
            yield cadence.reason("birthday", _birthday_detail(f.birthday_calendar, day, as_of), day,
                                 as_of, trigger=day - dt.timedelta(days=lead.birthday_lead_days))
    for label, date in f.anniversaries:
        day = occasions.next_solar(date.month, date.day, as_of)
        if occasions.within(day, as_of, lead.anniversary_lead_days):
            yield cadence.reason("anniversary", _occasion_detail(label, day, as_of), day, as_of,
                                 trigger=day - dt.timedelta(days=lead.anniversary_lead_days))
    for day, name in holidays:
        detail = _("{holiday} greetings on {date}").format(holiday=name, date=day_text(day, as_of))
        yield cadence.reason("holiday", detail, day, as_of,
                             trigger=day - dt.timedelta(days=lead.holiday_lead_days))


def _birthday_detail(calendar: str, day: dt.date, as_of: dt.date) -> str:
    ahead = (day - as_of).days
    if calendar == "lunar":
        text = (_("Lunar birthday today ({date})") if not ahead else
                ngettext("Lunar birthday on {date} (in {days} day)",
                         "Lunar birthday on {date} (in {days} days)", ahead))
    else:
        text = (_("Birthday today ({date})") if not ahead else
                ngettext("Birthday on {date} (in {days} day)",
                         "Birthday on {date} (in {days} days)", ahead))
    return text.format(date=day_text(day, as_of), days=ahead)


def _occasion_detail(label: str, day: dt.date, as_of: dt.date) -> str:
    ahead = (day - as_of).days
    text = (_("{occasion} today ({date})") if not ahead else
            ngettext("{occasion} on {date} (in {days} day)",
                     "{occasion} on {date} (in {days} days)", ahead))
    return text.format(occasion=label, date=day_text(day, as_of), days=ahead)


def _workflow(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    due = cadence.first_contact_due(f.assigned_on, f.manager_contacted_since_assignment, rules)
    if due is not None:
        detail = _("Assigned on {date}: first contact by {due}").format(
            date=day_text(cast(dt.date, f.assigned_on), as_of), due=day_text(due, as_of))
        yield cadence.reason("first_contact", detail, due, as_of)
    # A contact does not renew a risk assessment: only a new assessment settles this one.
    due = cadence.risk_assessment_due(f.risk_valid_until, f.signed, as_of, rules)
    if due is not None:
        yield cadence.reason("risk_assessment", _risk_detail(f.risk_valid_until, as_of), due, as_of)
    for opp_id, day, action in f.opportunities:
        detail = (_("Opportunity #{id}: {action}").format(id=opp_id, action=action) if action
                  else _("Opportunity #{id}: next step due").format(id=opp_id))
        yield cadence.reason("opportunity_followup", detail, day, as_of)
    for report_id, day, plan in f.report_followups:
        detail = (_("Report #{id}: {plan}").format(id=report_id, plan=plan) if plan
                  else _("Report #{id}: follow-up due").format(id=report_id))
        yield cadence.reason("report_followup", detail, day, as_of)
    for title, day in f.activities:
        detail = _("Invited to {activity} on {date}").format(activity=title, date=day_text(day, as_of))
        opens = day - dt.timedelta(days=rules.events.activity_lead_days)
        yield cadence.reason("activity", detail, day, as_of, trigger=opens)


def _risk_detail(valid_until: dt.date | None, as_of: dt.date) -> str:
    if valid_until is None:
        return _("No risk assessment on file")
    if valid_until < as_of:
        return _("Risk assessment expired on {date}").format(date=day_text(valid_until, as_of))
    return _("Risk assessment expires on {date}").format(date=day_text(valid_until, as_of))


def _after_month(month: str | None, as_of: dt.date) -> dt.date:
    """The day after a screened month ends (the warning's date); as_of if unknown."""
    if not month:
        return as_of
    year, mon = int(month[:4]), int(month[5:7])
    return dt.date(year + mon // 12, mon % 12 + 1, 1)
