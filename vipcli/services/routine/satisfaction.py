"""Satisfaction (客户意见调查, SPEC §18): the customers' own 1–5 ratings, logged on contacts
(`vip log-contact … --satisfaction N`), averaged per month.

Decisions where the spec is silent (docs/rules.md "Satisfaction"):
- a rating counts for the staff member who logged the contact (the one the customer
  rated) and for the outlet of the customer;
- the average is exact (Decimal), rounded half up to 2 places; a month without ratings
  has no average (null), not 0;
- the branch head sees the outlet and each staff member; a manager or advisor sees its own
  ratings only (`scope` "own"); the trend is the 6 months ending with the month asked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from sqlalchemy import select

from vipcli.db.models import Branch, Contact, Customer, Staff
from vipcli.domain.tiers import shift_month
from vipcli.i18n import _
from vipcli.services.core.context import Context

TREND_MONTHS = 6
_CENT = Decimal("0.01")


class Rating(TypedDict):
    """The ratings of a month: their average (2 decimals, exact) and how many."""

    average: str | None
    count: int


class StaffRating(Rating):
    staff_id: str
    name: str


class MonthRating(Rating):
    month: str


class SatisfactionReport(TypedDict):
    """`vip report satisfaction --json`: the month's outlet and per-staff averages, trend."""

    month: str
    branch_id: str
    branch_name: str | None
    scope: str  # "outlet" (branch head) or "own"
    outlet: Rating
    by_manager: list[StaffRating]
    trend: list[MonthRating]


def average(ratings: list[int]) -> Rating:
    if not ratings:
        return {"average": None, "count": 0}
    mean = (Decimal(sum(ratings)) / len(ratings)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return {"average": str(mean), "count": len(ratings)}


def report(ctx: Context, month: str | None = None) -> SatisfactionReport:
    from vipcli.services.contact.compliance import periods, reader

    actor, month = reader(ctx, _("see the satisfaction report"), month)
    after = periods(month)[1]
    first_month = shift_month(month, 1 - TREND_MONTHS)
    start = periods(first_month)[0]
    scope = (Customer.branch_id == actor.branch_id if actor.role == "branch_head"
             else Contact.staff_id == actor.staff_id)
    stmt = (select(Contact.contacted_at, Contact.satisfaction, Contact.staff_id, Staff.name)
            .join(Customer, Customer.customer_id == Contact.customer_id)
            .join(Staff, Staff.staff_id == Contact.staff_id)
            .where(scope, Contact.satisfaction.is_not(None),
                   Contact.contacted_at >= dt.datetime.combine(start, dt.time()),
                   Contact.contacted_at < dt.datetime.combine(after, dt.time())))
    by_month: dict[str, list[int]] = defaultdict(list)
    by_staff: dict[tuple[str, str], list[int]] = defaultdict(list)
    with ctx.engine.connect() as conn:
        for at, value, staff_id, name in conn.execute(stmt):
            key, rating = at.strftime("%Y-%m"), value or 0  # never null: the WHERE says so
            by_month[key].append(rating)
            if key == month:
                by_staff[(staff_id, name)].append(rating)
        branch_name = conn.execute(select(Branch.name).where(
            Branch.branch_id == actor.branch_id)).scalar()
    months = [shift_month(first_month, n) for n in range(TREND_MONTHS)]
    return {
        "month": month, "branch_id": actor.branch_id, "branch_name": branch_name,
        "scope": "outlet" if actor.role == "branch_head" else "own",
        "outlet": average(by_month[month]),
        "by_manager": [{"staff_id": sid, "name": name, **average(r)}
                       for (sid, name), r in sorted(by_staff.items())],
        "trend": [{"month": m, **average(by_month[m])} for m in months],
    }
