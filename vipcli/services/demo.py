"""`vip quickstart`: build the demo outlet from the bundled sample data and show its morning.

The sample data is dated: its "today" is the 27th of the month after its last asset
month (sample_data/README.md). The demo runs with the clock pinned to that day, so
the morning list looks the same whenever it is run; other commands on the demo
database take VIP_TODAY=<that day> to see the same picture.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, insert, select

from vipcli.config import LoadedRules
from vipcli.db import models
from vipcli.db.engine import open_engine
from vipcli.domain.tiers import shift_month
from vipcli.services.core.context import Context

if TYPE_CHECKING:
    from vipcli.services.contact.due import DueList
    from vipcli.services.imports.importer import ImportSummary
    from vipcli.services.sales.recommend import Recommendation
    from vipcli.services.screening.results import ScreeningReport

IMPORT_ORDER = (
    ("branches", "branches.csv"),
    ("staff", "staff.csv"),
    ("products", "products.csv"),
    ("cross-sell", "cross_sell.csv"),
    ("customers", "customers.csv"),
    ("assets", "monthly_assets.csv"),
    ("holdings", "holdings.csv"),
    ("transactions", "transactions.csv"),
)
SAMPLE_REFERENCE_DAY = 27  # sample_data/README.md: the data's today is the 27th


@dataclass
class Demo:
    path: Path
    built: bool
    as_of: dt.date
    outlet_id: str
    head_id: str
    manager_id: str
    operator_id: str
    imported: list[ImportSummary]
    screening: ScreeningReport | None


class DemoMorning(TypedDict):
    """`vip quickstart --json` (beside the imports): the demo outlet's morning."""

    as_of: dt.date
    outlet_id: str
    tiers: dict[str, dict[str, int]]
    screening: ScreeningReport | None
    outlet_due: DueList
    manager_due: DueList
    ideas: Recommendation | None


def sample_dir() -> Path:
    try:
        # mypy reads the source tree, where vipcli.sample_data is sample_data/ (package-dir)
        import vipcli.sample_data as packaged  # type: ignore[import-not-found]

        return Path(packaged.__file__).parent
    except ImportError:  # a source tree that is not installed
        return Path(__file__).resolve().parents[2] / "sample_data"


@contextmanager
def pinned_today(day: dt.date) -> Iterator[None]:
    """Run with the clock on the sample's day unless the user pinned one already."""
    previous = os.environ.get("VIP_TODAY")
    if previous is None:
        os.environ["VIP_TODAY"] = day.isoformat()
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("VIP_TODAY", None)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            candidate.unlink()


def _last_sample_month(directory: Path) -> str:
    with open(directory / "monthly_assets.csv", encoding="utf-8", newline="") as handle:
        return max(row["month"] for row in csv.DictReader(handle))


def reference_date(directory: Path) -> dt.date:
    month = shift_month(_last_sample_month(directory), 1)
    return dt.date(int(month[:4]), int(month[5:7]), SAMPLE_REFERENCE_DAY)


def _first_staff(ctx: Context, role: str, branch_id: str | None = None) -> str:
    staff = models.Staff
    query = select(staff.staff_id).where(staff.role == role, staff.active.is_(True))
    if branch_id is not None:
        query = query.where(staff.branch_id == branch_id)
    with ctx.engine.connect() as conn:
        return conn.execute(query.order_by(staff.staff_id).limit(1)).scalar_one()


def _outlets(ctx: Context) -> list[str]:
    with ctx.engine.connect() as conn:
        return list(
            conn.execute(
                select(models.Branch.branch_id).where(models.Branch.level == 3)
                .order_by(models.Branch.branch_id)
            ).scalars()
        )


