"""The facts of a book of customers for the morning list, in one grouped query per table.

Every query is restricted to the given customer ids (IN lists in chunks), so one
manager's list never scans a whole table: customers by primary key, contacts by
(customer_id, contacted_at), transactions by (customer_id, date), and so on.
All dates are computed in Python and bound, so the SQL runs on SQLite and PostgreSQL.

The tables are read through vipcli.db.light's Core clauses, not vipcli.db.models: `vip due`
runs every morning, and importing the ORM and configuring the mappers costs more than the
whole list (§5, issue 12's figure).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    and_,
    case,
    func,
    select,
)

from vipcli.config import Rules
from vipcli.db.light import (
    ACTIVITY_TABLE,
    ANNIVERSARY_TABLE,
    ASSET_TABLE,
    BRANCH_TABLE,
    CONTACT_TABLE,
    CUSTOMER_TABLE,
    DOWNGRADE_TABLE,
    HOLDING_TABLE,
    INVITATION_TABLE,
    OPP_TABLE,
    PRODUCT_TABLE,
    REPORT_TABLE,
    RISK_TABLE,
    RUN_TABLE,
    STAFF_TABLE,
    TXN_TABLE,
    VISIT_TABLE,
)
from vipcli.domain import cadence, labels
from vipcli.domain.due_rules import Facts
from vipcli.domain.tiers import shift_month
from vipcli.domain.vocabulary import CLOSED_OPPORTUNITY_STAGES
from vipcli.services.core.batching import in_batches

if TYPE_CHECKING:
    from typing import Any

    from sqlalchemy import Connection, Row
    from sqlalchemy.orm import Session

    # One customer of a book as `customer_rows` reads it: its columns and
    # months_below_signed, read by name.
    BookRow = Row[*tuple[Any, ...]]


CUSTOMERS, CONTACTS = CUSTOMER_TABLE.c, CONTACT_TABLE.c
TXNS, VISITS, ASSETS = TXN_TABLE.c, VISIT_TABLE.c, ASSET_TABLE.c
RISKS, HOLDINGS, ANNIVERSARIES = RISK_TABLE.c, HOLDING_TABLE.c, ANNIVERSARY_TABLE.c
OPPS, REPORTS = OPP_TABLE.c, REPORT_TABLE.c
INVITATIONS, ACTIVITIES = INVITATION_TABLE.c, ACTIVITY_TABLE.c
STAFF, BRANCHES = STAFF_TABLE.c, BRANCH_TABLE.c


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns MAX() over DateTime as text
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def customer_rows(db: Session | Connection, ids: list[str]) -> list[BookRow]:
    k, below = CUSTOMERS, DOWNGRADE_TABLE.c
    cols = (k.customer_id, k.name, k.signed_tier, k.qualified_tier, k.status, k.assigned_on,
            k.birth_date, k.birthday_calendar, k.orientation, k.preferred_channel,
            k.manager_id, k.branch_id, k.phone_masked)
    joined = CUSTOMER_TABLE.outerjoin(DOWNGRADE_TABLE, below.customer_id == k.customer_id)
    rows: list[BookRow] = []
    for part in in_batches(ids):
        rows += db.execute(
            select(*cols, below.months_below.label("months_below_signed"))
            .select_from(joined).where(k.customer_id.in_(part))
        ).all()
    return rows


def unreviewed_reports(db: Session | Connection, branch_id: str) -> int:
    """§6: the outlet's communication reports the branch head has not reviewed yet (the
    count `vip reports` lists; vipcli.services.contact.contacts.unreviewed_count)."""
    r, k, cu = REPORTS, CONTACTS, CUSTOMERS
    stmt = (select(func.count()).select_from(REPORT_TABLE)
            .join(CONTACT_TABLE, k.id == r.contact_id)
            .join(CUSTOMER_TABLE, cu.customer_id == k.customer_id)
            .where(cu.branch_id == branch_id, r.reviewed_at.is_(None)))
    return db.execute(stmt).scalar_one()


def latest_extract_month(as_of: dt.date) -> str:
    """§5 "the latest month's asset extract": a month's extract is made once the month has
    ended, so on as_of the latest one due covers the calendar month before as_of's month."""
    return shift_month(as_of.strftime("%Y-%m"), -1)


