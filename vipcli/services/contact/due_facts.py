"""The facts of a book of customers for the morning list, in one grouped query per table.

Every query is restricted to the given customer ids (IN lists in chunks), so one
manager's list never scans a whole table: customers by primary key, contacts by
(customer_id, contacted_at), transactions by (customer_id, date), and so on.
All dates are computed in Python and bound, so the SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, select

from vipcli.config import Rules
from vipcli.db import models
from vipcli.domain import cadence
from vipcli.domain.due_rules import Facts
from vipcli.domain.tiers import shift_month
from vipcli.domain.vocabulary import CLOSED_OPPORTUNITY_STAGES
from vipcli.services.core import standing
from vipcli.services.core.batching import in_batches

if TYPE_CHECKING:
    from typing import Any

    from sqlalchemy import Connection, Row
    from sqlalchemy.orm import Session

    # One customer of a book as `customer_rows` reads it: its columns, screened_month and
    # months_below_signed, read by name.
    BookRow = Row[*tuple[Any, ...]]

# Core tables, not ORM entities: compiling a select of ORM attributes costs ≈ 5 ms a
# statement (ORM compile state), a large share of one morning list.
CUSTOMERS, CONTACTS = models.Customer.__table__.c, models.Contact.__table__.c
TXNS, VISITS, ASSETS = (models.Transaction.__table__.c, models.LobbyVisit.__table__.c,
                        models.MonthlyAsset.__table__.c)
RISKS, HOLDINGS, ANNIVERSARIES = (models.RiskAssessment.__table__.c, models.Holding.__table__.c,
                                  models.Anniversary.__table__.c)
OPPS, REPORTS = models.Opportunity.__table__.c, models.CommunicationReport.__table__.c
INVITATIONS, ACTIVITIES = models.Invitation.__table__.c, models.Activity.__table__.c


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns MAX() over DateTime as text
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def customer_rows(db: Session | Connection, ids: list[str]) -> list[BookRow]:
    k = CUSTOMERS
    cols = (k.customer_id, k.name, k.signed_tier, k.qualified_tier, k.status, k.assigned_on,
            k.birth_date, k.birthday_calendar, k.orientation, k.preferred_channel,
            k.manager_id)
    latest, on = standing.latest_result_join(k.customer_id, k.branch_id)
    below = models.DowngradeCount.__table__
    joined = (models.Customer.__table__.outerjoin(latest, on)
              .outerjoin(below, below.c.customer_id == k.customer_id))
    rows: list[BookRow] = []
    for part in in_batches(ids):
        rows += db.execute(
            select(*cols, latest.c.month.label("screened_month"),
                   below.c.months_below.label("months_below_signed"))
            .select_from(joined).where(k.customer_id.in_(part))
        ).all()
    return rows


def gather(db: Session | Connection, rows: list[BookRow], as_of: dt.date,
           rules: Rules) -> dict[str, Facts]:
    """Facts for every customer row (from `customer_rows`) as of the given day."""
    facts = {
        r.customer_id: Facts(
            customer_id=r.customer_id, tier=r.signed_tier or r.qualified_tier,
            signed=r.status == "signed" or r.signed_tier is not None,
            assigned_on=r.assigned_on, birth_date=r.birth_date,
            birthday_calendar=r.birthday_calendar or "solar",
            months_below_signed=r.months_below_signed or 0, screened_month=r.screened_month)
        for r in rows
    }
    ids = list(facts)
    for part in in_batches(ids):
        for load in (_contacts, _business, _outflows, _assets, _risk, _maturities,
                     _anniversaries, _opportunities, _reports, _activities):
            load(db, part, facts, as_of, rules)
    return facts


def _contacts(db, ids, facts, as_of, rules):
    # Contacts after as_of are ignored so --as-of in the past replays that day.
    until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    k, cu = CONTACTS, CUSTOMERS
    by_manager = and_(k.staff_id == cu.manager_id, k.contacted_at >= cu.assigned_on)
    stmt = (
        select(k.customer_id,
               func.max(case((k.channel == cadence.CALL, k.contacted_at))),
               func.max(case((k.channel == cadence.MEETING, k.contacted_at))),
               func.max(k.contacted_at),
               func.max(case((by_manager, k.contacted_at))))
        .join_from(models.Contact.__table__, models.Customer.__table__,
                   cu.customer_id == k.customer_id)
        .where(k.customer_id.in_(ids), k.contacted_at < until)
        .group_by(k.customer_id)
    )
    for cid, call, meeting, last, by_mgr in db.execute(stmt):
        f = facts[cid]
        f.last_call, f.last_meeting, f.last_any = _day(call), _day(meeting), _day(last)
        f.manager_contacted_since_assignment = by_mgr is not None


def _business(db, ids, facts, as_of, rules):
    """§5: business at the outlet = a counter transaction or a lobby visit."""
    gold = [i for i in ids if facts[i].tier == "gold"]
    if not gold:
        return
    t, v = TXNS, VISITS
    txns = select(t.customer_id, func.max(t.date)).where(
        t.customer_id.in_(gold), t.channel == "counter", t.date <= as_of).group_by(t.customer_id)
    until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    visits = select(v.customer_id, func.max(v.visited_at)).where(
        v.customer_id.in_(gold), v.visited_at < until).group_by(v.customer_id)
    for stmt in (txns, visits):
        for cid, last in db.execute(stmt):
            day = _day(last)
            f = facts[cid]
            f.last_business = max(filter(None, (f.last_business, day)), default=None)


def _outflows(db, ids, facts, as_of, rules):
    t = TXNS
    threshold = cadence.large_outflow_fen(rules)
    stmt = select(t.customer_id, t.date, t.amount_fen).where(
        t.customer_id.in_(ids), t.date >= cadence.outflow_window_start(as_of, rules),
        t.date <= as_of, t.amount_fen <= threshold)
    for cid, day, amount in db.execute(stmt):
        f = facts[cid]
        if f.outflow is None or amount < f.outflow[1]:
            f.outflow = (_day(day), amount)


def _assets(db, ids, facts, as_of, rules):
    """§5: last month's average against the month before (calendar months before as_of)."""
    last = shift_month(as_of.strftime("%Y-%m"), -1)
    previous = shift_month(last, -1)
    a = ASSETS
    stmt = select(a.customer_id, a.month, a.avg_daily_fen).where(
        a.customer_id.in_(ids), a.month.in_((previous, last)))
    for cid, month, fen in db.execute(stmt):
        prev_fen, last_fen = facts[cid].month_avgs
        facts[cid].month_avgs = (fen, last_fen) if month == previous else (prev_fen, fen)


