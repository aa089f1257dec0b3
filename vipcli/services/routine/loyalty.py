"""Contribution and loyalty figures per signed VIP (客户精细化管理, SPEC §11).

Kept simple, as the handbook only asks to "evaluate each customer's contribution and
loyalty": contribution = ADB12 and its share of the outlet's total ADB12, plus the
current holdings (not matured); loyalty = distinct products held, whole months at the
signed tier (since tier_since) and contacts a month over the last 12 months.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, or_, select

from vipcli.db.models import Contact, Customer, Holding
from vipcli.domain import retention as retention_rules
from vipcli.domain.money import money_str
from vipcli.domain.vocabulary import CLOSED_STATUSES
from vipcli.services.core import standing
from vipcli.services.core.access import visible_clause
from vipcli.services.core.context import Actor

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

LOYALTY_WINDOW_MONTHS = 12


class CustomerLoyalty(TypedDict):
    """One signed VIP's contribution and loyalty (§11), in `vip report retention`."""

    customer_id: str
    name: str
    tier: str | None
    adb12: str | None
    adb12_share: float | None
    holdings: int
    products: int
    tenure_months: int | None
    contacts_per_month: float


def _share(part: int, whole: int) -> float | None:
    value = retention_rules.rate(part, whole)
    return None if value is None else float(value)


def contribution_and_loyalty(session: Session, actor: Actor,
                             today: dt.date) -> list[CustomerLoyalty]:
    """§11 contribution (ADB12 share of the outlet, holdings) and loyalty (tenure, products
    held, contacts a month over the last 12 months) of every signed VIP the actor sees."""
    latest, on = standing.latest_result_join(Customer.customer_id, Customer.branch_id)
    outlet_total = session.execute(
        select(func.coalesce(func.sum(latest.c.adb12_fen), 0))
        .select_from(Customer).outerjoin(latest, on).where(
            Customer.branch_id == actor.branch_id
        )
    ).scalar_one()
    vips = session.execute(
        select(Customer.customer_id, Customer.name, Customer.signed_tier, Customer.tier_since,
               latest.c.adb12_fen)
        .outerjoin(latest, on)
        .where(visible_clause(actor), Customer.signed_tier.is_not(None),
               Customer.status.not_in(CLOSED_STATUSES))
        .order_by(latest.c.adb12_fen.desc().nulls_last(), Customer.customer_id)
    ).all()
    current = or_(Holding.maturity_date.is_(None), Holding.maturity_date >= today)
    held = {r[0]: (r[1], r[2]) for r in session.execute(
        select(Holding.customer_id, func.count(), func.count(func.distinct(Holding.product_code)))
        .join(Customer, Customer.customer_id == Holding.customer_id)
        .where(visible_clause(actor), Customer.signed_tier.is_not(None), current)
        .group_by(Holding.customer_id)
    )}
    since = dt.datetime.combine(today, dt.time.min) - dt.timedelta(days=365)
    contacts = dict(session.execute(
        select(Contact.customer_id, func.count())
        .join(Customer, Customer.customer_id == Contact.customer_id)
        .where(visible_clause(actor), Customer.signed_tier.is_not(None), Contact.contacted_at >= since)
        .group_by(Contact.customer_id)
    ).all())
    return [
        {"customer_id": v.customer_id, "name": v.name, "tier": v.signed_tier,
         "adb12": money_str(v.adb12_fen),
         "adb12_share": _share(v.adb12_fen or 0, outlet_total),
         "holdings": held.get(v.customer_id, (0, 0))[0],
         "products": held.get(v.customer_id, (0, 0))[1],
         "tenure_months": retention_rules.tenure_months(v.tier_since, today),
         "contacts_per_month": float(retention_rules.contacts_per_month(
             contacts.get(v.customer_id, 0), LOYALTY_WINDOW_MONTHS))}
        for v in vips
    ]