def _load_extras(ctx: Context, directory: Path) -> None:
    """Contacts, risk assessments and anniversaries: history a real outlet would already have."""

    def read(name: str) -> list[dict[str, str]]:
        with open(directory / name, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    risk_days = ctx.rules.risk.assessment_valid_days
    now = dt.datetime.combine(reference_date(directory), dt.time(8, 0))
    contacts = [
        dict(
            id=int(r["contact_id"]) if r["contact_id"].isdigit() else None,
            customer_id=r["customer_id"],
            staff_id=r["staff_id"],
            contacted_at=dt.datetime.fromisoformat(r["contacted_at"]),
            channel=r["channel"],
            purpose=r["purpose"] or None,
            summary=r["summary"] or None,
        )
        for r in read("contacts.csv")
    ]
    for row in contacts:
        if row["id"] is None:
            del row["id"]
    risks = [
        dict(
            customer_id=r["customer_id"],
            level=int(r["level"]),
            assessed_on=dt.date.fromisoformat(r["assessed_on"]),
            valid_until=dt.date.fromisoformat(r["assessed_on"]) + dt.timedelta(days=risk_days),
            recorded_at=now,
        )
        for r in read("risk_assessments.csv")
    ]
    anniversaries = [
        dict(customer_id=r["customer_id"], label=r["label"], date=dt.date.fromisoformat(r["date"]))
        for r in read("anniversaries.csv")
    ]
    with ctx.begin() as conn:
        for model, rows in ((models.Contact, contacts), (models.RiskAssessment, risks),
                            (models.Anniversary, anniversaries)):
            if rows:
                conn.execute(insert(model), rows)


def _build(ctx: Context, directory: Path) -> tuple[list[ImportSummary], ScreeningReport]:
    from vipcli.services.allocation.assignment import assign
    from vipcli.services.imports.importer import import_file
    from vipcli.services.screening.screen import screen

    imported: list[ImportSummary] = []
    for kind, name in IMPORT_ORDER:
        if kind == "products":  # staff exist from here on: imports need an operator (§13)
            ctx.actor_id = _first_staff(ctx, "operator")
            ctx._actor = None
        imported.append(import_file(ctx, kind, directory / name))
    _load_extras(ctx, directory)
    screening = screen(ctx, _last_sample_month(directory))
    for outlet in _outlets(ctx):
        ctx.actor_id, ctx._actor = _first_staff(ctx, "branch_head", outlet), None
        assign(ctx)
    return imported, screening


def build_demo(path: Path, loaded_rules: LoadedRules, *, force: bool = False) -> tuple[Demo, Context]:
    """Build (or, with force, rebuild) the demo database; reuse an existing one otherwise.

    The build goes to a scratch file renamed into place only when complete, so an
    interrupted quickstart never leaves a half-built demo behind.
    """
    directory = sample_dir()
    as_of = reference_date(directory)
    imported: list[ImportSummary] = []
    screening: ScreeningReport | None = None
    if force or not path.exists():
        scratch = path.with_name(path.name + ".building")
        _remove(scratch)
        ctx = Context(open_engine(str(scratch)), loaded_rules, None)
        try:
            with pinned_today(as_of):
                imported, screening = _build(ctx, directory)
        finally:
            ctx.close()
        _remove(path)
        os.replace(scratch, path)
    ctx = Context(open_engine(str(path)), loaded_rules, None)
    outlet = _outlets(ctx)[0]
    demo = Demo(
        path=path,
        built=bool(imported),
        as_of=as_of,
        outlet_id=outlet,
        head_id=_first_staff(ctx, "branch_head", outlet),
        manager_id=_first_staff(ctx, "account_manager", outlet),
        operator_id=_first_staff(ctx, "operator"),
        imported=imported,
        screening=screening,
    )
    return demo, ctx


def _tier_counts(ctx: Context, outlet: str) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    with ctx.engine.connect() as conn:
        for column in ("signed_tier", "qualified_tier"):
            col = getattr(models.Customer, column)
            rows = conn.execute(
                select(col, func.count()).where(models.Customer.branch_id == outlet).group_by(col)
            ).all()
            counts[column] = {(tier or "none"): n for tier, n in rows}
    return counts


def morning(ctx: Context, demo: Demo) -> DemoMorning:
    """What the demo outlet's morning looks like: the book, the lists, a taste of the rest."""
    from vipcli.services.contact.due import due_list

    with pinned_today(demo.as_of):
        ctx.actor_id, ctx._actor = demo.head_id, None
        outlet_list = due_list(ctx, limit=10)
        ctx.actor_id, ctx._actor = demo.manager_id, None
        manager_list = due_list(ctx, limit=8)
        ideas = _first_customer_ideas(ctx, demo, manager_list)
    return {
        "as_of": demo.as_of,
        "outlet_id": demo.outlet_id,
        "tiers": _tier_counts(ctx, demo.outlet_id),
        "screening": demo.screening,
        "outlet_due": outlet_list,
        "manager_due": manager_list,
        "ideas": ideas,
    }


def _first_customer_ideas(ctx: Context, demo: Demo, manager_list: DueList) -> Recommendation | None:
    """Ideas for the call to the manager's first customer (None when its list is empty)."""
    from vipcli.services.sales.recommend import recommend_for

    items = manager_list["items"]
    if not items:
        return None
    customer_id = items[0]["customer_id"]
    with ctx.session() as session:
        customer = session.get_one(models.Customer, customer_id)
        return recommend_for(session, customer, demo.as_of, ctx.rules)
