"""Targets (§7 计划执行与检查): per week or month, for the outlet or one of its managers.

Metrics: contacts (distinct customers contacted), signings (new VIP signings),
opps_won (opportunities won) and won_amount (fen). Set by the branch head; a week
target applies as is, a month target is shown pro rata for a week (docs/rules.md "Targets").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from fractions import Fraction
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import Staff, Target
from vipcli.domain.money import money_str
from vipcli.errors import InvalidInput, NotFound
from vipcli.i18n import N_, _
from vipcli.services.core.access import require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.weeks import parse_week, week_of

if TYPE_CHECKING:
    from vipcli.services.core.context import Actor, Context

METRICS = ("contacts", "signings", "opps_won", "won_amount")
MONEY_METRICS = ("won_amount",)
# §16: what each metric is called on screens and in exports.
METRIC_LABELS = {
    "contacts": N_("Customers contacted"),
    "signings": N_("New signings"),
    "opps_won": N_("Opportunities won"),
    "won_amount": N_("Amount won (CNY)"),
}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class TargetSetting(TypedDict):
    """One target as set (`vip target list --json`): money metrics in yuan, counts as is."""

    period: str
    staff_id: str | None
    staff_name: str | None
    metric: str
    value: str | int | None
    set_by: str | None
    set_by_name: str | None
    set_at: str


def check_month(text: str) -> str:
    match = _MONTH.match(text or "")
    if not match or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 2099:
        raise InvalidInput(_("expected a month like 2026-11 (years 1900 to 2099), got {text!r}")
                           .format(text=text))
    return text


def show_value(metric: str, value: int | None) -> str | int | None:
    return money_str(value) if metric in MONEY_METRICS and value is not None else value


def set_targets(ctx: Context, *, staff_id: str | None, week: str | None, month: str | None,
                values: dict[str, int | None]) -> list[TargetSetting]:
    """Upsert the given metrics for the period; the outlet's when no staff is named."""
    actor = ctx.actor()
    require_role(actor, ("branch_head",), _("set targets"))
    if (week is None) == (month is None):
        raise InvalidInput(_("give exactly one of --week 2026-W48 or --month 2026-11"))
    if week is not None:
        parse_week(week)
        period = week
    else:
        assert month is not None  # exactly one of the two, checked above
        period = check_month(month)
    chosen = {k: v for k, v in values.items() if v is not None}
    if not chosen:
        raise InvalidInput(_("give at least one of --contacts, --signings, --opps-won, --won-amount"))
    if any(v < 0 for v in chosen.values()):
        raise InvalidInput(_("targets must not be negative"))
    with ctx.session() as session:
        if staff_id is not None:
            member = session.get(Staff, staff_id)
            if member is None or member.branch_id != actor.branch_id:
                raise NotFound(_("unknown staff member {staff!r} at outlet {outlet}").format(
                    staff=staff_id, outlet=actor.branch_id))
        for metric, value in chosen.items():
            _upsert(session, actor, staff_id, period, metric, value)
        audit(session, actor.staff_id, "target_set", None, staff_id=staff_id, period=period,
              **{k: show_value(k, v) for k, v in chosen.items()})
    return list_targets(ctx, period=period)


def _upsert(session: Session, actor: Actor, staff_id: str | None, period: str, metric: str,
            value: int) -> None:
    staff_match = Target.staff_id.is_(None) if staff_id is None else Target.staff_id == staff_id
    row = session.execute(
        select(Target).where(Target.branch_id == actor.branch_id, staff_match,
                             Target.period == period, Target.metric == metric)
    ).scalar_one_or_none()
    if row is None:
        row = Target(branch_id=actor.branch_id, staff_id=staff_id, period=period, metric=metric)
        session.add(row)
    row.value, row.set_by, row.set_at = value, actor.staff_id, clock.now()


def list_targets(ctx: Context, *, period: str | None = None) -> list[TargetSetting]:
    """The outlet's targets (branch head) or one's own and the outlet's (others)."""
    actor = ctx.actor()
    stmt = select(Target).where(Target.branch_id == actor.branch_id)
    if actor.role != "branch_head":
        stmt = stmt.where((Target.staff_id == actor.staff_id) | Target.staff_id.is_(None))
    if period is not None:
        stmt = stmt.where(Target.period == period)
    with ctx.session(write=False) as session:
        rows = session.execute(stmt.order_by(Target.period, Target.staff_id, Target.metric)).scalars().all()
        ids = {t.staff_id for t in rows} | {t.set_by for t in rows}
        # §16: staff by name beside their id
        names: dict[str | None, str] = {
            staff_id: name for staff_id, name in session.execute(
                select(Staff.staff_id, Staff.name).where(Staff.staff_id.in_(ids - {None})))}
        return [
            {"period": t.period, "staff_id": t.staff_id, "staff_name": names.get(t.staff_id),
             "metric": t.metric, "value": show_value(t.metric, t.value), "set_by": t.set_by,
             "set_by_name": names.get(t.set_by), "set_at": t.set_at.isoformat()}
            for t in rows
        ]


def week_targets(session: Session, branch_id: str,
                 monday: dt.date) -> dict[str | None, dict[str, tuple[int, str]]]:
    """{staff_id or None (outlet): {metric: (value, basis)}} for the ISO week of `monday`.

    A week target wins; otherwise each month the week touches contributes its target ×
    (days of the week in that month / days of the month), rounded half-up.
    """
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    months = {f"{d.year:04d}-{d.month:02d}" for d in days}
    week = week_of(monday)
    rows = session.execute(
        select(Target.staff_id, Target.period, Target.metric, Target.value).where(
            Target.branch_id == branch_id, Target.period.in_([week, *months]))
    ).all()
    found: dict[str | None, dict[str, tuple[int, str]]] = {}
    for staff_id, period, metric, value in rows:
        if period == week:
            found.setdefault(staff_id, {})[metric] = (value, "week")
    share: dict[tuple, Fraction] = {}
    for staff_id, period, metric, value in rows:
        if period != week and metric not in found.get(staff_id, {}):
            year, mon = int(period[:4]), int(period[5:])
            in_month = sum(1 for d in days if (d.year, d.month) == (year, mon))
            share[(staff_id, metric)] = share.get((staff_id, metric), Fraction(0)) + Fraction(
                value * in_month, calendar.monthrange(year, mon)[1])
    for (staff_id, metric), amount in share.items():
        found.setdefault(staff_id, {})[metric] = (int(amount + Fraction(1, 2)), "month pro rata")
    return found
