"""`vip report retention` (客戶忠誠, SPEC §11): retention by tier, losses, contribution, loyalty.

The period FROM..TO (months) defaults to the twelve months before the latest screened
month. The definitions of cohort, retained, downgraded, lost and assets lost are in
`vipcli.domain.retention`. A loss recorded with `vip customer lost` (§18) carries its day:
it counts in the period whose end it falls before, and a customer lost by the end of FROM
is not in the cohort; a `lost` status without a day counts in every period
(docs/rules.md "Retention").

§18 adds the month's losses one by one for the branch head (customer, manager, day,
reason, the latest screened ADB12 as the assets lost) and the retention rate of the last
six months, each month's cohort being the signed VIPs at the screening of the month before.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TypedDict

from sqlalchemy import and_, func, or_, select

from vipcli import clock
from vipcli.db.models import Customer, MonthlyAsset, ScreeningResult, Staff, TierHistory
from vipcli.domain import retention as retention_rules
from vipcli.domain.money import money_str
from vipcli.domain.tiers import shift_month
from vipcli.domain.vocabulary import TIERS
from vipcli.errors import InvalidInput, PreconditionFailed
from vipcli.i18n import _
from vipcli.services.core import standing
from vipcli.services.core.access import visible_clause
from vipcli.services.core.batching import in_batches
from vipcli.services.core.context import Actor, Context
from vipcli.services.routine.loyalty import CustomerLoyalty, contribution_and_loyalty

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
COUNTED = ("start", "retained", "downgraded", "lost")


class TierRetention(TypedDict):
    """Signed VIPs of one tier at the start and what became of them; rate = retained/start."""

    start: int
    retained: int
    downgraded: int
    lost: int
    rate: float | None


class CohortLoss(TypedDict):
    """A customer lost or downgraded over the period, with its monthly assets then and now."""

    customer_id: str
    name: str
    from_tier: str
    to_tier: str | None
    assets_from: str | None
    assets_to: str | None
    assets_drop: str | None


class RetentionTally(TypedDict):
    """The cohort counted: by tier, in total, the lost and downgraded lists, assets lost."""

    by_tier: dict[str, TierRetention]
    total: TierRetention
    lost: list[CohortLoss]
    downgraded: list[CohortLoss]
    assets_lost: str | None


_Period = TypedDict("_Period", {"from": str, "to": str})


class RecordedLoss(TypedDict):
    """§18: one customer recorded as lost in the month, for the branch head."""

    customer_id: str
    name: str
    tier: str | None
    manager_id: str | None
    manager_name: str | None
    lost_on: dt.date
    reason: str | None
    adb12: str | None  # the latest screened ADB12: the assets lost


class TrendPoint(TypedDict):
    month: str
    rate: float | None


class RetentionReport(_Period, RetentionTally):
    """`vip report retention --json`: retention FROM..TO by tier, losses, loyalty (§11), and
    the month's recorded losses and the six months' trend (§18)."""

    basis: str
    customers: list[CustomerLoyalty]
    month: str
    losses: list[RecordedLoss]
    lost_in_month: int
    assets_lost_in_month: str
    trend: list[TrendPoint]


TREND_MONTHS = 6


def retention_report(ctx: Context, *, from_month: str | None = None,
                     to_month: str | None = None, month: str | None = None) -> RetentionReport:
    actor = ctx.actor()
    today = clock.today()
    _check_month(month)
    month = month or today.strftime("%Y-%m")
    with ctx.session(write=False) as session:
        start, end = _period(session, from_month, to_month)
        basis, cohort = _cohort(session, actor, start, end)
        outcomes = {cid: retention_rules.outcome(v[1], v[2], lost=v[3])
                    for cid, v in cohort.items()}
        moved = sorted(c for c, o in outcomes.items() if o != retention_rules.RETAINED)
        assets = _assets(session, moved, start, end)
        customers = contribution_and_loyalty(session, actor, today)
        losses, assets_lost_fen = _recorded_losses(session, actor, month)
        trend = _trend(session, actor, month)
    return {"from": start, "to": end, "basis": basis, **_tally(cohort, outcomes, assets, start, end),
            "customers": customers, "month": month, "losses": losses,
            "lost_in_month": len(losses), "assets_lost_in_month": money_str(assets_lost_fen) or "0.00",
            "trend": trend}


def _check_month(month: str | None) -> None:
    if month is not None and (not _MONTH.match(month) or not "1900" <= month[:4] <= "2099"):
        raise InvalidInput(_("Months are written YYYY-MM (years 1900 to 2099), got {value!r}")
                           .format(value=month))


def _month_end(month: str) -> dt.date:
    return dt.date.fromisoformat(shift_month(month, 1) + "-01") - dt.timedelta(days=1)


def _recorded_losses(session, actor: Actor, month: str) -> tuple[list[RecordedLoss], int]:
    """§18: the customers recorded lost in `month`, each with its latest screened ADB12, and
    the sum of those (fen, exact)."""
    first, last = dt.date.fromisoformat(month + "-01"), _month_end(month)
    latest, on = standing.latest_result_join(Customer.customer_id, Customer.branch_id)
    rows = session.execute(
        select(Customer.customer_id, Customer.name, Customer.signed_tier, Customer.manager_id,
               Staff.name.label("manager_name"), Customer.lost_on, Customer.status_reason,
               latest.c.adb12_fen)
        .select_from(Customer).outerjoin(latest, on)
        .outerjoin(Staff, Staff.staff_id == Customer.manager_id)
        .where(visible_clause(actor), Customer.status == "lost",
               Customer.lost_on.between(first, last))
        .order_by(Customer.lost_on, Customer.customer_id)
    ).all()
    losses: list[RecordedLoss] = [
        {"customer_id": r.customer_id, "name": r.name, "tier": r.signed_tier,
         "manager_id": r.manager_id, "manager_name": r.manager_name, "lost_on": r.lost_on,
         "reason": r.status_reason, "adb12": money_str(r.adb12_fen)} for r in rows]
    return losses, sum(r.adb12_fen or 0 for r in rows)


def _trend(session, actor: Actor, month: str) -> list[TrendPoint]:
    """§18: each of the last six months' retention rate: the signed VIPs at the screening of
    the month before, retained (not lost, not downgraded) by the month's end."""
    points: list[TrendPoint] = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        end = shift_month(month, -back)
        _basis, cohort = _cohort(session, actor, shift_month(end, -1), end)
        retained = sum(retention_rules.outcome(v[1], v[2], lost=v[3]) == retention_rules.RETAINED
                       for v in cohort.values())
        points.append({"month": end, "rate": _rate(retained, len(cohort))})
    return points


