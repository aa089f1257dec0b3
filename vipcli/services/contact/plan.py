"""`vip plan week`: the week's visit plan, per day (SPEC §18, contract §15).

Each day, Monday to Sunday (an outlet opens at weekends too), holds its appointments and
the customers falling due that day. The book and its facts are read once, as the morning
list reads them (`vip due`: the same queries, with the windows that look ahead reaching
the week's end), then the rules are evaluated day by day on those facts — no query per
day or per customer.

Decided where §18 is silent (docs/rules.md "the week's visit plan"):
- a customer falls due on the first day from today on whose list it would head with
  something due that day (a reason whose date has come): everything already overdue lands
  on today; a birthday, a maturity or a complaint deadline later in the week lands on its
  day. Each customer appears once. Days before today keep their appointments only (what
  was due then and is still open is today's);
- appointments are listed on their own, not again as a reason to be due;
- whose plan: as `vip due` — one's own book, the branch head's the outlet's (or --staff).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from vipcli import clock
from vipcli.domain import cadence
from vipcli.domain.vocabulary import CLOSED_STATUSES
from vipcli.errors import InvalidInput
from vipcli.i18n import _
from vipcli.services.contact import appointments, due_facts
from vipcli.services.contact.due import Book, whose_list
from vipcli.services.core.holiday_cache import greeting_holidays
from vipcli.services.core.weeks import parse_week, week_of

if TYPE_CHECKING:
    from vipcli.config import Rules
    from vipcli.domain.due_rules import Facts
    from vipcli.services.contact.appointments import AppointmentDoc
    from vipcli.services.core.context import Context



class PlanCustomer(TypedDict):
    """A customer falling due on a day: who, and the kinds of its reasons due that day."""

    customer_id: str
    name: str
    tier: str | None
    priority: str
    kinds: list[str]


class PlanDay(TypedDict):
    """§15: one day of the plan: its appointments and the customers falling due."""

    date: dt.date
    appointments: list[AppointmentDoc]
    due: list[str]  # customer ids, most urgent first
    customers: list[PlanCustomer]  # the same customers, for reading


class WeekPlan(TypedDict):
    """§15 `vip plan week --json`: {"week", "days": [{"date", "appointments", "due"}]}."""

    week: str
    staff_id: str | None  # None: the whole outlet (branch head)
    staff_name: str | None
    branch_id: str
    today: dt.date
    days: list[PlanDay]


def week_span(week: str | None, day: dt.date | None, today: dt.date) -> tuple[str, dt.date]:
    """'2026-W48', or the week holding `day` (default today) → (label, its Monday)."""
    if week is not None:
        monday = parse_week(week.strip())[0]
    else:
        day = day or today
        monday = day - dt.timedelta(days=day.weekday())
    return week_of(monday), monday


def week_plan(ctx: Context, *, week: str | None = None, day: dt.date | None = None,
              staff_id: str | None = None) -> WeekPlan:
    if week is not None and day is not None:
        raise InvalidInput(_("--week and --date cannot be used together"))
    actor = ctx.actor()
    today = clock.today()
    label, monday = week_span(week, day, today)
    sunday = monday + dt.timedelta(days=6)
    with ctx.engine.connect() as db:
        subject, role, name = whose_list(db, actor, staff_id)
        listed = appointments.week(db, actor, monday, sunday, staff_id=subject)
        due = _due_by_day(db, Book.read(db, actor, subject, role, today, sunday, ctx.rules),
                          today, monday, sunday, ctx.rules) if sunday >= today else {}
    days: list[PlanDay] = []
    for n in range(7):
        date = monday + dt.timedelta(days=n)
        customers = due.get(date, [])
        days.append({"date": date,
                     "appointments": [a for a in listed if a["at"].date() == date],
                     "due": [c["customer_id"] for c in customers], "customers": customers})
    return {"week": label, "staff_id": subject, "staff_name": name, "branch_id": actor.branch_id,
            "today": today, "days": days}


def _due_by_day(db, book: Book, today: dt.date, monday: dt.date, sunday: dt.date,
                rules: Rules) -> dict[dt.date, list[PlanCustomer]]:
    """Each customer on the first day from today (or Monday) it falls due, most urgent
    first within a day; the facts read once, the rules evaluated per day."""
    first = max(today, monday)
    facts = book.facts(db, today, rules, until=sunday)
    missing = due_facts.missing_extract(db, first)
    lead = dt.timedelta(days=rules.events.holiday_lead_days)
    holidays = greeting_holidays(first, sunday + lead) if book.rows else []
    pending = [row for row in book.rows if row.status not in CLOSED_STATUSES]
    placed: dict[dt.date, list[tuple[tuple, PlanCustomer]]] = {}
    day = first
    while day <= sunday and pending:
        near = [h for h in holidays if day <= h[0] <= day + lead]
        waiting = []
        for row in pending:
            found = _due_on(book, facts[row.customer_id], day, rules, near, missing)
            if found is None:
                waiting.append(row)
                continue
            prio = cadence.priority(found, day)
            key = cadence.sort_key(prio, facts[row.customer_id].cadence_tier, found, row.customer_id)
            fact = facts[row.customer_id]
            placed.setdefault(day, []).append((key, {
                "customer_id": row.customer_id, "name": row.name, "tier": fact.tier,
                "priority": prio, "kinds": list(dict.fromkeys(r.kind for r in found))}))
        pending = waiting
        day += dt.timedelta(days=1)
    return {d: [c for _key, c in sorted(found, key=lambda pair: pair[0])]
            for d, found in placed.items()}


def _due_on(book: Book, fact: Facts, day: dt.date, rules: Rules,
            holidays: list[tuple[dt.date, str]], missing: str | None) -> list[cadence.Reason] | None:
    """The reasons due on `day` (their date come), appointments aside; None: nothing due."""
    found = [r for r in book.reasons(fact, day, rules, holidays, missing)
             if r.due_date <= day and r.kind != "appointment"]
    return found or None
