"""`vip report compliance`: the contact rules of §5 counted on calendar periods.

Per manager and tier: customers meeting the monthly cadence (call credits in the
calendar month, a meeting = 2), the quarterly minimum (any contact in the calendar
quarter containing the month) and, per ISO week overlapping the month, whether the
manager contacted at least weekly_contacts_per_manager distinct customers. A week that
has not ended (its Sunday is today or later) is not yet met or missed: `met` is None and
`ended` false, and `weeks_met` counts out of the `weeks_ended` only.
The book is the current one (customers.manager_id); contacts by anyone count for a
customer's cadence, the weekly rule counts the manager's own contacts.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import case, distinct, func, or_, select

from vipcli import clock
from vipcli.db import models
from vipcli.domain import cadence
from vipcli.domain.tiers import month_days
from vipcli.domain.vocabulary import CLOSED_STATUSES, TIERS
from vipcli.errors import InvalidInput
from vipcli.i18n import _
from vipcli.services.core.access import BOOK_ROLES, require_role
from vipcli.services.core.context import Actor, Context
from vipcli.services.core.weeks import week_of


class TierCompliance(TypedDict):
    """One manager's customers of a tier meeting the monthly cadence and quarterly minimum."""

    tier: str
    customers: int
    monthly_met: int | None  # None: the tier has no monthly cadence
    quarterly_met: int


class WeekCompliance(TypedDict):
    """One ISO week: distinct customers contacted against the weekly rule (§5)."""

    week: str
    contacted: int
    target: int | None  # None (and met None): the rule does not bind this staff member
    met: bool | None  # None too while the week has not ended
    ended: bool  # False: the week runs on (or lies ahead); never counted as missed


class ManagerCompliance(TypedDict):
    """One staff member's book counted against the contact rules of §5."""

    staff_id: str
    name: str
    role: str
    tiers: list[TierCompliance]
    weeks: list[WeekCompliance]
    weeks_met: int | None
    weeks_ended: int  # the weeks weeks_met is out of


class ComplianceReport(TypedDict):
    """`vip report compliance --json`: the month, its quarter [first, last day], per manager."""

    month: str
    quarter: list[str]
    managers: list[ManagerCompliance]


def periods(month: str) -> tuple[dt.date, dt.date, dt.date, dt.date, list[dt.date]]:
    """Month start/end (exclusive), quarter start/end (exclusive), Mondays of its ISO weeks."""
    try:
        first = dt.date.fromisoformat(f"{month}-01")
        if not 1900 <= first.year <= 2099:  # §13: the years every date option takes
            raise ValueError
    except ValueError:
        raise InvalidInput(_("--month must look like 2026-11 (years 1900 to 2099), got {value!r}")
                           .format(value=month)) from None
    after = first + dt.timedelta(days=month_days(month))
    q_first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    q_after = dt.date(q_first.year + (q_first.month + 3 > 12), (q_first.month + 2) % 12 + 1, 1)
    monday = first - dt.timedelta(days=first.weekday())
    mondays = []
    while monday < after:
        mondays.append(monday)
        monday += dt.timedelta(days=7)
    return first, after, q_first, q_after, mondays


def _ended(monday: dt.date, today: dt.date) -> bool:
    """A week has ended once its Sunday is past: the week of today is still running."""
    return monday + dt.timedelta(days=7) <= today


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def reader(ctx: Context, doing: str, month: str | None) -> tuple[Actor, str]:
    """Who reads a monthly report and which month: the branch head (its outlet) or one who
    holds a book (its own); the month given, else this one."""
    actor = ctx.actor()
    if actor.role != "branch_head":
        require_role(actor, BOOK_ROLES, doing)
    return actor, month or clock.today().strftime("%Y-%m")