def _tally(cohort: dict[str, tuple], outcomes: dict[str, str],
           assets: dict[tuple[str, str], int], start: str, end: str) -> RetentionTally:
    """Counts and rates by tier at the start, the lost and downgraded lists, assets lost."""
    counts = {t: dict.fromkeys(COUNTED, 0) for t in TIERS}
    lost: list[CohortLoss] = []
    downgraded: list[CohortLoss] = []
    assets_lost = 0
    for cid, (name, start_tier, end_tier, _lost) in sorted(cohort.items()):
        result = outcomes[cid]
        counts[start_tier]["start"] += 1
        counts[start_tier][result] += 1
        if result == retention_rules.RETAINED:
            continue
        a0, a1 = assets.get((cid, start)), assets.get((cid, end))
        drop = retention_rules.asset_drop_fen(a0, a1)
        assets_lost += drop
        row: CohortLoss = {"customer_id": cid, "name": name, "from_tier": start_tier,
                           "to_tier": None if result == retention_rules.LOST else end_tier,
                           "assets_from": money_str(a0 or 0), "assets_to": money_str(a1 or 0),
                           "assets_drop": money_str(drop)}
        (lost if result == retention_rules.LOST else downgraded).append(row)
    total = {k: sum(v[k] for v in counts.values()) for k in COUNTED}
    return {"by_tier": {t: _figures(c) for t, c in counts.items()}, "total": _figures(total),
            "lost": lost, "downgraded": downgraded, "assets_lost": money_str(assets_lost)}


def _figures(counts: dict[str, int]) -> TierRetention:
    return {"start": counts["start"], "retained": counts["retained"],
            "downgraded": counts["downgraded"], "lost": counts["lost"],
            "rate": _rate(counts["retained"], counts["start"])}


def _rate(part: int, whole: int) -> float | None:
    value = retention_rules.rate(part, whole)
    return None if value is None else float(value)


def _period(session, from_month: str | None, to_month: str | None) -> tuple[str, str]:
    for given in (from_month, to_month):
        _check_month(given)
    end = to_month or session.execute(select(func.max(ScreeningResult.month))).scalar_one()
    if end is None:
        raise PreconditionFailed(_("No screening results yet: run `vip screen` first"))
    start = from_month or session.execute(
        select(func.min(ScreeningResult.month)).where(
            ScreeningResult.month >= shift_month(end, -12), ScreeningResult.month < end
        )
    ).scalar_one() or shift_month(end, -12)
    if start >= end:
        raise InvalidInput(_("--from {first} must be before --to {last}").format(first=start, last=end))
    return start, end


