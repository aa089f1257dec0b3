"""`vip report retention` (客戶忠誠, SPEC §11): retention by tier, losses, contribution, loyalty.

The period FROM..TO (months) defaults to the twelve months before the latest screened
month. The definitions of cohort, retained, downgraded, lost and assets lost are in
`vipcli.domain.retention`. A customer's `lost` status carries no date, so a customer
lost today counts as lost in every period it was in the cohort of (README "Retention").
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import and_, func, or_, select

from vipcli import clock
from vipcli.db.models import Contact, Customer, Holding, MonthlyAsset, ScreeningResult, TierHistory
from vipcli.domain import retention as ret
from vipcli.domain.money import money_str
from vipcli.domain.tiers import shift_month
from vipcli.domain.vocabulary import TIERS
from vipcli.errors import InvalidInput, PreconditionFailed
from vipcli.services.access import visible_clause
from vipcli.services.context import Actor, Context

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LOYALTY_WINDOW_MONTHS = 12


def retention_report(ctx: Context, *, from_month: str | None = None, to_month: str | None = None) -> dict:
    actor = ctx.actor()
    today = clock.today()
    with ctx.session() as session:
        start, end = _period(session, from_month, to_month)
        cohort = _cohort(session, actor, start, end)
        assets = _assets(session, actor, start, end)
        customers = _per_customer(session, actor, today)
    by_tier = {t: {"start": 0, "retained": 0, "downgraded": 0, "lost": 0} for t in TIERS}
    lost, downgraded, assets_lost = [], [], 0
    for cid, (name, start_tier, end_tier, status) in sorted(cohort.items()):
        result = ret.outcome(start_tier, end_tier, lost=status == "lost")
        by_tier[start_tier]["start"] += 1
        by_tier[start_tier][result] += 1
        if result == ret.RETAINED:
            continue
        a0, a1 = assets.get((cid, start)), assets.get((cid, end))
        drop = ret.asset_drop_fen(a0, a1)
        assets_lost += drop
        row = {"customer_id": cid, "name": name, "from_tier": start_tier,
               "to_tier": None if result == ret.LOST else end_tier,
               "assets_from": money_str(a0 or 0), "assets_to": money_str(a1 or 0),
               "assets_drop": money_str(drop)}
        (lost if result == ret.LOST else downgraded).append(row)
    total = {k: sum(v[k] for v in by_tier.values()) for k in ("start", "retained", "downgraded", "lost")}
    for figures in (*by_tier.values(), total):
        figures["rate"] = _rate(figures["retained"], figures["start"])
    return {"from": start, "to": end, "by_tier": by_tier, "total": total, "lost": lost,
            "downgraded": downgraded, "assets_lost": money_str(assets_lost), "customers": customers}


def _rate(part: int, whole: int) -> float | None:
    value = ret.rate(part, whole)
    return None if value is None else float(value)


def _period(session, from_month: str | None, to_month: str | None) -> tuple[str, str]:
    for given in (from_month, to_month):
        if given is not None and not _MONTH.match(given):
            raise InvalidInput(f"months are written YYYY-MM, got {given!r}")
    end = to_month or session.execute(select(func.max(ScreeningResult.month))).scalar_one()
    if end is None:
        raise PreconditionFailed("no screening results yet: run `vip screen` first")
    start = from_month or session.execute(
        select(func.min(ScreeningResult.month)).where(ScreeningResult.month >= shift_month(end, -12))
    ).scalar_one() or shift_month(end, -12)
    if start >= end:
        raise InvalidInput(f"--from {start} must be before --to {end}")
    return start, end


def _cohort(session, actor: Actor, start: str, end: str) -> dict[str, tuple]:
    """Signed VIPs at the start (screening of FROM) and their signed tier at the end."""
    base = (
        select(ScreeningResult.customer_id, Customer.name, ScreeningResult.signed_tier, Customer.status)
        .join(Customer, Customer.customer_id == ScreeningResult.customer_id)
        .where(ScreeningResult.month == start, ScreeningResult.signed_tier.is_not(None),
               visible_clause(actor))
    )
    cohort = {r.customer_id: [r.name, r.signed_tier, r.signed_tier, r.status]
              for r in session.execute(base)}
    # signed tier changes within FROM..TO (a change without a month counts by its date)
    first_day = dt.datetime.strptime(start, "%Y-%m")
    after_end = dt.datetime.strptime(shift_month(end, 1), "%Y-%m")
    changes = session.execute(
        select(TierHistory.customer_id, TierHistory.to_tier)
        .join(ScreeningResult, and_(ScreeningResult.customer_id == TierHistory.customer_id,
                                    ScreeningResult.month == start))
        .where(TierHistory.kind == "signed", ScreeningResult.signed_tier.is_not(None),
               or_(TierHistory.month.between(start, end),
                   and_(TierHistory.month.is_(None), TierHistory.at >= first_day,
                        TierHistory.at < after_end)))
        .order_by(TierHistory.at, TierHistory.id)
    ).all()
    for cid, to_tier in changes:
        if cid in cohort:
            cohort[cid][2] = to_tier  # the last change wins
    return {cid: tuple(v) for cid, v in cohort.items()}


def _assets(session, actor: Actor, start: str, end: str) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(MonthlyAsset.customer_id, MonthlyAsset.month, MonthlyAsset.avg_daily_fen)
        .join(ScreeningResult, and_(ScreeningResult.customer_id == MonthlyAsset.customer_id,
                                    ScreeningResult.month == start))
        .join(Customer, Customer.customer_id == MonthlyAsset.customer_id)
        .where(MonthlyAsset.month.in_((start, end)), ScreeningResult.signed_tier.is_not(None),
               visible_clause(actor))
    ).all()
    return {(r.customer_id, r.month): r.avg_daily_fen for r in rows}


def _per_customer(session, actor: Actor, today: dt.date) -> list[dict]:
    """§11 contribution (ADB12 share of the outlet, holdings) and loyalty (tenure, products
    held, contacts a month over the last 12 months) of every signed VIP the actor sees."""
    outlet_total = session.execute(
        select(func.coalesce(func.sum(Customer.adb12_fen), 0)).where(
            Customer.branch_id == actor.branch_id
        )
    ).scalar_one()
    vips = session.execute(
        select(Customer.customer_id, Customer.name, Customer.signed_tier, Customer.tier_since,
               Customer.adb12_fen)
        .where(visible_clause(actor), Customer.signed_tier.is_not(None),
               Customer.status.not_in(("lost", "declined")))
        .order_by(Customer.adb12_fen.desc().nulls_last(), Customer.customer_id)
    ).all()
    current = or_(Holding.maturity_date.is_(None), Holding.maturity_date >= today)
    held = dict(session.execute(
        select(Holding.customer_id, func.count())
        .join(Customer, Customer.customer_id == Holding.customer_id)
        .where(visible_clause(actor), Customer.signed_tier.is_not(None), current)
        .group_by(Holding.customer_id)
    ).all())
    products = dict(session.execute(
        select(Holding.customer_id, func.count(func.distinct(Holding.product_code)))
        .join(Customer, Customer.customer_id == Holding.customer_id)
        .where(visible_clause(actor), Customer.signed_tier.is_not(None), current)
        .group_by(Holding.customer_id)
    ).all())
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
         "adb12_share": _rate(v.adb12_fen or 0, outlet_total),
         "holdings": held.get(v.customer_id, 0), "products": products.get(v.customer_id, 0),
         "tenure_months": ret.tenure_months(v.tier_since, today),
         "contacts_per_month": float(ret.contacts_per_month(
             contacts.get(v.customer_id, 0), LOYALTY_WINDOW_MONTHS))}
        for v in vips
    ]