def compliance(ctx: Context, month: str | None = None) -> ComplianceReport:
    actor, month = reader(ctx, _("see the compliance report"), month)
    today = clock.today()
    first, after, q_first, q_after, mondays = periods(month)
    rules = ctx.rules
    with ctx.engine.connect() as db:
        staff = _managers(db, actor)
        ids = [s for s, _, _ in staff]
        book = _book(db, ids)
        counts = _customer_counts(db, ids, first, after, q_first, q_after, rules)
        weeks = _weeks(db, ids, mondays)
    target = rules.contact.weekly_contacts_per_manager
    managers: list[ManagerCompliance] = []
    for staff_id, name, role in staff:
        tiers: list[TierCompliance] = []
        for tier in TIERS:
            customers = [cid for cid, (mgr, t) in book.items() if mgr == staff_id and t == tier]
            need = cadence.calls_per_month(tier, rules)
            monthly = (None if need is None else
                       sum(1 for cid in customers if counts.get(cid, (0, 0))[0] >= need))
            quarterly = sum(1 for cid in customers if counts.get(cid, (0, 0))[1] > 0)
            tiers.append({"tier": tier, "customers": len(customers), "monthly_met": monthly,
                          "quarterly_met": quarterly})
        # §5: the 10-a-week rule binds account managers; others' weeks are shown bare.
        bound = role == "account_manager"
        week_rows: list[WeekCompliance] = [
            {"week": week_of(d), "contacted": n,
             "target": target if bound else None,
             "met": n >= target if bound and _ended(d, today) else None,
             "ended": _ended(d, today)}
            for d, n in zip(mondays, weeks.get(staff_id, [0] * len(mondays)), strict=True)]
        managers.append({"staff_id": staff_id, "name": name, "role": role, "tiers": tiers,
                         "weeks": week_rows,
                         "weeks_met": sum(1 for w in week_rows if w["met"]) if bound else None,
                         "weeks_ended": sum(1 for w in week_rows if w["ended"])})
    return {"month": month, "quarter": [q_first.isoformat(), (q_after - dt.timedelta(days=1)).isoformat()],
            "managers": managers}


def _managers(db, actor) -> list[tuple[str, str, str]]:
    s = models.Staff
    if actor.role != "branch_head":
        return [(actor.staff_id, actor.name, actor.role)]
    primary = select(models.Customer.manager_id).where(models.Customer.branch_id == actor.branch_id)
    stmt = select(s.staff_id, s.name, s.role).where(
        s.branch_id == actor.branch_id,
        or_(s.staff_id.in_(primary), (s.role == "account_manager") & s.active.is_(True)),
    ).order_by(s.staff_id)
    return [tuple(r) for r in db.execute(stmt)]


def _book(db, ids: list[str]) -> dict[str, tuple[str, str | None]]:
    k = models.Customer
    stmt = select(k.customer_id, k.manager_id, func.coalesce(k.signed_tier, k.qualified_tier)).where(
        k.manager_id.in_(ids), k.status.not_in(CLOSED_STATUSES))
    return {cid: (mgr, tier) for cid, mgr, tier in db.execute(stmt)}


def _customer_counts(db, ids, first, after, q_first, q_after, rules) -> dict[str, tuple[int, int]]:
    """Per customer: call credits in the month (§5: meeting = 2) and contacts in the quarter."""
    k, cu = models.Contact, models.Customer
    in_month = (k.contacted_at >= _at(first)) & (k.contacted_at < _at(after))
    credits = case((in_month & (k.channel == cadence.CALL), rules.contact.call_credits),
                   (in_month & (k.channel == cadence.MEETING), rules.contact.meeting_credits),
                   else_=0)
    stmt = (select(k.customer_id, func.sum(credits), func.count())
            .join(cu, cu.customer_id == k.customer_id)
            .where(cu.manager_id.in_(ids), k.contacted_at >= _at(q_first),
                   k.contacted_at < _at(q_after))
            .group_by(k.customer_id))
    return {cid: (int(credit or 0), n) for cid, credit, n in db.execute(stmt)}


def _weeks(db, ids, mondays) -> dict[str, list[int]]:
    """Per manager, distinct customers it contacted in each ISO week."""
    k = models.Contact
    cols = [func.count(distinct(case(((k.contacted_at >= _at(d)) &
                                      (k.contacted_at < _at(d + dt.timedelta(days=7))),
                                      k.customer_id))))
            for d in mondays]
    stmt = (select(k.staff_id, *cols)
            .where(k.staff_id.in_(ids), k.contacted_at >= _at(mondays[0]),
                   k.contacted_at < _at(mondays[-1] + dt.timedelta(days=7)))
            .group_by(k.staff_id))
    return {row[0]: [int(n) for n in row[1:]] for row in db.execute(stmt)}
