"""One customer's facts → all its reasons to be on the morning list (SPEC §5).

`Facts` holds plain values the service reads in a few grouped queries; `evaluate`
applies every reason kind of §15 to them and drops the items a later contact settled.
Each reason's detail is one plain sentence in the active language (§16): no codes,
and no fact said twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from vipcli.config import Rules
from vipcli.domain import cadence, labels, occasions
from vipcli.domain.masking import mask_card
from vipcli.domain.money import money_display, yuan_to_fen
from vipcli.i18n import N_, _, ngettext

MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
          N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))


NEAR_DAYS = 180  # a day this close to as_of is named without its year


def day_text(day: dt.date, as_of: dt.date) -> str:
    """A day near as_of as people say it ("Dec 2" / "12月2日"); a farther one in full."""
    if abs((day - as_of).days) > NEAR_DAYS:
        return day.isoformat()
    return _("{month_name} {day}").format(month_name=_(MONTHS[day.month - 1]), day=day.day)


@dataclass(frozen=True)
class PriceRow:
    """One day's published figures of a product (§12 prices); each may be absent."""

    date: dt.date
    nav: Decimal | None = None
    yield_pct: Decimal | None = None
    dividend: Decimal | None = None


@dataclass
class Held:
    """One product a customer holds (§17): its name beside its code, the cost (the holding's
    amount) and units when the extract gives them, and the product's recent price rows
    (oldest first, none after as_of)."""

    product: str
    cost_fen: int
    units: Decimal | None
    prices: Sequence[PriceRow] = ()


@dataclass(frozen=True)
class CardDue:
    card_no: str
    due_date: dt.date
    amount_due_fen: int
    paid_fen: int


@dataclass(frozen=True)
class LoanFact:
    loan_id: str
    product: str | None
    balance_fen: int
    due_date: dt.date | None
    overdue_days: int
    overdue_amount_fen: int


@dataclass(frozen=True)
class AppointmentFact:
    """§18: a visit a member of staff takes part in; `others`: everyone else involved, each
    by name beside the id."""

    at: dt.datetime
    place: str | None
    purpose: str | None
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComplaintFact:
    """§18: an open complaint; acknowledged by `ack_due`, then resolved by `resolve_due`."""

    complaint_id: int
    serious: bool
    ack_due: dt.date
    resolve_due: dt.date
    acknowledged_on: dt.date | None = None


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
    tier_since: dt.date | None = None  # the day the card was signed (§5 Gold rule)
    # §17 after-sales and product facts
    cards: list[CardDue] = field(default_factory=list)  # statements due within the lead days
    loans: list[LoanFact] = field(default_factory=list)  # due within the lead days or overdue
    held: list[Held] = field(default_factory=list)
    new_product: tuple[str, dt.date] | None = None  # (product, launched_on), at most one
    # §18 the relationship work
    card_tier: str | None = None  # the signed card's tier (None: no card)
    adb12_fen: int | None = None  # the latest screened ADB12 of a card holder
    special_period: str | None = None
    special_until: dt.date | None = None
    appointments: list[AppointmentFact] = field(default_factory=list)
    complaints: list[ComplaintFact] = field(default_factory=list)

    @property
    def cadence_tier(self) -> str | None:
        return cadence.cadence_tier(self.tier, self.qualified_tier)