def _risk(db, ids, facts, as_of, rules):
    r = RISKS
    stmt = select(r.customer_id, func.max(r.valid_until)).where(
        r.customer_id.in_(ids), r.invalidated_at.is_(None), r.assessed_on <= as_of
    ).group_by(r.customer_id)
    for cid, until in db.execute(stmt):
        facts[cid].risk_valid_until = _day(until)


def _maturities(db, ids, facts, as_of, rules):
    h = HOLDINGS
    last = as_of + dt.timedelta(days=rules.events.maturity_lead_days)
    stmt = select(h.customer_id, h.maturity_date, h.product_code, h.amount_fen).where(
        h.customer_id.in_(ids), h.maturity_date >= as_of, h.maturity_date <= last)
    for cid, day, product, amount in db.execute(stmt):
        facts[cid].maturities.append((_day(day), product, amount))


def _anniversaries(db, ids, facts, as_of, rules):
    a = ANNIVERSARIES
    for cid, label, day in db.execute(
        select(a.customer_id, a.label, a.date).where(a.customer_id.in_(ids))
    ):
        facts[cid].anniversaries.append((label, _day(day)))


def _opportunities(db, ids, facts, as_of, rules):
    o = OPPS
    stmt = select(o.customer_id, o.id, o.next_date, o.next_action).where(
        o.customer_id.in_(ids), o.stage.not_in(CLOSED_OPPORTUNITY_STAGES), o.next_date <= as_of)
    for cid, opp_id, day, action in db.execute(stmt):
        facts[cid].opportunities.append((opp_id, _day(day), action))


def _reports(db, ids, facts, as_of, rules):
    r, k = REPORTS, CONTACTS
    stmt = (select(k.customer_id, r.id, r.next_date, r.next_plan)
            .join_from(models.CommunicationReport.__table__, models.Contact.__table__,
                       k.id == r.contact_id)
            .where(k.customer_id.in_(ids), r.next_date <= as_of,
                   r.follow_up_done_at.is_(None)))
    for cid, report_id, day, plan in db.execute(stmt):
        facts[cid].report_followups.append((report_id, _day(day), plan))


def _activities(db, ids, facts, as_of, rules):
    i, a = INVITATIONS, ACTIVITIES
    last = as_of + dt.timedelta(days=rules.events.activity_lead_days)
    stmt = (select(i.customer_id, a.title, a.held_on)
            .join_from(models.Invitation.__table__, models.Activity.__table__,
                       a.id == i.activity_id)
            .where(i.customer_id.in_(ids), i.attended.is_(False),
                   a.held_on >= as_of, a.held_on <= last))
    for cid, title, day in db.execute(stmt):
        facts[cid].activities.append((title, _day(day)))
