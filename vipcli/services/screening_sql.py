"""The SQL of one screening run (SPEC §1): a handful of statements over whole tables.

Passes: one aggregate over the asset rows into a temp table; one INSERT … SELECT of
the month's results; one INSERT … SELECT of the tier changes; one UPDATE … FROM of
the customers; small reads for the report. SQLAlchemy Core, the same SQL on SQLite
and PostgreSQL; the day counts and thresholds are computed in Python and bound.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    true,
    update,
)

from vipcli.db.models import Customer, MonthlyAsset, ScreeningResult, ScreeningRun, TierHistory
from vipcli.domain.screening import FINAL_STATUSES
from vipcli.domain.vocabulary import TIERS

if TYPE_CHECKING:
    from vipcli.services.screening import Plan

c = Customer.__table__
a = MonthlyAsset.__table__
r = ScreeningResult.__table__
th = TierHistory.__table__
runs = ScreeningRun.__table__

_TEMP = MetaData()
# The month's per-customer figures and the customer's state before the run (one pass).
new = Table(
    "screen_new", _TEMP,
    Column("customer_id", String(32), primary_key=True),
    Column("num", BigInteger),  # Σ avg_daily_fen × days(month) over the window
    Column("signed_before", String(10)),  # the card before this month's downgrade
    Column("prev_below", Integer),  # consecutive months below it before this month
    Column("qualified_before", String(10)),  # qualified tier before this month (report)
    Column("old_qualified", String(10)),  # as stored on the customer now
    Column("old_signed", String(10)),
    Column("old_status", String(10)),
    # Derived once from the above by _derive (the §1 rules), read by every later statement.
    Column("qualified", String(10)),
    Column("adb12", BigInteger),
    Column("months_below", Integer),
    Column("signed_after", String(10)),
    Column("carried", Integer),
    Column("status", String(10)),
    prefixes=["TEMPORARY"],
    sqlite_with_rowid=False,
)
# Customers being screened again for the same month: their state before its first run.
prior = Table(
    "screen_prior", _TEMP,
    Column("customer_id", String(32), primary_key=True),
    Column("signed_before", String(10)),
    Column("prev_below", Integer, nullable=False),
    Column("qualified_before", String(10)),
    prefixes=["TEMPORARY"],
    sqlite_with_rowid=False,
)
RANK = {"diamond": 3, "platinum": 2, "gold": 1}


def _rank_of_tier(column):
    return case(RANK, value=column, else_=0)


class _Month:
    """The §1 rules as SQL expressions over screen_new (computed, never stored twice)."""

    def __init__(self, plan: Plan):
        b, n = plan.bounds, new.c
        self.plan = plan
        # §1: inclusive lower bounds, exact integer comparison of Σ fen·days with bound × days
        self.qualified = case(
            (n.num >= b["diamond"], "diamond"), (n.num >= b["platinum"], "platinum"),
            (n.num >= b["gold"], "gold"), else_=null(),
        )
        rank = case((n.num >= b["diamond"], 3), (n.num >= b["platinum"], 2),
                    (n.num >= b["gold"], 1), else_=0)
        # Rounded half-up to the fen in integers: (2·num + days) // (2·days), num ≥ 0.
        self.adb12 = (2 * n.num + plan.total_days) // (2 * plan.total_days)
        below = _rank_of_tier(n.signed_before) > rank
        self.months_below = case((below, n.prev_below + 1), else_=0)
        downgraded = and_(below, n.prev_below + 1 >= plan.downgrade_after)
        self.downgraded = downgraded
        self.signed_after = case((downgraded, self.qualified), else_=n.signed_before)
        self.carried = case((downgraded, 0), else_=self.months_below)
        self.status = case(
            (n.old_status.in_(FINAL_STATUSES), n.old_status),
            (self.signed_after.is_not(None), "signed"),
            (self.qualified.is_not(None), "potential"),
            else_="prospect",
        )


def _scope_customers(plan: Plan):
    return true() if plan.scope == "all" else c.c.branch_id == plan.scope


def _scope_ids(column, plan: Plan):
    if plan.scope == "all":
        return true()
    return column.in_(select(c.c.customer_id).where(c.c.branch_id == plan.scope))


def run(conn: Connection, plan: Plan) -> None:
    for table in (new, prior):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
        table.create(conn)
    _prior_of_rerun(conn, plan)
    _aggregate(conn, plan)
    _derive(conn, plan)
    month = new.c
    conn.execute(delete(r).where(r.c.month == plan.month, _scope_ids(r.c.customer_id, plan)))
    _insert_results(conn, plan, month)
    _record_changes(conn, plan, month)
    _update_customers(conn, plan, month)


def drop_temps(conn: Connection) -> None:
    for table in (new, prior):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")


def _aggregate(conn: Connection, plan: Plan) -> None:
    """The one pass over the asset rows, driven by the customers so the month needs no
    join afterwards: Σ adb·days of each customer (a correlated sum over its primary-key
    range), with the customer's current state. No filter on month: on SQLite a month
    range would pick the month index and read rows in random order; months outside the
    window weigh 0 instead."""
    days = case(plan.days(), value=a.c.month, else_=0)
    num = (
        select(func.coalesce(func.sum(a.c.avg_daily_fen * days), 0))
        .where(a.c.customer_id == c.c.customer_id)
        .scalar_subquery()
    )
    rerun = prior.c.customer_id.is_not(None)
    source = (
        select(
            c.c.customer_id,
            num,
            case((rerun, prior.c.signed_before), else_=c.c.signed_tier),
            case((rerun, prior.c.prev_below), else_=c.c.months_below_signed),
            case((rerun, prior.c.qualified_before), else_=c.c.qualified_tier),
            c.c.qualified_tier,
            c.c.signed_tier,
            c.c.status,
        )
        .select_from(c.outerjoin(prior, prior.c.customer_id == c.c.customer_id))
        .where(_scope_customers(plan))
    )
    columns = ["customer_id", "num", "signed_before", "prev_below", "qualified_before",
               "old_qualified", "old_signed", "old_status"]
    conn.execute(insert(new).from_select(columns, source))


def _derive(conn: Connection, plan: Plan) -> None:
    """Apply the §1 rules once per customer (one pass over the temp table)."""
    month = _Month(plan)
    conn.execute(update(new).values(
        qualified=month.qualified, adb12=month.adb12, months_below=month.months_below,
        signed_after=month.signed_after, carried=month.carried, status=month.status,
    ))


def _prior_of_rerun(conn: Connection, plan: Plan) -> None:
    """For customers screened for this month before: their state before its first run, so
    a rerun neither downgrades twice nor counts the month twice (§1 idempotency)."""
    if conn.execute(select(runs.c.id).where(runs.c.month == plan.month).limit(1)).first() is None:
        return
    mine, prev, prev2 = r.alias("mine"), r.alias("prev"), r.alias("prev2")
    n = plan.downgrade_after
    mine_after = case((mine.c.months_below >= n, mine.c.qualified_tier), else_=mine.c.signed_tier)
    untouched = c.c.signed_tier.is_not_distinct_from(mine_after)  # no signing since
    prev_month = (
        select(func.max(prev2.c.month))
        .where(prev2.c.customer_id == c.c.customer_id, prev2.c.month < plan.month)
        .scalar_subquery()
    )
    signed_before = case((untouched, mine.c.signed_tier), else_=c.c.signed_tier)
    prev_below = case(
        (~untouched, 0),  # signed again since: the count restarts, as `vip sign` does
        (mine.c.months_below > 0, mine.c.months_below - 1),
        (and_(prev.c.months_below < n,
              prev.c.signed_tier.is_not_distinct_from(mine.c.signed_tier)), prev.c.months_below),
        else_=0,
    )
    joined = c.join(mine, and_(mine.c.customer_id == c.c.customer_id, mine.c.month == plan.month))
    joined = joined.outerjoin(
        prev, and_(prev.c.customer_id == c.c.customer_id, prev.c.month == prev_month)
    )
    source = (
        select(c.c.customer_id, signed_before, prev_below, prev.c.qualified_tier)
        .select_from(joined)
        .where(c.c.screened_month == plan.month, _scope_customers(plan))
    )
    columns = ["customer_id", "signed_before", "prev_below", "qualified_before"]
    conn.execute(insert(prior).from_select(columns, source))


def _insert_results(conn: Connection, plan: Plan, month) -> None:
    source = select(
        literal(plan.month, String(7)), new.c.customer_id, month.adb12, month.qualified,
        new.c.signed_before, month.months_below,
    )
    columns = ["month", "customer_id", "adb12_fen", "qualified_tier", "signed_tier", "months_below"]
    conn.execute(insert(r).from_select(columns, source))


def _record_changes(conn: Connection, plan: Plan, month) -> None:
    """Tier history: qualified-tier changes and signed-tier downgrades, only where the
    customer's stored tier differs — so a rerun adds nothing."""
    stamp = (literal(plan.month, String(7)), literal(plan.now, DateTime()),
             literal(plan.actor_id, String(32)))
    qualified = select(
        new.c.customer_id, literal("qualified", String(10)), new.c.old_qualified,
        month.qualified, literal(f"screening {plan.month}", String(200)), *stamp,
    ).where(new.c.old_qualified.is_distinct_from(month.qualified))
    reason = case(
        (month.months_below >= plan.downgrade_after,
         f"downgrade: {plan.downgrade_after} consecutive screened months below the card"),
        else_=f"rerun of {plan.month}: downgrade withdrawn",
    )
    signed = select(
        new.c.customer_id, literal("signed", String(10)), new.c.old_signed, month.signed_after,
        reason, *stamp,
    ).where(new.c.old_signed.is_distinct_from(month.signed_after))
    columns = ["customer_id", "kind", "from_tier", "to_tier", "reason", "month", "at", "by_staff_id"]
    conn.execute(insert(th).from_select(columns, qualified.union_all(signed)))


