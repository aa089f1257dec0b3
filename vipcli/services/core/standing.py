"""A customer's standing at its latest screening (SPEC §1): its ADB12 and the month.

A screening writes each month's figures once, into `screening_results`; they are not
copied onto the customers. (Rewriting a million customer rows every month to carry the
new ADB12 cost as much as the aggregate itself — issue 3's ≤ 2× figure.) The customers
row keeps only what changes rarely: the qualified and signed tiers and the lifecycle
status; the count of months below the card, which moves monthly for every customer below
its card, lives in the narrow downgrade_counts.

A customer's current figures are those of the latest screening that covered its outlet
(a run for every outlet, or for that outlet alone), read with one primary-key probe
(month, customer_id) into the results. A customer imported since that screening has
none yet ("not screened"), as before its first screening.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    SQLColumnExpression,
    and_,
    case,
    func,
    select,
)
from sqlalchemy.orm import Session

from vipcli.db.models import DowngradeCount, ScreeningResult, ScreeningRun

RESULTS = ScreeningResult.__table__
RUNS = ScreeningRun.__table__


def latest_month(branch_id: SQLColumnExpression[str] | str) -> ColumnElement[str | None]:
    """The month of the latest screening covering an outlet (`branch_id`: a column, which
    correlates, or a value): the later of the latest run for every outlet and the latest
    for that one — two index probes on (scope, month), not a scan of the runs."""

    def last_of(scope: SQLColumnExpression[str] | str) -> ColumnElement[str | None]:
        return (select(func.max(RUNS.c.month)).where(RUNS.c.scope == scope)
                .correlate_except(RUNS).scalar_subquery())

    everyone, own = last_of("all"), last_of(branch_id)
    return case((own > everyone, own), else_=func.coalesce(everyone, own))


def latest_result_join(
    customer_id: SQLColumnExpression[str] | str,
    branch_id: SQLColumnExpression[str] | str,
    name: str = "standing",
) -> tuple[FromClause, ColumnElement[bool]]:
    """An alias of the results and the ON clause that joins a customer to its latest
    figures. Outer-join it (`.outerjoin(s, on)`) and read `s.c.adb12_fen` and
    `s.c.month` (both NULL when the customer has not been screened)."""
    s = RESULTS.alias(name)
    return s, and_(s.c.month == latest_month(branch_id), s.c.customer_id == customer_id)


class Standing(NamedTuple):
    adb12_fen: int | None
    month: str | None


def current_standing(db: Session | Connection, customer_id: str, branch_id: str) -> Standing:
    """One customer's standing (`db`: a Session or a Connection)."""
    s, on = latest_result_join(customer_id, branch_id)
    row = db.execute(select(s.c.adb12_fen, s.c.month).where(on)).first()
    return Standing(None, None) if row is None else Standing(row.adb12_fen, row.month)


def months_below(db: Session | Connection, customer_id: str) -> int:
    """A card holder's consecutive screened months below its card (§1; no row: 0)."""
    return db.execute(
        select(DowngradeCount.months_below).where(DowngradeCount.customer_id == customer_id)
    ).scalar() or 0
