"""The SQL of one screening run (SPEC §1): a handful of statements over whole tables.

Passes: one GROUP BY over the asset rows written straight into the month's results
(no join); one pass over the customers that copies into a temp table (screen_new) only
those whose state changes or matters this month — a card, a qualified tier that changes
or is newly reached, a status to move — from which the card holders' results are
completed, the tier changes recorded, those customers updated and the report read. The
month's ADB12 lives in the results alone (vipcli.services.core.standing reads it): the other
customers, most of them month after month, are not written at all. SQLAlchemy Core, the
same SQL on SQLite and PostgreSQL; the day counts and thresholds are computed in Python
and bound.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    true,
    update,
)

from vipcli.db.models import (
    Customer,
    DowngradeCount,
    MonthlyAsset,
    ScreeningResult,
    ScreeningRun,
    TierHistory,
)
from vipcli.domain.vocabulary import CLOSED_STATUSES, TIERS
from vipcli.services.screening.plan import ScreeningPlan
from vipcli.services.screening.results import ScreeningReport, TierCounts

c = Customer.__table__
a = MonthlyAsset.__table__
r = ScreeningResult.__table__
th = TierHistory.__table__
below_counts = DowngradeCount.__table__
runs = ScreeningRun.__table__

Expr = ColumnElement[Any]  # an SQL expression of the §1 rules over one customer's row

_TEMP = MetaData()
# The customers whose state matters this month (a card now or before it, a qualified tier
# that changes or is newly reached) with their state before the run and the §1 outcome.
new = Table(
    "screen_new", _TEMP,
    Column("customer_id", String(32), primary_key=True),
    Column("qualified", String(10)),
    Column("adb12", BigInteger),
    Column("signed_before", String(10)),  # the card before this month's downgrade
    Column("months_below", Integer),
    Column("signed_after", String(10)),
    Column("carried", Integer),  # the count carried to next month (0 after a downgrade)
    Column("status", String(10)),
    Column("qualified_before", String(10)),  # qualified tier before this month (report)
    Column("old_qualified", String(10)),  # as stored on the customer now
    Column("old_signed", String(10)),
    Column("card_changed", Integer),  # 1 when this month changes the signed tier
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
NEW_COLUMNS = [col.name for col in new.c]
RESULT_COLUMNS = ["month", "customer_id", "adb12_fen", "qualified_tier", "signed_tier", "months_below"]
RANK = {"diamond": 3, "platinum": 2, "gold": 1}


def _count_now() -> ColumnElement[int]:
    """The customer's count of months below its card before this month (no row: 0);
    downgrade_counts is outer-joined in _touch."""
    return func.coalesce(below_counts.c.months_below, 0)


def _status_without_card(qualified: ColumnElement[str | None]) -> ColumnElement[str]:
    """§3 for a customer without a card (and not declined or lost): a qualified tier makes a
    potential VIP, none a prospect."""
    return case((qualified.is_not(None), "potential"), else_="prospect")


def _rank_of_tier(column: ColumnElement[str | None]) -> ColumnElement[int]:
    return case(RANK, value=column, else_=0)


def _figures(plan: ScreeningPlan, num: ColumnElement[int]) -> tuple[Expr, Expr, Expr]:
    """qualified tier, its rank and the rounded ADB12 from Σ fen·days (`num`), in SQL."""
    b: dict[str, Expr] = {t: literal_column(str(v)) for t, v in plan.bounds.items()}
    # §1: inclusive lower bounds, exact integer comparison of Σ fen·days with bound × days
    qualified = case((num >= b["diamond"], "diamond"), (num >= b["platinum"], "platinum"),
                     (num >= b["gold"], "gold"), else_=null())
    rank = case((num >= b["diamond"], 3), (num >= b["platinum"], 2), (num >= b["gold"], 1), else_=0)
    # Rounded half-up to the fen in integers: (2·num + days) // (2·days), num ≥ 0.
    adb12 = (2 * num + plan.total_days) // (2 * plan.total_days)
    return qualified, rank, adb12


def _month_columns(
    plan: ScreeningPlan, qualified: Expr, rank: Expr, adb12: Expr, *, rerun: bool
) -> list[Expr]:
    """The §1 rules over one customer's figures and its state (its customers row and
    downgrade count, or screen_prior on a rerun of the month), in the order of NEW_COLUMNS."""
    if rerun:
        again = prior.c.customer_id.is_not(None)
        signed_before: Expr = case((again, prior.c.signed_before), else_=c.c.signed_tier)
        prev_below: Expr = case((again, prior.c.prev_below), else_=_count_now())
        qualified_before: Expr = case((again, prior.c.qualified_before), else_=c.c.qualified_tier)
    else:  # the usual first run of a month: straight from the customers row
        signed_before, prev_below = c.c.signed_tier, _count_now()
        qualified_before = c.c.qualified_tier
    below = _rank_of_tier(signed_before) > rank
    months_below = case((below, prev_below + 1), else_=0)
    downgraded = and_(below, prev_below + 1 >= plan.downgrade_after)
    signed_after = case((downgraded, qualified), else_=signed_before)
    status = case(  # §3 lifecycle: declined and lost stay; a card makes signed
        (c.c.status.in_(CLOSED_STATUSES), c.c.status),
        (signed_after.is_not(None), "signed"),
        else_=_status_without_card(qualified),
    )
    return [
        c.c.customer_id, qualified, adb12, signed_before, months_below, signed_after,
        case((downgraded, 0), else_=months_below), status, qualified_before,
        c.c.qualified_tier, c.c.signed_tier,
        case((c.c.signed_tier.is_distinct_from(signed_after), 1), else_=0),
    ]


def _scope_customers(plan: ScreeningPlan) -> ColumnElement[bool]:
    return true() if plan.scope == "all" else c.c.branch_id == plan.scope


def scopes_overlapping(scope: str) -> ColumnElement[bool]:
    """Runs whose scope overlaps `scope`: every run for 'all', else 'all' and that outlet."""
    return true() if scope == "all" else runs.c.scope.in_(["all", scope])


def _scope_ids(column: ColumnElement[str], plan: ScreeningPlan) -> ColumnElement[bool]:
    if plan.scope == "all":
        return true()
    return column.in_(select(c.c.customer_id).where(c.c.branch_id == plan.scope))


def run(conn: Connection, plan: ScreeningPlan) -> None:
    for table in (new, prior):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
        table.create(conn)
    rerun = _prior_of_rerun(conn, plan)
    conn.execute(delete(r).where(r.c.month == plan.month, _scope_ids(r.c.customer_id, plan)))
    _aggregate(conn, plan)
    _touch(conn, plan, rerun=rerun)
    _fix_signed(conn, plan)
    _record_changes(conn, plan)
    _update_customers(conn, plan)


def drop_temps(conn: Connection) -> None:
    for table in (new, prior):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")


def _aggregate(conn: Connection, plan: ScreeningPlan) -> None:
    """The one pass over the asset rows, written straight into the month's results:
    Σ adb·days per customer (GROUP BY in primary-key order) with its tier and ADB12
    computed in the aggregate (the sum once). No join: the card and the count of months
    below it are filled in afterwards for the few customers that hold one (_fix_signed).
    Then the customers without any asset row (ADB12 0). No filter on month: on SQLite a
    month range would pick the month index and read the rows in random order; months
    outside the window weigh 0 instead."""
    # Inline literals (validated months, day counts): identical SUM texts are computed once.
    days = case({literal_column(f"'{m}'"): literal_column(str(d)) for m, d in plan.days().items()},
                value=a.c.month, else_=literal_column("0"))
    # CAST: PostgreSQL sums bigints as numeric, and numeric / numeric is not integer division.
    total = cast(func.sum(a.c.avg_daily_fen * days), BigInteger)
    qualified, _rank, adb12 = _figures(plan, total)
    month = literal(plan.month, String(7))
    sums = select(month, a.c.customer_id, adb12, qualified, null(), literal(0, Integer()))
    if plan.scope != "all":
        sums = sums.where(_scope_ids(a.c.customer_id, plan))
    found = conn.execute(
        insert(r).from_select(RESULT_COLUMNS, sums.group_by(a.c.customer_id))
    ).rowcount
    in_scope = conn.execute(select(func.count()).select_from(c).where(_scope_customers(plan)))
    if found == in_scope.scalar_one():
        return  # every customer has asset rows (the usual month): no second pass
    seen = (select(r.c.customer_id)
            .where(r.c.month == plan.month, r.c.customer_id == c.c.customer_id).exists())
    zero_qualified, _rank, zero_adb12 = _figures(plan, literal(0, BigInteger()))
    without_assets = select(month, c.c.customer_id, zero_adb12, zero_qualified, null(),
                            literal(0, Integer())).where(_scope_customers(plan), ~seen)
    conn.execute(insert(r).from_select(RESULT_COLUMNS, without_assets))


def _touch(conn: Connection, plan: ScreeningPlan, *, rerun: bool) -> None:
    """screen_new: the customers whose state changes or matters this month — a card (now
    or before the month), a qualified tier that changes or is newly reached, a status to
    move (§3) or a count of months below to clear. The rest (most customers, month after
    month) are not written: their new ADB12 is in the results. One pass over the customers
    with a primary-key probe into the month's results."""
    qualified = r.c.qualified_tier
    columns = _month_columns(plan, qualified, _rank_of_tier(qualified), r.c.adb12_fen, rerun=rerun)
    signed_before, qualified_before = columns[3], columns[8]
    joined = (c.join(r, and_(r.c.month == plan.month, r.c.customer_id == c.c.customer_id))
              .outerjoin(below_counts, below_counts.c.customer_id == c.c.customer_id))
    # Cheap tests only: every customer goes through all of them. Card holders are all
    # taken, so the status test is the card-less one.
    reasons = [
        signed_before.is_not(None),
        c.c.qualified_tier.is_distinct_from(qualified),
        and_(c.c.status.not_in(CLOSED_STATUSES), c.c.status != _status_without_card(qualified)),
        below_counts.c.customer_id.is_not(None),  # a count to carry on or clear
    ]
    if rerun:
        joined = joined.outerjoin(prior, prior.c.customer_id == c.c.customer_id)
        # a card now (signed since the first run) and the first run's newly qualified
        reasons += [c.c.signed_tier.is_not(None),
                    and_(qualified_before.is_(None), qualified.is_not(None))]
    touched = select(*columns).select_from(joined).where(_scope_customers(plan), or_(*reasons))
    conn.execute(insert(new).from_select(NEW_COLUMNS, touched))


