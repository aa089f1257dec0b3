"""`vip report weekly` (§7 計劃執行與檢查): the Friday submission and the Monday meeting.

Per manager for one ISO week: opportunities opened, advanced, won and lost with
amounts, distinct customers contacted against the weekly rule (§5), new signings and
overdue follow-ups; the outlet's totals against its targets; conversion by idea kind.
A handful of grouped queries over the outlet, whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import (
    CommunicationReport,
    Contact,
    Customer,
    Opportunity,
    OpportunityStage,
    Staff,
)
from vipcli.domain.money import money_str
from vipcli.domain.vocabulary import OPEN_OPPORTUNITY_STAGES
from vipcli.i18n import _
from vipcli.services.core.access import FRONT_ROLES, require_role
from vipcli.services.sales.opportunities import KindConversion, conversion_by_kind
from vipcli.services.sales.targets import parse_week, show_value, week_of, week_targets

COUNTS = ("opened", "advanced", "won", "lost", "contacts", "signings", "overdue_opportunities",
          "overdue_reports")
AMOUNTS = ("opened_amount", "won_amount", "lost_amount")
TARGET_ACTUAL = {"contacts": "contacts", "signings": "signings", "opps_won": "won",
                 "won_amount": "won_amount"}

if TYPE_CHECKING:
    from vipcli.services.core.context import Context


class WeekFigures(TypedDict):
    """One person's or the outlet's week: opportunities, contacts, signings, overdue work."""

    opened: int
    advanced: int
    won: int
    lost: int
    contacts: int
    signings: int
    overdue_opportunities: int
    overdue_reports: int
    opened_amount: str | None
    won_amount: str | None
    lost_amount: str | None
    overdue_followups: int


class TargetCheck(TypedDict):
    """A target against the week's actual figure; basis "week" or "month pro rata"."""

    target: str | int | None
    actual: str | int | None
    basis: str
    met: bool


class ManagerWeek(WeekFigures):
    """One staff member's week, against the weekly contact rule (§5) and its targets."""

    staff_id: str
    name: str
    role: str
    contact_rule: int | None
    contact_rule_met: bool | None
    targets: dict[str, TargetCheck]


class OutletWeek(WeekFigures):
    """The outlet's totals (a customer contacted by several counts once) and its targets."""

    branch_id: str
    targets: dict[str, TargetCheck]


_Span = TypedDict("_Span", {"from": str, "to": str})


class WeeklyReview(_Span):
    """`vip report weekly --json`: the ISO week per manager, the outlet, conversion by kind."""

    week: str
    staff_id: str | None
    managers: list[ManagerWeek]
    outlet: OutletWeek | None  # the branch head's review only
    conversion_by_kind: list[KindConversion]


def _grouped(session: Session, key, *aggregates, where) -> dict[str, Sequence[int | None]]:
    stmt = select(key, *aggregates).where(*where).group_by(key)
    return {row[0]: row[1:] for row in session.execute(stmt)}


def figures(session: Session, branch_id: str, start: dt.datetime, end: dt.datetime,
            cutoff: dt.date) -> dict[str, dict[str, int]]:
    """{staff_id: {figure: value}} for every staff member with activity in the outlet."""
    o, c = Opportunity, Customer
    in_outlet = [c.customer_id == o.customer_id, c.branch_id == branch_id]
    table: dict[str, dict[str, int]] = {}

    def put(found: dict[str, Sequence[int | None]], *names: str) -> None:
        for staff_id, values in found.items():
            row = table.setdefault(staff_id, dict.fromkeys(COUNTS + AMOUNTS, 0))
            for name, value in zip(names, values, strict=True):
                row[name] = int(value or 0)

    put(_grouped(session, o.owner_id, func.count(), func.sum(o.expected_amount_fen),
                 where=[*in_outlet, o.opened_at >= start, o.opened_at < end]), "opened", "opened_amount")
    s = OpportunityStage
    put(_grouped(session, o.owner_id, func.count(func.distinct(s.opportunity_id)),
                 where=[*in_outlet, s.opportunity_id == o.id, s.at >= start, s.at < end,
                        s.from_stage.is_not(None), s.to_stage.in_(OPEN_OPPORTUNITY_STAGES)]),
        "advanced")
    closed = [*in_outlet, o.closed_at >= start, o.closed_at < end]
    put(_grouped(session, o.owner_id, func.count(), func.sum(o.won_amount_fen),
                 where=[*closed, o.stage == "won"]), "won", "won_amount")
    put(_grouped(session, o.owner_id, func.count(), func.sum(o.expected_amount_fen),
                 where=[*closed, o.stage == "lost"]), "lost", "lost_amount")
    put(_grouped(session, o.owner_id, func.count(),
                 where=[*in_outlet, o.stage.in_(OPEN_OPPORTUNITY_STAGES), o.next_date < cutoff]),
        "overdue_opportunities")
    k, st = Contact, Staff
    staff_here = [st.staff_id == k.staff_id, st.branch_id == branch_id]
    put(_grouped(session, k.staff_id, func.count(func.distinct(k.customer_id)),
                 where=[*staff_here, k.contacted_at >= start, k.contacted_at < end]), "contacts")
    r = CommunicationReport
    put(_grouped(session, k.staff_id, func.count(),
                 where=[*staff_here, r.contact_id == k.id, r.next_date < cutoff,
                        r.follow_up_done_at.is_(None)]), "overdue_reports")
    # New signings: the customer's signing date in the week, credited to its manager.
    put(_grouped(session, c.manager_id, func.count(),
                 where=[c.branch_id == branch_id, c.status == "signed", c.manager_id.is_not(None),
                        c.tier_since >= start.date(), c.tier_since < end.date()]), "signings")
    return table


