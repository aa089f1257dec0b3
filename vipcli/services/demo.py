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

from sqlalchemy import Select, case, func, insert, select

from vipcli.config import LoadedRules
from vipcli.db import models
from vipcli.db.engine import open_engine
from vipcli.domain.tiers import shift_month
from vipcli.services.core.context import IDENTITY_SETTING, Context

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
    ("prices", "prices.csv"),  # §12, §17 (issue 15): the after-sales extracts
    ("loans", "loans.csv"),
    ("cards", "cards.csv"),
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
    """The sample outlet as its branch head finds it on the reference day (the tour of the
    README runs on it): the signed customers were allocated while the departing manager
    still worked; this month's screening has since found potential VIPs; managers have
    logged reports the head has not reviewed; a special admission waits for a decision."""
    from vipcli.services.allocation.assignment import assign
    from vipcli.services.imports.importer import import_file
    from vipcli.services.screening.screen import screen

    imported: list[ImportSummary] = []
    with ctx.begin() as conn:  # §13: the demo stays in `declared` mode, whatever its staff
        conn.execute(insert(models.DbSetting).values(key=IDENTITY_SETTING, value="declared"))
    for kind, name in IMPORT_ORDER:
        if kind == "products":  # staff exist from here on: imports need an operator (§13)
            _act(ctx, _first_staff(ctx, "operator"))
        imported.append(import_file(ctx, kind, directory / name))
    _load_extras(ctx, directory)
    departing = _set_active(ctx, _departed(ctx), active=True)
    for outlet in _outlets(ctx):
        _act(ctx, _first_staff(ctx, "branch_head", outlet))
        assign(ctx)
    _set_active(ctx, departing, active=False)
    _act(ctx, _first_staff(ctx, "operator"))
    screening = screen(ctx, _last_sample_month(directory))
    outlet = _outlets(ctx)[0]
    _log_reports(ctx, outlet)
    _open_admission(ctx, outlet)
    _act(ctx, _first_staff(ctx, "operator"))  # after `assign`, so the head has leads to allocate
    imported.append(import_file(ctx, "leads", directory / "leads.csv"))
    _relationship_work(ctx, outlet)
    return imported, screening


def _act(ctx: Context, staff_id: str) -> None:
    ctx.actor_id, ctx._actor = staff_id, None


def _departed(ctx: Context) -> list[str]:
    """The account managers who have left (inactive in staff.csv) but still hold customers."""
    staff, customer = models.Staff, models.Customer
    with ctx.engine.connect() as conn:
        return list(conn.execute(
            select(staff.staff_id).where(staff.active.is_(False), staff.role == "account_manager",
                                         staff.staff_id.in_(select(customer.manager_id)))
        ).scalars())


def _set_active(ctx: Context, staff_ids: list[str], *, active: bool) -> list[str]:
    from sqlalchemy import update

    if staff_ids:
        with ctx.begin() as conn:
            conn.execute(update(models.Staff).where(models.Staff.staff_id.in_(staff_ids))
                         .values(active=active))
    return staff_ids


# Yesterday's calls of the outlet's first managers, with their communication reports (§6).
DEMO_REPORTS = (
    ("phone", "产品到期提醒", "双利丰下周到期，客户考虑续作", "想要稳健收益", "面谈介绍大额存单", 5),
    ("meeting", "资产配置建议", "面谈讨论资产配置", "关注子女教育金", "送基金定投方案", 6),
    ("phone", "生日问候", "电话问候生日，客户很高兴", "近期有一笔资金到期", "约下周面谈", 7),
)


def _log_reports(ctx: Context, outlet: str) -> None:
    from vipcli.services.contact.contacts import ContactInput, log_contact

    as_of = dt.date.fromisoformat(os.environ["VIP_TODAY"])
    managers = _staff_of(ctx, "account_manager", outlet)
    for manager, (channel, purpose, summary, needs, plan, days) in zip(managers, DEMO_REPORTS, strict=False):
        customer = _first_customer_of(ctx, manager)
        if customer is None:
            continue
        _act(ctx, manager)
        log_contact(ctx, ContactInput(
            customer_id=customer, channel=channel, purpose=purpose, summary=summary,
            needs=needs, next_plan=plan, next_date=as_of + dt.timedelta(days=days),
            at=dt.datetime.combine(as_of - dt.timedelta(days=1), dt.time(15, 30))))


def _open_admission(ctx: Context, outlet: str) -> None:
    """A manager asks for a Platinum card for a Gold customer whose money is on its way
    (§3): a special admission for the second-level branch's approver to decide."""
    from vipcli.services.lifecycle.admission import admit

    customer = models.Customer
    with ctx.engine.connect() as conn:
        row = conn.execute(
            select(customer.customer_id, customer.manager_id)
            .where(customer.branch_id == outlet, customer.qualified_tier == "gold",
                   customer.signed_tier == "gold",
                   customer.manager_id.in_(_staff_of_query("account_manager", outlet)))
            .order_by(customer.customer_id).limit(1)
        ).first()
    if row is None:
        return
    _act(ctx, row.manager_id)
    admit(ctx, row.customer_id, "platinum", "年底有一笔大额资金从他行转入，预计达到白金卡标准")


@contextmanager
def _on_day(day: dt.date) -> Iterator[None]:
    """The clock on an earlier day of the demo's history (complaints opened last week)."""
    previous = os.environ["VIP_TODAY"]
    os.environ["VIP_TODAY"] = day.isoformat()
    try:
        yield
    finally:
        os.environ["VIP_TODAY"] = previous