def _fix_signed(conn: Connection, plan: ScreeningPlan) -> None:
    """The month's results of card holders: the card before this month and the count of
    screened months below it (§1), from screen_new (primary-key probes, card holders only;
    measured faster than UPDATE … FROM, which SQLite drives from the results side)."""
    mine = new.c.customer_id == r.c.customer_id
    holders = select(new.c.customer_id).where(new.c.signed_before.is_not(None))
    conn.execute(
        update(r)
        .where(r.c.month == plan.month, r.c.customer_id.in_(holders))
        .values(signed_tier=select(new.c.signed_before).where(mine).scalar_subquery(),
                months_below=select(new.c.months_below).where(mine).scalar_subquery())
    )


def _prior_of_rerun(conn: Connection, plan: ScreeningPlan) -> bool:
    """For customers screened for this month before (a result row for it): their state
    before its first run, so a rerun neither downgrades twice nor counts the month twice
    (§1 idempotency)."""
    if conn.execute(select(runs.c.id).where(runs.c.month == plan.month).limit(1)).first() is None:
        return False
    mine, prev = r.alias("mine"), r.alias("prev")
    n = plan.downgrade_after
    mine_after = case((mine.c.months_below >= n, mine.c.qualified_tier), else_=mine.c.signed_tier)
    untouched = c.c.signed_tier.is_not_distinct_from(mine_after)  # no signing since
    # The screened month before this one (results are read by month: no per-customer index).
    prev_month = conn.execute(
        select(func.max(runs.c.month)).where(runs.c.month < plan.month,
                                             scopes_overlapping(plan.scope))
    ).scalar()
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
        prev, and_(prev.c.customer_id == c.c.customer_id, prev.c.month == (prev_month or ""))
    )
    source = (
        select(c.c.customer_id, signed_before, prev_below, prev.c.qualified_tier)
        .select_from(joined)
        .where(_scope_customers(plan))
    )
    columns = ["customer_id", "signed_before", "prev_below", "qualified_before"]
    conn.execute(insert(prior).from_select(columns, source))
    return True