def evaluate(f: Facts, as_of: dt.date, rules: Rules,
             holidays: Sequence[tuple[dt.date, str]] = (),
             missing_extract: str | None = None) -> list[cadence.Reason]:
    """Every open reason of one customer, the most urgent first. `missing_extract`: the
    month whose asset extract should be the latest but is missing (no asset alerts from it)."""
    found = [*_contact_rules(f, as_of, rules), *_behaviour(f, as_of, rules, missing_extract),
             *_occasions(f, as_of, rules, holidays), *_workflow(f, as_of, rules),
             *_after_sales(f, as_of, rules), *_relationship(f, as_of, rules)]
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
    if "loss_risk" in kinds:  # §18: the stronger alert about the same screened ADB12
        drop.add("downgrade_risk")
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
        # §5: no business on record at all → counted from the day the card was signed.
        since = f.tier_since if f.signed else None
        due = cadence.gold_no_visit_due(f.last_business, last_call, rules, since)
        if due is not None and due <= as_of:
            if f.last_business is not None:
                detail = _("No business at the outlet since {date}: follow up by phone").format(
                    date=day_text(f.last_business, as_of))
            else:
                detail = _("No business at the outlet since the card was signed on {date}: "
                           "follow up by phone").format(date=day_text(cast(dt.date, since), as_of))
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
    first = cadence.outflow_window_start(as_of, rules)
    open_outflows = [o for o in f.outflows
                     if first <= o[0] <= as_of and not cadence.settled(o[0], f.last_any)]
    if open_outflows:
        day, amount = min(open_outflows, key=lambda o: (o[1], o[0]))  # the largest
        latest = max(o[0] for o in open_outflows)  # a new outflow is a new trigger
        detail = _("Large outflow of ¥{amount} on {date}").format(
            amount=money_display(-amount), date=day_text(day, as_of))
        yield cadence.reason("large_outflow", detail, day, as_of, trigger=latest)
    yield from _asset_alerts(f, as_of, rules, missing_extract)
    lead = cadence.days(rules.events.maturity_lead_days)
    for day, product, amount in f.maturities:
        if not as_of <= day <= as_of + lead:  # facts may be read for a week (`vip plan`)
            continue
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
        if day > as_of:  # facts may be read for a week ahead (`vip plan week`)
            continue
        detail = (_("Opportunity #{id}: {action}").format(id=opp_id, action=action) if action
                  else _("Opportunity #{id}: next step due").format(id=opp_id))
        yield cadence.reason("opportunity_followup", detail, day, as_of)
    for report_id, day, plan in f.report_followups:
        if day > as_of:
            continue
        detail = (_("Report #{id}: {plan}").format(id=report_id, plan=plan) if plan
                  else _("Report #{id}: follow-up due").format(id=report_id))
        yield cadence.reason("report_followup", detail, day, as_of)
    for title, day in f.activities:
        if not as_of <= day <= as_of + cadence.days(rules.events.activity_lead_days):
            continue
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


# --- §17 after-sales and product events ----------------------------------------------
# Decided where §17 is silent (docs/rules.md "The morning list"):
# - "within N days" counts as_of itself: a statement or loan due on as_of .. as_of+N;
#   a dividend dated as_of-N+1 .. as_of (as §5's "last 7 days" of outflows);
# - a condition read from prices (a NAV move, a stop-profit or stop-loss line) arises the
#   first day of its current run within the price rows read, so a contact after that day
#   settles it until the figure leaves the line and crosses it again;
# - a loan that is overdue is not also "due"; a repaid loan (balance 0) is not due.