def _update_customers(conn: Connection, plan: Plan, month) -> None:
    """Denormalise the month onto the customers (§1) and move the lifecycle status (§3)."""
    conn.execute(
        update(c)
        .where(new.c.customer_id == c.c.customer_id)
        .values(
            qualified_tier=month.qualified,
            adb12_fen=month.adb12,
            screened_month=literal(plan.month, String(7)),
            months_below_signed=month.carried,  # 0 after a downgrade: counted against the new card
            signed_tier=month.signed_after,
            tier_since=case(
                (new.c.old_signed.is_distinct_from(month.signed_after), literal(plan.today, Date())),
                else_=c.c.tier_since,
            ),
            status=month.status,
        )
    )


def report(conn: Connection, plan: Plan) -> dict:
    """The §15 document, from the month's figures (the same on a rerun of the month)."""
    month = n = new.c
    counts = conn.execute(
        select(*[func.coalesce(func.sum(case((month.qualified == t, 1), else_=0)), 0) for t in TIERS],
               func.count())
    ).one()
    signed = conn.execute(
        select(n.customer_id, n.signed_before, month.qualified.label("qualified"),
               month.months_below.label("months_below"))
        .where(n.signed_before.is_not(None),
               or_(month.months_below > 0,
                   _rank_of_tier(month.qualified) > _rank_of_tier(n.signed_before)))
        .order_by(n.customer_id)
    ).all()
    newly = conn.execute(
        select(n.customer_id)
        .where(n.qualified_before.is_(None), month.qualified.is_not(None),
               month.signed_after.is_(None), n.old_status.not_in(FINAL_STATUSES))
        .order_by(n.customer_id)
    ).scalars().all()
    limit = plan.downgrade_after
    return {
        "month": plan.month,
        "window": [plan.months[0], plan.months[-1]],
        "scope": plan.scope,
        "screened": counts[-1],
        "qualified": {**dict(zip(TIERS, counts[:3], strict=True)),
                      "none": counts[-1] - sum(counts[:3])},
        # §3: declined and lost customers are not flagged again
        "newly_qualified": list(newly),
        "upgrade_candidates": [
            {"customer_id": row.customer_id, "from": row.signed_before, "to": row.qualified}
            for row in signed if row.months_below == 0
        ],
        "downgrade_warnings": [row.customer_id for row in signed if row.months_below == 1 < limit],
        "downgraded": [
            {"customer_id": row.customer_id, "from": row.signed_before, "to": row.qualified}
            for row in signed if row.months_below >= limit
        ],
    }