def _record_changes(conn: Connection, plan: ScreeningPlan) -> None:
    """Tier history: qualified-tier changes and signed-tier downgrades, only where the
    customer's stored tier differs — so a rerun adds nothing."""
    month = new.c
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


def _update_customers(conn: Connection, plan: ScreeningPlan) -> None:
    """The customers in screen_new take the month's outcome: qualified tier, card, the date
    of a card change and the lifecycle status (§3) — one UPDATE … FROM (SQLite ≥ 3.33 and
    PostgreSQL) writing only the rows that change. Their counts of months below the card
    (0 after a downgrade: counted against the new card, §1) are rewritten in the narrow
    downgrade_counts: every customer with a count is in screen_new."""
    n = new.c
    changed = or_(c.c.qualified_tier.is_distinct_from(n.qualified),
                  c.c.signed_tier.is_distinct_from(n.signed_after), c.c.status != n.status)
    conn.execute(
        update(c).where(c.c.customer_id == n.customer_id, changed).values(
            qualified_tier=n.qualified, signed_tier=n.signed_after, status=n.status,
            tier_since=case((n.card_changed == 1, literal(plan.today, Date())),
                            else_=c.c.tier_since),
        )
    )
    conn.execute(delete(below_counts).where(below_counts.c.customer_id.in_(select(n.customer_id))))
    conn.execute(insert(below_counts).from_select(
        ["customer_id", "months_below"], select(n.customer_id, n.carried).where(n.carried > 0)
    ))