def missing_extract(db: Session | Connection, as_of: dt.date) -> str | None:
    """§5: the latest month (`latest_extract_month`) when its extract is missing — no asset
    row at all for that month, for any customer (one probe of ix_monthly_assets_month) —
    else None. An extract that has rows is there: a customer without a row in it had no
    assets that month, which is a real drop."""
    month = latest_extract_month(as_of)
    found = db.execute(select(ASSETS.month).where(ASSETS.month == month).limit(1)).first()
    return None if found else month


def screened_months(db: Session | Connection, branch_ids: set[str]) -> dict[str, str | None]:
    """Per outlet, the month of its latest screening (a run for every outlet or for it
    alone, the later one): the month a downgrade warning was raised from (§1)."""
    r = RUN_TABLE.c
    latest = dict(db.execute(select(r.scope, func.max(r.month))
                             .where(r.scope.in_(["all", *branch_ids])).group_by(r.scope)).all())
    everyone = latest.get("all")
    return {b: max(filter(None, (everyone, latest.get(b))), default=None) for b in branch_ids}


def gather(db: Session | Connection, rows: list[BookRow], as_of: dt.date,
           rules: Rules) -> dict[str, Facts]:
    """Facts for every customer row (from `customer_rows`) as of the given day."""
    screened = screened_months(db, {r.branch_id for r in rows}) if rows else {}
    facts = {
        r.customer_id: Facts(
            customer_id=r.customer_id, tier=r.signed_tier or r.qualified_tier,
            qualified_tier=r.qualified_tier,
            signed=r.status == "signed" or r.signed_tier is not None,
            assigned_on=r.assigned_on, birth_date=r.birth_date,
            birthday_calendar=r.birthday_calendar or "solar",
            months_below_signed=r.months_below_signed or 0,
            screened_month=screened.get(r.branch_id))
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
        .join_from(CONTACT_TABLE, CUSTOMER_TABLE, cu.customer_id == k.customer_id)
        .where(k.customer_id.in_(ids), k.contacted_at < until)
        .group_by(k.customer_id)
    )
    for cid, call, meeting, last, by_mgr in db.execute(stmt):
        f = facts[cid]
        f.last_call, f.last_meeting, f.last_any = _day(call), _day(meeting), _day(last)
        f.manager_contacted_since_assignment = by_mgr is not None


def _business(db, ids, facts, as_of, rules):
    """§5: business at the outlet = a counter transaction or a lobby visit; read for the
    customers on Gold cadence only (the rule's only readers)."""
    gold = [i for i in ids if facts[i].cadence_tier == "gold"]
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
        facts[cid].outflows.append((_day(day), amount))


def _assets(db, ids, facts, as_of, rules):
    """§5: the latest extract's month against the month before it."""
    last = latest_extract_month(as_of)
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
    h, p = HOLDINGS, PRODUCT_TABLE.c
    last = as_of + dt.timedelta(days=rules.events.maturity_lead_days)
    stmt = (select(h.customer_id, h.maturity_date, h.product_code, p.name, h.amount_fen)
            .select_from(HOLDING_TABLE.outerjoin(PRODUCT_TABLE, p.product_code == h.product_code))
            .where(h.customer_id.in_(ids), h.maturity_date >= as_of, h.maturity_date <= last))
    for cid, day, code, name, amount in db.execute(stmt):
        # §16: a product by its name beside its code.
        facts[cid].maturities.append((_day(day), labels.named(name, code), amount))


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
            .join_from(REPORT_TABLE, CONTACT_TABLE, k.id == r.contact_id)
            .where(k.customer_id.in_(ids), r.next_date <= as_of,
                   r.follow_up_done_at.is_(None)))
    for cid, report_id, day, plan in db.execute(stmt):
        facts[cid].report_followups.append((report_id, _day(day), plan))


def _activities(db, ids, facts, as_of, rules):
    i, a = INVITATIONS, ACTIVITIES
    last = as_of + dt.timedelta(days=rules.events.activity_lead_days)
    stmt = (select(i.customer_id, a.title, a.held_on)
            .join_from(INVITATION_TABLE, ACTIVITY_TABLE, a.id == i.activity_id)
            .where(i.customer_id.in_(ids), i.attended.is_(False),
                   a.held_on >= as_of, a.held_on <= last))
    for cid, title, day in db.execute(stmt):
        facts[cid].activities.append((title, _day(day)))
