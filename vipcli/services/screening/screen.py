"""Monthly tier screening (SPEC §1) as a few set-based SQL statements.

One transaction: aggregate the window's assets once straight into the month's
results, complete the card holders' rows, record tier changes, update the customers
whose state moved, report. The rules are those of `vipcli.domain.screening`, written
here as SQL over whole tables (the same statements on SQLite and PostgreSQL; no Python
loop over customers). The month's ADB12 stays in the results (`services.core.standing`).

Idempotency (§1: a rerun replaces the month's results and changes nothing else):
a result row keeps the signed tier *before* that month's downgrade, so a rerun
starts from the state before the first run of the month, not from its outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, func, insert, select, update

from vipcli import clock
from vipcli.db.engine import writing
from vipcli.db.models import Customer, MonthlyAsset, ScreeningRun
from vipcli.domain.money import yuan_to_fen
from vipcli.domain.screening import default_month
from vipcli.domain.tiers import month_days, window
from vipcli.domain.vocabulary import TIERS
from vipcli.errors import InvalidInput, PreconditionFailed, RuleViolation
from vipcli.i18n import _
from vipcli.services.core.access import ADMIN_ROLES, require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context
from vipcli.services.screening import screen_sql
from vipcli.services.screening.plan import ScreeningPlan
from vipcli.services.screening.results import ScreeningReport

if TYPE_CHECKING:
    import sqlite3

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def screen(
    ctx: Context, month: str | None = None, *, allow_missing_months: bool = False
) -> ScreeningReport:
    """Screen every customer in the actor's scope for `month`; return the §15 document."""
    actor = ctx.actor()
    require_role(actor, ADMIN_ROLES, _("run the monthly screening"))
    today = clock.today()
    month = _checked_month(month, today)
    plan = _plan(ctx, actor, month, today)
    with _screening_connection(ctx) as conn, conn.begin():
        _check_order(conn, plan)
        _check_customers(conn, plan)
        missing = _missing_months(conn, plan)
        if missing and not allow_missing_months:
            raise PreconditionFailed(
                _("cannot screen {month}: no asset rows at all for {missing} among the customers "
                  "screened ({scope}); import the missing month(s) first, or pass "
                  "--allow-missing-months to count them as zero").format(
                    month=month, missing=", ".join(missing), scope=_scope_text(plan.scope))
            )
        screen_sql.run(conn, plan)
        report = screen_sql.report(conn, plan, missing)
        screen_sql.drop_temps(conn)
        _record_run(conn, plan, report["screened"])
        audit(
            conn, actor.staff_id, "screen", None, month=month, scope=plan.scope,
            screened=report["screened"], newly_qualified=len(report["newly_qualified"]),
            downgrade_warnings=len(report["downgrade_warnings"]),
            downgraded=len(report["downgraded"]), missing_months=missing,
        )
    return report


# The screening connection only, on SQLite: a page cache that holds the month's results
# and the customers being written (no spilling of dirty pages mid-transaction) and the
# temp table in memory.
SQLITE_SCREEN_PRAGMAS = {"cache_size": -262_144, "temp_store": 2}  # 256 MiB; 2 = MEMORY


@contextmanager
def _screening_connection(ctx: Context) -> Iterator[Connection]:
    with writing(ctx.engine).connect() as conn:  # §13: BEGIN IMMEDIATE
        if conn.dialect.name != "sqlite":
            yield conn
            return
        # On the DB-API connection, outside any transaction (SQLite refuses to change
        # temp_store inside one; SQLAlchemy would autobegin).
        raw = cast("sqlite3.Connection", conn.connection.dbapi_connection)  # SQLite: pysqlite's
        saved = {name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in SQLITE_SCREEN_PRAGMAS}
        _pragmas(raw, SQLITE_SCREEN_PRAGMAS)
        try:
            yield conn
        finally:  # the pooled connection goes back as it came
            _pragmas(raw, saved)


def _pragmas(raw: sqlite3.Connection, values: dict[str, int]) -> None:
    for name, value in values.items():
        raw.execute(f"PRAGMA {name}={int(value)}")


def _checked_month(month: str | None, today: dt.date) -> str:
    if month is None:
        return default_month(today)
    if not MONTH_RE.match(month):
        raise InvalidInput(_("--month must look like 2026-10, got {month!r}").format(month=month))
    last = default_month(today)
    if month > last:
        raise InvalidInput(
            _("month {month} is not complete yet (today is {today}); the last complete month is "
              "{last}").format(month=month, today=today.isoformat(), last=last)
        )
    return month


def _plan(ctx: Context, actor: Actor, month: str, today: dt.date) -> ScreeningPlan:
    months = window(month)
    total_days = sum(month_days(m) for m in months)
    tiers = ctx.rules.tiers
    # §1 exactness: compare Σ fen·days with threshold_fen × Σ days, all integers.
    bounds = {t: yuan_to_fen(getattr(tiers, t)) * total_days for t in TIERS}
    return ScreeningPlan(
        month=month, months=months, scope="all" if actor.role == "operator" else actor.branch_id,
        bounds=bounds, total_days=total_days,
        downgrade_after=ctx.rules.screening.downgrade_after_months,
        today=today, now=clock.now(), actor_id=actor.staff_id,
    )


def _scope_text(scope: str) -> str:
    return _("every outlet") if scope == "all" else _("outlet {outlet}").format(outlet=scope)


def _check_order(conn: Connection, plan: ScreeningPlan) -> None:
    """Screening moves forward: a month before the latest screened one would rewrite history."""
    runs = ScreeningRun.__table__
    latest = conn.execute(
        select(func.max(runs.c.month)).where(screen_sql.scopes_overlapping(plan.scope))
    ).scalar()
    if latest is not None and latest > plan.month:
        raise RuleViolation(
            _("cannot screen {month}: {latest} has already been screened ({scope}); screening goes "
              "forward — rerun {latest} or a later month").format(
                month=plan.month, latest=latest, scope=_scope_text(plan.scope))
        )


def _check_customers(conn: Connection, plan: ScreeningPlan) -> None:
    c = Customer.__table__
    query = select(c.c.customer_id)
    if plan.scope != "all":
        query = query.where(c.c.branch_id == plan.scope)
    if conn.execute(query.limit(1)).first() is None:
        raise PreconditionFailed(
            _("nothing to screen: no customers in {scope}; import customers first")
            .format(scope=_scope_text(plan.scope))
        )


def _missing_months(conn: Connection, plan: ScreeningPlan) -> list[str]:
    """§1: months of the window with no asset row at all among the screened customers."""
    a, c = MonthlyAsset.__table__, Customer.__table__
    missing = []
    for month in plan.months:  # 12 index probes, not a loop over data
        query = select(a.c.customer_id).where(a.c.month == month)
        if plan.scope != "all":
            query = query.where(
                a.c.customer_id.in_(select(c.c.customer_id).where(c.c.branch_id == plan.scope))
            )
        if conn.execute(query.limit(1)).first() is None:
            missing.append(month)
    return missing


def _record_run(conn: Connection, plan: ScreeningPlan, screened: int) -> None:
    """One ScreeningRun row per (month, scope); a rerun updates when and by whom."""
    runs = ScreeningRun.__table__
    where = (runs.c.month == plan.month) & (runs.c.scope == plan.scope)
    done = conn.execute(
        update(runs).where(where).values(run_at=plan.now, run_by=plan.actor_id, screened=screened)
    ).rowcount
    if not done:
        conn.execute(
            insert(runs).values(
                month=plan.month, scope=plan.scope, run_at=plan.now,
                run_by=plan.actor_id, screened=screened,
            )
        )