def report(conn: Connection, plan: ScreeningPlan, missing_months: list[str]) -> ScreeningReport:
    """The §15 document, from the month's figures (the same on a rerun of the month)."""
    month = n = new.c
    limit = plan.downgrade_after
    # Sums of CASEs in one pass: a GROUP BY on the tier sorts the 1M rows (3× slower).
    counts = conn.execute(
        select(*[func.coalesce(func.sum(case((r.c.qualified_tier == t, 1), else_=0)), 0)
                 for t in TIERS], func.count())
        .where(r.c.month == plan.month, _scope_ids(r.c.customer_id, plan))
    ).one()
    per_tier, screened = dict(zip(TIERS, counts[:3], strict=True)), counts[-1]
    qualified = TierCounts(diamond=per_tier["diamond"], platinum=per_tier["platinum"],
                           gold=per_tier["gold"], none=screened - sum(per_tier.values()))
    # Only the card holders the report names (not every one counting months below).
    signed = conn.execute(
        select(n.customer_id, n.signed_before, month.qualified.label("qualified"),
               month.months_below.label("months_below"))
        .where(n.signed_before.is_not(None),
               or_(month.months_below == 1, month.months_below >= limit,
                   and_(month.months_below == 0,
                        _rank_of_tier(month.qualified) > _rank_of_tier(n.signed_before))))
        .order_by(n.customer_id)
    ).all()
    # Iterated, not .scalars().all(): half the time for the ≈ 700,000 ids of a first screening.
    newly = [row[0] for row in conn.execute(
        select(n.customer_id)
        .where(n.qualified_before.is_(None), month.qualified.is_not(None),
               month.signed_after.is_(None), n.status.not_in(CLOSED_STATUSES))
        .order_by(n.customer_id)
    )]
    return {
        "month": plan.month,
        "window": [plan.months[0], plan.months[-1]],
        "scope": plan.scope,
        "screened": screened,
        "qualified": qualified,
        # §3: declined and lost customers are not flagged again
        "newly_qualified": newly,
        "upgrade_candidates": [
            {"customer_id": row.customer_id, "from": row.signed_before, "to": row.qualified}
            for row in signed if row.months_below == 0
        ],
        "downgrade_warnings": [row.customer_id for row in signed if row.months_below == 1 < limit],
        "downgraded": [
            {"customer_id": row.customer_id, "from": row.signed_before, "to": row.qualified}
            for row in signed if row.months_below >= limit
        ],
        "missing_months": missing_months,
    }
