"""The work journal (工作日志制度, SPEC §11): entries and the weekly summary.

`week` fills visits, contacts and sales from the data for an ISO week:
visits = meetings logged by the staff member + lobby walk-ins routed to them (§9);
contacts = every logged contact, with the distinct customers against the weekly rule (§5);
sales = opportunities owned by them and won during the week, with amounts (§7).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, insert, select

from vipcli import clock
from vipcli.db.models import Contact, JournalEntry, LobbyVisit, Opportunity, Product, Staff
from vipcli.domain.money import money_str
from vipcli.errors import InvalidInput, NotFound, PermissionDenied
from vipcli.i18n import _
from vipcli.services.core.context import Actor, Context
from vipcli.services.sales.targets import parse_week, week_of

if TYPE_CHECKING:
    from sqlalchemy import Row

KINDS = ("meeting", "visit", "sale", "suggestion", "memo")


class NewEntry(TypedDict):
    """`vip journal add --json`: the entry as recorded."""

    id: int
    staff_id: str
    date: dt.date
    kind: str
    text: str


class WeekEntry(TypedDict):
    """One journal entry of the week, as listed in the summary."""

    id: int
    date: dt.date
    kind: str
    text: str


class Visits(TypedDict):
    """The week's visits: meetings logged plus lobby walk-ins routed to the staff member."""

    meetings: int
    lobby: int
    total: int


class WeekContacts(TypedDict):
    """The week's logged contacts, the distinct customers among them, per channel."""

    total: int
    customers: int
    by_channel: dict[str, int]


class WeeklyRule(TypedDict):
    """§5: distinct customers contacted against the weekly minimum."""

    contacted: int
    target: int
    met: bool


class WonSale(TypedDict):
    """One opportunity won in the week (§7), amount in yuan."""

    opportunity_id: int
    customer_id: str
    product_code: str | None
    product_name: str | None
    amount: str | None


class WeekSales(TypedDict):
    """The week's won opportunities and their total in yuan."""

    won: int
    amount: str | None
    items: list[WonSale]


_Span = TypedDict("_Span", {"from": dt.date, "to": dt.date})


class WeekSummary(_Span):
    """`vip journal week --json`: the week's visits, contacts, sales and entries (§11)."""

    week: str
    staff_id: str
    name: str
    visits: Visits
    contacts: WeekContacts
    weekly_rule: WeeklyRule
    sales: WeekSales
    entries: list[WeekEntry]


def add_entry(ctx: Context, *, kind: str, text: str, on: dt.date | None = None) -> NewEntry:
    actor = ctx.actor()
    if kind not in KINDS:
        raise InvalidInput(_("unknown journal kind {kind!r}; expected one of {kinds}").format(
            kind=kind, kinds=", ".join(KINDS)))
    if not text.strip():
        raise InvalidInput(_("a journal entry needs --text"))
    day = on or clock.today()
    if day > clock.today():
        raise InvalidInput(_("a journal entry cannot be dated in the future ({day})").format(day=day))
    with ctx.session() as session:
        new_id = session.execute(
            insert(JournalEntry)
            .values(staff_id=actor.staff_id, entry_date=day, kind=kind, text=text.strip(),
                    created_at=clock.now())
            .returning(JournalEntry.id)
        ).scalar_one()
    return {"id": new_id, "staff_id": actor.staff_id, "date": day, "kind": kind, "text": text.strip()}


def week_bounds(week: str | None, today: dt.date) -> tuple[str, dt.date, dt.date]:
    """'2026-W48' → (label, Monday, Sunday); default the ISO week of today."""
    label = week.strip() if week is not None else week_of(today)
    monday, sunday = parse_week(label)
    return label, monday, sunday


def _whose(ctx: Context, actor: Actor, staff_id: str | None) -> Row[str, str, str]:
    """Own journal; the branch head may read any of its outlet's staff (the supervisor, §11)."""
    target = staff_id or actor.staff_id
    with ctx.session(write=False) as session:
        row = session.execute(
            select(Staff.staff_id, Staff.name, Staff.branch_id).where(Staff.staff_id == target)
        ).first()
    if row is None:
        raise NotFound(_("unknown staff member {staff!r}").format(staff=target))
    if target != actor.staff_id and not (
        actor.role == "branch_head" and row.branch_id == actor.branch_id
    ):
        raise PermissionDenied(_("{actor} may read only its own journal").format(actor=actor.describe()))
    return row


def week_summary(ctx: Context, *, week: str | None = None,
                 staff_id: str | None = None) -> WeekSummary:
    actor = ctx.actor()
    staff = _whose(ctx, actor, staff_id)
    label, monday, sunday = week_bounds(week, clock.today())
    start = dt.datetime.combine(monday, dt.time.min)
    end = start + dt.timedelta(days=7)
    sid = staff.staff_id
    with ctx.session(write=False) as session:
        by_channel = dict(session.execute(
            select(Contact.channel, func.count()).where(
                Contact.staff_id == sid, Contact.contacted_at >= start, Contact.contacted_at < end
            ).group_by(Contact.channel)
        ).all())
        customers = session.execute(
            select(func.count(func.distinct(Contact.customer_id))).where(
                Contact.staff_id == sid, Contact.contacted_at >= start, Contact.contacted_at < end
            )
        ).scalar_one()
        lobby = session.execute(
            select(func.count()).select_from(LobbyVisit).where(
                LobbyVisit.routed_to == sid, LobbyVisit.visited_at >= start, LobbyVisit.visited_at < end
            )
        ).scalar_one()
        won = session.execute(
            select(Opportunity.id, Opportunity.customer_id, Opportunity.product_code,
                   Opportunity.won_amount_fen, Product.name.label("product_name"))
            .outerjoin(Product, Product.product_code == Opportunity.product_code)
            .where(Opportunity.owner_id == sid, Opportunity.stage == "won",
                   Opportunity.closed_at >= start, Opportunity.closed_at < end)
            .order_by(Opportunity.closed_at, Opportunity.id)
        ).all()
        entries = session.scalars(
            select(JournalEntry)
            .where(JournalEntry.staff_id == sid, JournalEntry.entry_date >= monday,
                   JournalEntry.entry_date <= sunday)
            .order_by(JournalEntry.entry_date, JournalEntry.id)
        ).all()
    meetings = by_channel.get("meeting", 0)
    target = ctx.rules.contact.weekly_contacts_per_manager
    return {
        "week": label, "from": monday, "to": sunday, "staff_id": sid, "name": staff.name,
        "visits": {"meetings": meetings, "lobby": lobby, "total": meetings + lobby},
        "contacts": {"total": sum(by_channel.values()), "customers": customers,
                     "by_channel": dict(sorted(by_channel.items()))},
        # §5: every account manager contacts at least this many of its customers a week
        "weekly_rule": {"contacted": customers, "target": target, "met": customers >= target},
        "sales": {
            "won": len(won),
            "amount": money_str(sum(w.won_amount_fen or 0 for w in won)),
            "items": [{"opportunity_id": w.id, "customer_id": w.customer_id,
                       "product_code": w.product_code, "product_name": w.product_name,
                       "amount": money_str(w.won_amount_fen)}
                      for w in won],
        },
        "entries": [{"id": e.id, "date": e.entry_date, "kind": e.kind, "text": e.text} for e in entries],
    }