def percent(ratio: Decimal) -> str:
    """A signed ratio as people read it: +23.4%, −5.0%."""
    value = (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"+{value}%" if value > 0 else f"{value}%"


def holding_value_fen(units: Decimal, nav: Decimal) -> int:
    """units × nav in fen, rounded half up (money exact: Decimal throughout)."""
    return int((units * nav * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _run_start(rows: Sequence[PriceRow], holds: Callable[[PriceRow], bool]) -> dt.date | None:
    """The first day of the trailing run of rows for which `holds` is true (None: the
    latest row does not hold)."""
    start = None
    for row in reversed(rows):
        if not holds(row):
            break
        start = row.date
    return start


def _after_sales(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    yield from _cards(f, as_of, rules)
    yield from _loans(f, as_of, rules)
    for held in f.held:
        yield from _fund(held, as_of, rules)
        yield from _dividend(held, as_of, rules)
        yield from _yield_change(held, as_of, rules)
    if f.new_product is not None and (
            as_of - cadence.days(rules.events.new_product_days) <= f.new_product[1] <= as_of):
        product, launched = f.new_product
        detail = _("New product {product} launched on {date}").format(
            product=product, date=day_text(launched, as_of))
        content = _("Introduce the new product {product}").format(product=product)
        yield cadence.reason("new_product", detail, launched, as_of, trigger=launched,
                             content=content)


def _cards(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    lead = rules.events.card_repayment_lead_days
    for card in f.cards:
        if not (as_of <= card.due_date <= as_of + cadence.days(lead)):
            continue
        if card.paid_fen >= card.amount_due_fen:
            continue
        owed = card.amount_due_fen - card.paid_fen
        detail = _("Card {card}: ¥{amount} to repay by {date}").format(
            card=mask_card(card.card_no), amount=money_display(owed),
            date=day_text(card.due_date, as_of))
        content = _("Remind to repay card {card}: ¥{amount} by {date}").format(
            card=mask_card(card.card_no), amount=money_display(owed),
            date=day_text(card.due_date, as_of))
        yield cadence.reason("card_repayment", detail, card.due_date, as_of,
                             trigger=card.due_date - cadence.days(lead), content=content)


def _loans(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    lead = rules.events.loan_due_lead_days
    for loan in f.loans:
        name = loan.product or loan.loan_id
        if loan.overdue_days > 0:
            since = (loan.due_date if loan.due_date is not None and loan.due_date < as_of
                     else as_of - cadence.days(loan.overdue_days))
            detail = ngettext("Loan {loan} overdue {days} day: ¥{amount} unpaid",
                              "Loan {loan} overdue {days} days: ¥{amount} unpaid",
                              loan.overdue_days).format(
                loan=name, days=loan.overdue_days, amount=money_display(loan.overdue_amount_fen))
            content = _("Loan {loan} overdue: ¥{amount} to repay, ask why").format(
                loan=name, amount=money_display(loan.overdue_amount_fen))
            yield cadence.reason("loan_overdue", detail, since, as_of, trigger=since,
                                 content=content)
            continue
        day = loan.due_date
        if day is None or loan.balance_fen <= 0 or not (as_of <= day <= as_of + cadence.days(lead)):
            continue
        detail = _("Loan {loan} due on {date} (balance ¥{amount})").format(
            loan=name, date=day_text(day, as_of), amount=money_display(loan.balance_fen))
        content = _("Loan {loan} due on {date}: ¥{amount}").format(
            loan=name, date=day_text(day, as_of), amount=money_display(loan.balance_fen))
        yield cadence.reason("loan_due", detail, day, as_of, trigger=day - cadence.days(lead),
                             content=content)


def _fund(held: Held, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    ev = rules.events
    navs = [p for p in held.prices if p.nav is not None and p.date <= as_of]
    if not navs:
        return
    latest = navs[-1]
    now = cast(Decimal, latest.nav)
    window = cadence.days(ev.nav_move_days)

    def move_of(row: PriceRow) -> tuple[Decimal, Decimal] | None:
        """The NAV nav_move_days before row's day (the latest price on or before it) and
        the move since, as a ratio; None without such a price."""
        bases = [p for p in navs if p.date <= row.date - window]
        if not bases or cast(Decimal, bases[-1].nav) <= 0:
            return None
        before = cast(Decimal, bases[-1].nav)
        return before, (cast(Decimal, row.nav) - before) / before

    def moved(row: PriceRow) -> bool:
        found = move_of(row)
        return found is not None and abs(found[1]) >= ev.nav_move_ratio

    if moved(latest):
        before, move = cast("tuple[Decimal, Decimal]", move_of(latest))
        detail = ngettext("{product} NAV {move} in {days} day ({before} → {after})",
                          "{product} NAV {move} in {days} days ({before} → {after})",
                          ev.nav_move_days).format(
            product=held.product, move=percent(move), days=ev.nav_move_days,
            before=before, after=now)
        content = ngettext("{product} NAV {move} in {days} day",
                           "{product} NAV {move} in {days} days", ev.nav_move_days).format(
            product=held.product, move=percent(move), days=ev.nav_move_days)
        # Arises the first day of the current run of moves past the ratio.
        opens = cast(dt.date, _run_start(navs, moved))
        yield cadence.reason("nav_move", detail, opens, as_of, trigger=opens, content=content)
    if held.units is None or held.cost_fen <= 0:
        return
    units, cost = held.units, held.cost_fen

    def ratio(row: PriceRow) -> Decimal:
        return Decimal(holding_value_fen(units, cast(Decimal, row.nav)) - cost) / Decimal(cost)

    value = holding_value_fen(units, now)
    gain = ratio(latest)
    if gain >= ev.stop_profit_ratio:
        kind = "stop_profit"
        since = _run_start(navs, lambda r: ratio(r) >= ev.stop_profit_ratio)
        content = _("{product} value vs cost {ratio}: consider taking profit")
    elif gain <= -ev.stop_loss_ratio:
        kind = "stop_loss"
        since = _run_start(navs, lambda r: ratio(r) <= -ev.stop_loss_ratio)
        content = _("{product} value vs cost {ratio}: consider cutting the loss")
    else:
        return
    day = cast(dt.date, since)
    detail = _("{product} worth ¥{value} against a cost of ¥{cost} ({ratio})").format(
        product=held.product, value=money_display(value), cost=money_display(cost),
        ratio=percent(gain))
    yield cadence.reason(kind, detail, day, as_of, trigger=day,
                         content=content.format(product=held.product, ratio=percent(gain)))


def _dividend(held: Held, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    first = as_of - cadence.days(rules.events.dividend_days - 1)
    paid = [p for p in held.prices
            if p.dividend is not None and p.dividend > 0 and first <= p.date <= as_of]
    if not paid:
        return
    row = paid[-1]
    detail = _("{product} paid a dividend of ¥{amount} per unit on {date}").format(
        product=held.product, amount=row.dividend, date=day_text(row.date, as_of))
    content = _("{product} dividend ¥{amount} per unit").format(
        product=held.product, amount=row.dividend)
    yield cadence.reason("dividend", detail, row.date, as_of, trigger=row.date, content=content)


def _yield_change(held: Held, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    rows = [p for p in held.prices if p.yield_pct is not None and p.date <= as_of]
    if len(rows) < 2:
        return
    before, after = cast(Decimal, rows[-2].yield_pct), cast(Decimal, rows[-1].yield_pct)
    change_bp = (after - before) * 100
    if abs(change_bp) < rules.events.yield_change_bp:
        return
    day = rows[-1].date
    detail = _("{product} yield {before}% → {after}% on {date}").format(
        product=held.product, before=before, after=after, date=day_text(day, as_of))
    content = _("{product} yield now {after}% (was {before}%)").format(
        product=held.product, before=before, after=after)
    yield cadence.reason("yield_change", detail, day, as_of, trigger=day, content=content)


# --- §18 the relationship work ---------------------------------------------------------
# Decided where §18 is silent (docs/rules.md "The relationship work on the list"):
# - an appointment is on the list from appointment_lead_days before its day to the day
#   itself, for everyone involved; a contact does not settle it (a call to confirm the
#   visit is not the visit), a cancellation removes it;
# - a complaint is due on its acknowledgement date until acknowledged, then on its
#   resolution date; only resolving it settles it;
# - a special period is a care reason while it lasts, settled for special_period_care_days by
#   any contact (a week of care, then it comes back until the period ends).



def _relationship(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    yield from _loss_risk(f, as_of, rules)
    lead = cadence.days(rules.relationship.appointment_lead_days)
    for appointment in sorted(f.appointments, key=lambda a: a.at):
        day = appointment.at.date()
        if as_of <= day <= as_of + lead:
            yield cadence.reason("appointment", appointment_detail(appointment, as_of), day, as_of)
    for complaint in f.complaints:
        yield _complaint(complaint, as_of)
    if f.special_period and (f.special_until is None or as_of <= f.special_until):
        if f.special_until is None:
            detail = _("Special period: {text}").format(text=f.special_period)
        else:
            detail = _("Special period until {date}: {text}").format(
                text=f.special_period, date=day_text(f.special_until, as_of))
        opens = as_of - cadence.days(rules.relationship.special_period_care_days - 1)
        yield cadence.reason("special_period", detail, as_of, as_of, trigger=opens,
                             content=_("Show care: {text}").format(text=f.special_period))


def appointment_detail(appointment: AppointmentFact, as_of: dt.date) -> str:
    """"Appointment Dec 2 14:30; place: VIP room; with 张经理 M2; purpose: …" (§18)."""
    parts = [_("Appointment {date} {time}").format(
        date=day_text(appointment.at.date(), as_of), time=appointment.at.strftime("%H:%M"))]
    if appointment.place:
        parts.append(_("place: {place}").format(place=appointment.place))
    if appointment.others:
        parts.append(_("with {staff}").format(staff=_(", ").join(appointment.others)))
    if appointment.purpose:
        parts.append(_("purpose: {purpose}").format(purpose=appointment.purpose))
    return _("; ").join(parts)


# (serious, acknowledged, past the deadline) → what the list says (§18)
COMPLAINT_TEXTS = {
    (False, False, False): N_("Complaint #{id}: acknowledge by {date}"),
    (True, False, False): N_("Serious complaint #{id}: acknowledge by {date}"),
    (False, True, False): N_("Complaint #{id}: resolve by {date}"),
    (True, True, False): N_("Serious complaint #{id}: resolve by {date}"),
    (False, False, True): N_("Complaint #{id}: acknowledgement overdue by {days} days (due {date})"),
    (True, False, True): N_("Serious complaint #{id}: acknowledgement overdue by {days} days "
                            "(due {date})"),
    (False, True, True): N_("Complaint #{id}: resolution overdue by {days} days (due {date})"),
    (True, True, True): N_("Serious complaint #{id}: resolution overdue by {days} days "
                           "(due {date})"),
}


def _complaint(c: ComplaintFact, as_of: dt.date) -> cadence.Reason:
    acknowledged = c.acknowledged_on is not None and c.acknowledged_on <= as_of
    due = c.resolve_due if acknowledged else c.ack_due
    text = _(COMPLAINT_TEXTS[(c.serious, acknowledged, due < as_of)])
    detail = text.format(id=c.complaint_id, date=day_text(due, as_of), days=(as_of - due).days)
    content = _("Handle complaint #{id} with care and say what happens next").format(
        id=c.complaint_id)
    return cadence.reason("complaint", detail, due, as_of, content=content)


def _loss_risk(f: Facts, as_of: dt.date, rules: Rules) -> Iterator[cadence.Reason]:
    """§18: a card holder whose latest screened ADB12 is below loss_risk_ratio of its card
    tier's floor; a retention alert, settled by a contact after the screening."""
    if f.card_tier is None or f.adb12_fen is None:
        return
    floor = yuan_to_fen(getattr(rules.tiers, f.card_tier))
    ratio = rules.relationship.loss_risk_ratio
    if f.adb12_fen >= floor * ratio:
        return
    detail = _("Assets (ADB12) ¥{adb12} at the {month} screening, below {ratio} of the {tier} "
               "floor ¥{floor}: at risk of loss").format(
        adb12=money_display(f.adb12_fen), month=f.screened_month or "—", ratio=f"{ratio:.0%}",
        tier=labels.tier(f.card_tier), floor=money_display(floor))
    screened = _after_month(f.screened_month, as_of)
    yield cadence.reason("loss_risk", detail, screened, as_of, trigger=screened,
                         content=_("Visit to keep the customer: ask what has changed"))