def _cohort(session, actor: Actor, start: str, end: str) -> tuple[str, dict[str, tuple]]:
    """Signed VIPs at the start and their signed tier at the end: (basis, {cid: (name, start
    tier, end tier, lost by the end)}). The start comes from the screening of FROM when that
    month was screened, else it is rebuilt from the signed tier history (basis `history`).
    §18: a customer recorded lost by the end of FROM is not in it; one lost after TO is not
    lost in it."""
    changes = _signed_changes(session, actor, start, end)
    screened = session.execute(
        select(ScreeningResult.month).where(ScreeningResult.month == start).limit(1)
    ).first() is not None
    base = _start_from_screening(session, actor, start) if screened else \
        _start_from_history(session, actor, start, changes)
    after, until = _month_end(start), _month_end(end)
    cohort = {}
    for cid, (name, tier, status, lost_on) in base.items():
        if status == "lost" and lost_on is not None and lost_on <= after:
            continue  # already lost at the start
        end_tier = changes[cid][-1][1] if cid in changes else tier  # the last change wins
        lost = status == "lost" and (lost_on is None or lost_on <= until)
        cohort[cid] = (name, tier, end_tier, lost)
    return ("screening" if screened else "history"), cohort


def _signed_changes(session, actor: Actor, start: str, end: str) -> dict[str, list[tuple]]:
    """Signed tier changes within FROM..TO, oldest first (a change without a month by its date)."""
    first_day = dt.datetime.strptime(start, "%Y-%m")
    after_end = dt.datetime.strptime(shift_month(end, 1), "%Y-%m")
    rows = session.execute(
        select(TierHistory.customer_id, TierHistory.from_tier, TierHistory.to_tier)
        .join(Customer, Customer.customer_id == TierHistory.customer_id)
        .where(TierHistory.kind == "signed", visible_clause(actor),
               or_(TierHistory.month.between(start, end),
                   and_(TierHistory.month.is_(None), TierHistory.at >= first_day,
                        TierHistory.at < after_end)))
        .order_by(TierHistory.at, TierHistory.id)
    ).all()
    changes: dict[str, list[tuple]] = {}
    for cid, from_tier, to_tier in rows:
        changes.setdefault(cid, []).append((from_tier, to_tier))
    return changes


def _start_from_screening(session, actor: Actor, start: str) -> dict[str, tuple]:
    rows = session.execute(
        select(ScreeningResult.customer_id, Customer.name, ScreeningResult.signed_tier,
               Customer.status, Customer.lost_on)
        .join(Customer, Customer.customer_id == ScreeningResult.customer_id)
        .where(ScreeningResult.month == start, ScreeningResult.signed_tier.is_not(None),
               visible_clause(actor))
    ).all()
    return {r.customer_id: (r.name, r.signed_tier, r.status, r.lost_on) for r in rows}


def _start_from_history(session, actor: Actor, start: str, changes: dict) -> dict[str, tuple]:
    """Without a screening of FROM: the tier before the first change in the period, else the
    current signed tier if it was signed by the end of FROM."""
    month_end = dt.datetime.strptime(shift_month(start, 1), "%Y-%m").date() - dt.timedelta(days=1)
    rows = session.execute(
        select(Customer.customer_id, Customer.name, Customer.signed_tier, Customer.status,
               Customer.tier_since, Customer.lost_on)
        .where(visible_clause(actor),
               or_(Customer.signed_tier.is_not(None), Customer.customer_id.in_(list(changes))))
    ).all()
    base = {}
    for r in rows:
        if r.customer_id in changes:
            tier = changes[r.customer_id][0][0]
        else:
            tier = r.signed_tier if r.tier_since is None or r.tier_since <= month_end else None
        if tier is not None:
            base[r.customer_id] = (r.name, tier, r.status, r.lost_on)
    return base


def _assets(session, ids: list[str], start: str, end: str) -> dict[tuple[str, str], int]:
    """Monthly assets at FROM and TO of the lost and downgraded customers (a short list)."""
    found: dict[tuple[str, str], int] = {}
    for batch in in_batches(ids):
        rows = session.execute(
            select(MonthlyAsset.customer_id, MonthlyAsset.month, MonthlyAsset.avg_daily_fen)
            .where(MonthlyAsset.customer_id.in_(batch), MonthlyAsset.month.in_((start, end)))
        ).all()
        found.update({(r.customer_id, r.month): r.avg_daily_fen for r in rows})
    return found