def outlet_contacts(session: Session, branch_id: str, start: dt.datetime, end: dt.datetime) -> int:
    """Distinct customers contacted by anyone of the outlet (a customer counts once)."""
    k = Contact
    return session.execute(
        select(func.count(func.distinct(k.customer_id))).where(
            k.staff_id == Staff.staff_id, Staff.branch_id == branch_id,
            k.contacted_at >= start, k.contacted_at < end)
    ).scalar_one()


def _render(values: dict[str, int]) -> WeekFigures:
    return {
        "opened": values["opened"], "advanced": values["advanced"], "won": values["won"],
        "lost": values["lost"], "contacts": values["contacts"], "signings": values["signings"],
        "overdue_opportunities": values["overdue_opportunities"],
        "overdue_reports": values["overdue_reports"],
        "opened_amount": money_str(values["opened_amount"]),
        "won_amount": money_str(values["won_amount"]),
        "lost_amount": money_str(values["lost_amount"]),
        "overdue_followups": values["overdue_opportunities"] + values["overdue_reports"],
    }


def _against(targets: dict[str, tuple[int, str]], actual: dict[str, int]) -> dict[str, TargetCheck]:
    out: dict[str, TargetCheck] = {}
    for metric, (value, basis) in targets.items():
        got = actual[TARGET_ACTUAL[metric]]
        out[metric] = {"target": show_value(metric, value), "actual": show_value(metric, got),
                       "basis": basis, "met": got >= value}
    return out


def weekly_report(ctx: Context, *, week: str | None = None) -> WeeklyReview:
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, _("see the weekly review"))
    week = week or week_of(clock.today())
    monday, sunday = parse_week(week)
    start = dt.datetime.combine(monday, dt.time())
    end = start + dt.timedelta(days=7)
    # Overdue = follow-up date before the week's end, or before today in the current week.
    cutoff = min(clock.today(), sunday + dt.timedelta(days=1))
    rule = ctx.rules.contact.weekly_contacts_per_manager
    head = actor.role == "branch_head"
    with ctx.session(write=False) as session:
        table = figures(session, actor.branch_id, start, end, cutoff)
        targets = week_targets(session, actor.branch_id, monday)
        people = session.execute(
            select(Staff.staff_id, Staff.name, Staff.role, Staff.active)
            .where(Staff.branch_id == actor.branch_id).order_by(Staff.staff_id)
        ).all()
        blank = dict.fromkeys(COUNTS + AMOUNTS, 0)
        managers: list[ManagerWeek] = []
        for p in people:
            if not head and p.staff_id != actor.staff_id:
                continue
            if p.staff_id not in table and not (p.role == "account_manager" and p.active):
                continue
            values = table.get(p.staff_id, blank)
            # §5: the 10-a-week rule binds account managers; others show their contacts only.
            bound = p.role == "account_manager"
            managers.append({"staff_id": p.staff_id, "name": p.name, "role": p.role,
                             **_render(values), "contact_rule": rule if bound else None,
                             "contact_rule_met": values["contacts"] >= rule if bound else None,
                             "targets": _against(targets.get(p.staff_id, {}), values)})
        outlet: OutletWeek | None = None
        if head:
            totals = {name: sum(v[name] for v in table.values()) for name in COUNTS + AMOUNTS}
            totals["contacts"] = outlet_contacts(session, actor.branch_id, start, end)
            outlet = {"branch_id": actor.branch_id, **_render(totals),
                      "targets": _against(targets.get(None, {}), totals)}
        conversion = conversion_by_kind(session, actor.branch_id, end,
                                        None if head else actor.staff_id)
    return {"week": week, "from": monday.isoformat(), "to": sunday.isoformat(),
            "staff_id": None if head else actor.staff_id, "managers": managers,
            "outlet": outlet, "conversion_by_kind": conversion}
