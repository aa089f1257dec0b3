"""The morning list `vip due` (SPEC §5, contract §15).

One row per customer with all its reasons, most urgent first. The book is fetched
once through an index (customers.manager_id / advisor_id, or the outlet), then each
source table is read once, grouped, for the book's ids (`due_facts`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NotRequired, TypedDict

from sqlalchemy import and_, func, select

from vipcli import clock
from vipcli.config import Rules
from vipcli.domain import cadence
from vipcli.domain.due_rules import evaluate
from vipcli.domain.vocabulary import CLOSED_STATUSES
from vipcli.errors import NotFound, PermissionDenied
from vipcli.i18n import _
from vipcli.services.contact import due_facts
from vipcli.services.contact.due_facts import BRANCHES, STAFF
from vipcli.services.core.access import BOOK_ROLES, require_role
from vipcli.services.core.context import Actor, Context
from vipcli.services.core.holiday_cache import greeting_holidays

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from vipcli.domain.due_rules import Facts
    from vipcli.services.contact.due_facts import BookRow
    from vipcli.services.sales.recommend import IdeaItem


class DueReason(TypedDict):
    """§15: one reason to contact the customer (the kinds of §5, §17, §18); `detail` is one
    plain sentence in the active language (§16)."""

    kind: str
    detail: str
    due_date: str
    overdue_days: int


class DueItem(TypedDict):
    """§15: one customer of the morning list with all its reasons, most urgent first."""

    customer_id: str
    name: str
    tier: str | None  # the card tier (the qualified one for a potential VIP)
    cadence_tier: str | None  # §5: the tier that set its cadence (the higher of card and qualified)
    phone: str | None  # masked (§13)
    priority: str
    reasons: list[DueReason]
    suggested_channel: str
    suggested_content: str
    idea: IdeaItem | None


class DueWeek(TypedDict):
    """§15 `week`: distinct customers contacted this week against the weekly rule (§5)."""

    contacted: int
    target: int | None


class HolidayGreeting(TypedDict):
    """A holiday within the lead days, with the customers still to greet for it."""

    date: str
    holiday: str
    customers: int


class OutletSummary(TypedDict):
    """For the branch head: unreviewed reports and retention alerts across the outlet, and
    the customers marked lost in the last `lost_notice_days` days (§18)."""

    unreviewed_reports: int
    retention_alerts: int
    lost_recently: int
    lost_days: int  # the window of lost_recently


# §18: the reasons that put a customer on the list of someone whose book it is not in
# (a joint visit, a complaint owned by another member of staff): only those are shown.
CALENDAR_KINDS = frozenset({"appointment", "complaint"})


class DueList(TypedDict):
    """§15 `vip due --json`: the morning list of a book, the outlet or one staff member."""

    as_of: str
    staff_id: str | None  # None: the whole outlet (branch head)
    staff_name: str | None
    branch_id: str
    branch_name: str | None
    week: DueWeek
    holidays: list[HolidayGreeting]
    total: int  # every item before any limit
    shown: int  # len(items)
    # §5: the month whose asset extract should be the latest and is missing, else None.
    missing_extract: str | None
    items: list[DueItem]
    outlet: NotRequired[OutletSummary]  # the branch head's list only


def due_list(ctx: Context, *, staff_id: str | None = None, as_of: dt.date | None = None,
             limit: int | None = None) -> DueList:
    """The §15 document for the actor's book, the outlet (branch head) or --staff: every
    item, or the `limit` most urgent (`total` counts them all either way)."""
    actor = ctx.actor()
    as_of = as_of or clock.today()
    with ctx.engine.connect() as db:
        subject, role, name = whose_list(db, actor, staff_id)
        missing = due_facts.missing_extract(db, as_of)
        book = Book.read(db, actor, subject, role, as_of, as_of, ctx.rules)
        items, holidays = _items(db, book, as_of, ctx.rules, missing)
        shown = items[:limit] if limit else items
        _attach_ideas(db, shown, as_of, ctx.rules)
        doc: DueList = {"as_of": as_of.isoformat(), "staff_id": subject, "staff_name": name,
                        "branch_id": actor.branch_id, "branch_name": _branch_name(db, actor),
                        "week": _week(db, actor, subject, role, as_of, ctx.rules),
                        "holidays": holidays, "total": len(items), "shown": len(shown),
                        "missing_extract": missing, "items": shown}
        if actor.role == "branch_head":
            doc["outlet"] = _outlet_summary(db, actor, items, subject, as_of, ctx.rules, missing)
    return doc


def due_reasons_for(session: Session | Connection, customer_ids: list[str], as_of: dt.date,
                    rules: Rules) -> dict[str, list[DueReason]]:
    """Every reason of the given customers (for the profile page); none → absent."""
    ids = list(customer_ids)
    lead = dt.timedelta(days=rules.relationship.appointment_lead_days)
    book = Book(due_facts.customer_rows(session, ids),
                due_facts.calendar(session, as_of, as_of + lead, customer_ids=ids), frozenset())
    items, _holidays = _items(session, book, as_of, rules, due_facts.missing_extract(session, as_of))
    return {item["customer_id"]: item["reasons"] for item in items}


@dataclass(frozen=True)
class Book:
    """The customers of one list (§5) with their §18 calendar: the book's rows, the rows of
    customers outside it brought in by an appointment or a complaint (`extras`: only
    those reasons are theirs on this list), and the appointments and complaints."""

    rows: list[BookRow]
    calendar: due_facts.Calendar
    extras: frozenset[str]

    @classmethod
    def read(cls, db: Connection, actor: Actor, subject: str | None, role: str,
             first: dt.date, last: dt.date, rules: Rules) -> Book:
        """`subject`'s book (None: the actor's outlet) with its calendar for first .. last."""
        ids = _book_ids(db, actor, subject, role)
        lead = dt.timedelta(days=rules.relationship.appointment_lead_days)
        if subject is None:  # §18: the branch head's own, and the outlet's serious complaints
            cal = due_facts.calendar(db, first, last + lead, staff_id=actor.staff_id,
                                     outlet=actor.branch_id)
        else:
            cal = due_facts.calendar(db, first, last + lead, staff_id=subject)
        extras = frozenset(cal[0].keys() | cal[1].keys()) - set(ids)
        return cls(due_facts.customer_rows(db, [*ids, *sorted(extras)]), cal, extras)

    def facts(self, db: Session | Connection, as_of: dt.date, rules: Rules,
              until: dt.date | None = None) -> dict[str, Facts]:
        facts = due_facts.gather(db, self.rows, as_of, rules, until)
        appointments, complaints = self.calendar
        for cid, found in appointments.items():
            if cid in facts:
                facts[cid].appointments = found
        for cid, open_ in complaints.items():
            if cid in facts:
                facts[cid].complaints = open_
        return facts

    def reasons(self, fact: Facts, as_of: dt.date, rules: Rules,
                holidays: list[tuple[dt.date, str]], missing: str | None) -> list[cadence.Reason]:
        found = evaluate(fact, as_of, rules, holidays, missing)
        if fact.customer_id in self.extras:
            return [r for r in found if r.kind in CALENDAR_KINDS]
        return found


def whose_list(db, actor: Actor, staff_id: str | None) -> tuple[str | None, str, str | None]:
    """Whose book, that person's role and name: the actor's own; the branch head's outlet
    (None) or one of its staff."""
    if actor.role == "branch_head":
        if staff_id is None:
            return None, actor.role, None
        found = db.execute(select(STAFF.branch_id, STAFF.role, STAFF.name)
                           .where(STAFF.staff_id == staff_id)).first()
        if found is None:
            raise NotFound(_("unknown staff member {staff}").format(staff=staff_id))
        if found.branch_id != actor.branch_id:
            raise PermissionDenied(_("staff member {staff} is not at your outlet {outlet}").format(
                staff=staff_id, outlet=actor.branch_id))
        return staff_id, found.role, found.name
    require_role(actor, BOOK_ROLES, _("see a morning list"))
    if staff_id not in (None, actor.staff_id):
        raise PermissionDenied(_("{actor} may see only its own list; --staff is for the "
                                 "outlet's branch head").format(actor=actor.describe()))
    return actor.staff_id, actor.role, actor.name


def _branch_name(db, actor: Actor) -> str | None:
    return db.execute(select(BRANCHES.name).where(BRANCHES.branch_id == actor.branch_id)).scalar()


def _book_ids(db, actor: Actor, subject: str | None, role: str) -> list[str]:
    """One indexed equality: `manager_id = X OR advisor_id = X` makes SQLite scan the
    whole table when most customers have no advisor (the index's statistics say so)."""
    k = due_facts.CUSTOMERS
    if subject is None:  # the outlet: every managed customer
        where = and_(k.branch_id == actor.branch_id, k.manager_id.is_not(None))
    elif role == "advisor":  # §2: advisors back Diamond and Platinum customers up
        where = k.advisor_id == subject
    else:
        where = k.manager_id == subject
    if actor.role == "branch_head":
        where = and_(where, k.branch_id == actor.branch_id)
    return list(db.execute(select(k.customer_id).where(where, k.status.not_in(CLOSED_STATUSES)))
                .scalars())


def _items(db: Session | Connection, book: Book, as_of: dt.date, rules: Rules,
           missing: str | None) -> tuple[list[DueItem], list[HolidayGreeting]]:
    rows = book.rows
    facts = book.facts(db, as_of, rules)
    lead = dt.timedelta(days=rules.events.holiday_lead_days)
    holidays = greeting_holidays(as_of, as_of + lead) if rows else []
    keyed: list[tuple[tuple, DueItem]] = []
    for row in rows:
        if row.status in CLOSED_STATUSES:  # §18: a lost customer leaves the list
            continue
        fact = facts[row.customer_id]
        reasons = book.reasons(fact, as_of, rules, holidays, missing)
        if reasons:
            prio = cadence.priority(reasons, as_of)
            key = cadence.sort_key(prio, fact.cadence_tier, reasons, row.customer_id)
            keyed.append((key, _item(row, fact.tier, fact.cadence_tier, prio, reasons)))
    items = [item for _key, item in sorted(keyed, key=lambda pair: pair[0])]
    return items, _holiday_summary(items, holidays)


def _item(row: BookRow, tier: str | None, cadence_tier: str | None, prio: str,
          reasons: list[cadence.Reason]) -> DueItem:
    return {
        "customer_id": row.customer_id, "name": row.name, "tier": tier,
        "cadence_tier": cadence_tier, "phone": row.phone_masked, "priority": prio,
        "reasons": [_reason(r) for r in reasons],
        "suggested_channel": cadence.suggested_channel([r.kind for r in reasons],
                                                       row.preferred_channel),
        "suggested_content": cadence.suggested_content(row.orientation, reasons), "idea": None,
    }


def _holiday_summary(items: list[DueItem], holidays: list[tuple[dt.date, str]]) -> list[HolidayGreeting]:
    """§5: one line per holiday with the number of customers still to greet (a customer
    contacted since the greeting window opened is settled)."""
    summary: list[HolidayGreeting] = []
    for day, name in holidays:
        when = day.isoformat()
        count = sum(1 for item in items
                    if any(r["kind"] == "holiday" and r["due_date"] == when for r in item["reasons"]))
        summary.append({"date": when, "holiday": name, "customers": count})
    return summary


def _reason(reason: cadence.Reason) -> DueReason:
    return {"kind": reason.kind, "detail": reason.detail,
            "due_date": reason.due_date.isoformat(), "overdue_days": reason.overdue_days}


def _attach_ideas(db: Connection, items: list[DueItem], as_of: dt.date, rules: Rules) -> None:
    """§5: the top cross-sell idea per row, from the recommendations (§8)."""
    if not items:
        return
    from vipcli.services.sales.recommend import top_ideas

    # On the list's own connection: the ideas read through Core, no ORM session (issue 12).
    ideas = top_ideas(db, [i["customer_id"] for i in items], as_of, rules)
    for item in items:
        item["idea"] = ideas.get(item["customer_id"])


def week_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The ISO week (Monday to Sunday) containing day, as [start, end) datetimes."""
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time())
    return start, start + dt.timedelta(days=7)


def _week(db: Connection, actor: Actor, subject: str | None, role: str, as_of: dt.date,
          rules: Rules) -> DueWeek:
    """§5: distinct customers contacted this week against the 10-a-week rule, which binds
    account managers (target null for anyone else's own list)."""
    start, end = week_bounds(as_of)
    end = min(end, dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))  # replays
    k, staff = due_facts.CONTACTS, STAFF
    target = rules.contact.weekly_contacts_per_manager
    stmt = select(func.count(func.distinct(k.customer_id))).where(
        k.contacted_at >= start, k.contacted_at < end)
    if subject is not None:
        return {"contacted": db.execute(stmt.where(k.staff_id == subject)).scalar_one(),
                "target": target if role == "account_manager" else None}
    managers = select(staff.staff_id).where(
        staff.branch_id == actor.branch_id, staff.role == "account_manager",
        staff.active.is_(True))
    count = len(db.execute(managers).all())
    contacted = db.execute(stmt.where(k.staff_id.in_(managers))).scalar_one()
    return {"contacted": contacted, "target": target * count}


def _outlet_summary(db: Connection, actor: Actor, items: list[DueItem], subject: str | None,
                    as_of: dt.date, rules: Rules, missing: str | None) -> OutletSummary:
    """For the branch head: unreviewed reports and retention alerts across the outlet."""
    if subject is None:
        alerts = sum(1 for item in items if item["priority"] == "retention")
    else:
        outlet = Book.read(db, actor, None, actor.role, as_of, as_of, rules)
        outlet_items, _holidays = _items(db, outlet, as_of, rules, missing)
        alerts = sum(1 for item in outlet_items if item["priority"] == "retention")
    days = rules.relationship.lost_notice_days
    lost = due_facts.recently_lost(db, actor.branch_id, as_of - dt.timedelta(days=days - 1), as_of)
    return {"unreviewed_reports": due_facts.unreviewed_reports(db, actor.branch_id),
            "retention_alerts": alerts, "lost_recently": lost, "lost_days": days}