def _relationship_work(ctx: Context, outlet: str) -> None:
    """§18 as an outlet has it after a few weeks: the first manager keeps a customer's file
    and has appointments this week (one a joint visit with the branch head); complaints (one
    serious and open, one never acknowledged and overdue, one resolved); a customer marked
    lost; a walk-in recorded at the lobby; customers' ratings on past calls and meetings."""
    from sqlalchemy import update

    from vipcli.services.contact.appointments import add as add_appointment
    from vipcli.services.routine import complaints
    from vipcli.services.routine.customer_file import FileEdit, edit, mark_lost
    from vipcli.services.routine.leads import add_lead

    as_of = dt.date.fromisoformat(os.environ["VIP_TODAY"])
    head, lobby = _first_staff(ctx, "branch_head", outlet), _first_staff(ctx, "lobby_manager", outlet)
    manager = _first_staff(ctx, "account_manager", outlet)
    book = _signed_customers_of(ctx, manager)
    if len(book) < 3:
        return
    _act(ctx, manager)
    edit(ctx, book[0], FileEdit(
        interests="宠物、子女教育、高尔夫", anniversaries=["结婚纪念日=2001-12-01"],
        special_period="家人住院治疗，近期少打扰、多关心", until=as_of + dt.timedelta(days=30),
        notes="喜欢喝茶；周末不接工作电话"))
    monday = as_of + dt.timedelta(days=7 - as_of.weekday())
    add_appointment(ctx, book[0], at=dt.datetime.combine(monday, dt.time(10, 0)),
                    place="网点二楼贵宾室", with_staff=[head], purpose="年末资产配置检视")
    add_appointment(ctx, book[1], at=dt.datetime.combine(monday + dt.timedelta(days=2),
                                                         dt.time(15, 0)),
                    place="客户公司", purpose="大额存单到期续作")
    _act(ctx, lobby)
    with _on_day(as_of - dt.timedelta(days=12)):
        resolved = complaints.add(ctx, book[2], text="柜台排队时间太长")
    with _on_day(as_of - dt.timedelta(days=5)):
        complaints.add(ctx, book[1], text="网银转账限额调整后没有短信通知")
    complaints.add(ctx, book[0], text="理财赎回到账慢，希望尽快处理", severity="serious")
    add_lead(ctx, name="蓝志刚", phone="13900007777", est_assets_fen=45_000_000,
             note="到店咨询大额存单，周末有空")
    _act(ctx, manager)
    with _on_day(as_of - dt.timedelta(days=10)):
        complaints.resolve(ctx, resolved["complaint_id"], result="已安排贵宾窗口优先办理并致歉",
                           satisfied=True)
    _act(ctx, head)
    lost = _first_lost_candidate(ctx, outlet, manager)
    if lost is not None:
        mark_lost(ctx, lost, "转到他行，理财收益不满意", as_of - dt.timedelta(days=7))
    # The customers' own ratings (1-5) on the outlet's calls and meetings of the last half
    # year: mostly 4 and 5, a few 3s and one 2 in twenty (demo history, fixed by contact id).
    contact = models.Contact
    rating = case((contact.id % 20 == 0, 2), (contact.id % 7 == 0, 3), (contact.id % 3 == 0, 4),
                  else_=5)
    with ctx.begin() as conn:
        conn.execute(update(contact).where(
            contact.channel.in_(("phone", "meeting")), contact.id % 2 == 0,
            contact.contacted_at >= dt.datetime.combine(as_of - dt.timedelta(days=183), dt.time()),
            contact.staff_id.in_(select(models.Staff.staff_id).where(
                models.Staff.branch_id == outlet))).values(satisfaction=rating))


def _signed_customers_of(ctx: Context, manager: str) -> list[str]:
    customer = models.Customer
    with ctx.engine.connect() as conn:
        return list(conn.execute(
            select(customer.customer_id).where(customer.manager_id == manager,
                                               customer.status == "signed")
            .order_by(customer.customer_id).limit(3)).scalars())


def _first_lost_candidate(ctx: Context, outlet: str, manager: str) -> str | None:
    """A Diamond customer of another active manager of the outlet: the loss the head sees."""
    customer = models.Customer
    with ctx.engine.connect() as conn:
        return conn.execute(
            select(customer.customer_id).where(
                customer.branch_id == outlet, customer.status == "signed",
                customer.signed_tier == "diamond", customer.manager_id != manager,
                customer.manager_id.in_(_staff_of_query("account_manager", outlet)))
            .order_by(customer.customer_id).limit(1)).scalar()


def _staff_of_query(role: str, branch_id: str) -> Select[str]:
    staff = models.Staff
    return select(staff.staff_id).where(staff.role == role, staff.branch_id == branch_id,
                                        staff.active.is_(True))


def _staff_of(ctx: Context, role: str, branch_id: str) -> list[str]:
    with ctx.engine.connect() as conn:
        query = _staff_of_query(role, branch_id).order_by(models.Staff.staff_id)
        return list(conn.execute(query).scalars())


def _first_customer_of(ctx: Context, manager: str) -> str | None:
    customer = models.Customer
    with ctx.engine.connect() as conn:
        return conn.execute(
            select(customer.customer_id).where(customer.manager_id == manager,
                                               customer.signed_tier.is_not(None))
            .order_by(customer.customer_id).limit(1)
        ).scalar()


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
        ctx = Context(open_engine(str(scratch)), loaded_rules, None, identity="declared")
        try:
            with pinned_today(as_of):
                imported, screening = _build(ctx, directory)
        finally:
            ctx.close()
        _remove(path)
        os.replace(scratch, path)
    # The builder shows its own sample outlet as its staff: declared, whatever the rules say.
    ctx = Context(open_engine(str(path)), loaded_rules, None, identity="declared")
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
