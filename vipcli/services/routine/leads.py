"""Leads (銷售線索, SPEC §18): walk-ins and referrals any outlet staff member records.

A lead is a prospect of the recorder's outlet. Its phone is kept as a customer's is (§13):
sealed under the key (bound to "leads/<lead id>/phone"), a keyed hash for lookups and the
mask every listing shows. A lead whose phone is a customer's of the same outlet is linked
to that customer (`customer_id`), when recorded and whenever a phone later appears on a
customer (`link_leads`, one set-based UPDATE). `vip assign` allocates the unlinked leads
with the potential VIPs, each at Gold load (§2, services.allocation.assignment).

Decisions where the spec is silent (docs/rules.md "Leads"):
- who records: every active front-line member of an outlet (branch head, account manager,
  advisor, lobby manager, teller); operators and approvers belong to no outlet: refused;
- ids: "L" and seven digits, one more than the highest such id, under the write lock;
- one lead per phone per outlet: a second is refused, naming the first;
- who sees which: the branch head all of the outlet's leads; everyone else the leads it
  recorded or holds and those nobody holds yet (least privilege, as with customers).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import Connection, and_, exists, func, insert, or_, select, text, update

from vipcli import clock
from vipcli.domain import rows, vocabulary
from vipcli.domain.masking import mask_name
from vipcli.domain.money import money_str
from vipcli.errors import InvalidInput
from vipcli.i18n import _
from vipcli.services.core import sealing
from vipcli.services.core.access import FRONT_ROLES, require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


ID_PREFIX, ID_DIGITS = "L", 7
NAME_CHARS = 100
NOTE_CHARS = 500


class LeadDoc(TypedDict):
    """§15 `vip lead add|list --json`: one lead, phone masked, est_assets in yuan."""

    lead_id: str
    name: str
    phone: str | None
    source: str
    recorded_by: str
    recorded_by_name: str | None
    branch_id: str
    customer_id: str | None
    customer_name: str | None  # masked (陈**): the recorder may not see that customer
    manager_id: str | None
    manager_name: str | None
    assigned_on: dt.date | None
    est_assets: str | None
    note: str | None
    created_at: dt.datetime


# -- the phone, sealed as a customer's is (§13) -------------------------------------------


# seal_lead_phone / open_lead_phone live with the customers' in core.sealing (§13).


# -- checks ---------------------------------------------------------------------------------


def check_phone(phone: str) -> str:
    """The phone as the customers import takes it (5 to 20 digits, spaces and dashes dropped)."""
    try:
        return rows.phone(phone.strip())
    except ValueError as exc:
        raise InvalidInput(_("--phone: {problem}").format(problem=exc)) from None


def check_source(source: str | None) -> str:
    parse = rows.enum_of(vocabulary.LEAD_SOURCES, "lead_source")
    try:
        return parse(source.strip()) if source and source.strip() else "walk_in"  # type: ignore[return-value]
    except ValueError as exc:
        raise InvalidInput(_("--source: {problem}").format(problem=exc)) from None


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(_("a lead needs --name"))
    if len(name) > NAME_CHARS:
        raise InvalidInput(_("--name: expected at most {limit} characters, got {count}").format(
            limit=NAME_CHARS, count=len(name)))
    return name


def outlet_actor(ctx: Context, doing: str) -> Actor:
    """Leads are an outlet's: its front-line staff only (§18)."""
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, doing)
    return actor


# -- vip lead add ---------------------------------------------------------------------------


def add_lead(ctx: Context, *, name: str, phone: str, note: str | None = None,
             source: str | None = None, est_assets_fen: int | None = None) -> LeadDoc:
    actor = outlet_actor(ctx, _("record a lead"))
    name, phone, source = check_name(name), check_phone(phone), check_source(source)
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_CHARS:
        raise InvalidInput(_("--note: expected at most {limit} characters, got {count}").format(
            limit=NOTE_CHARS, count=len(note)))
    if est_assets_fen is not None and est_assets_fen < 0:
        raise InvalidInput(_("--est-assets: the estimated assets must not be negative"))
    from vipcli.db.models import Customer, Lead

    with ctx.session() as session:
        _lock(session)
        key = sealing.sealer(session, ctx.loaded_rules)
        digest = key.digest("phone", phone)
        _refuse_duplicate(session, actor.branch_id, digest)
        customer = session.execute(
            select(Customer.customer_id, Customer.name)
            .where(Customer.phone_hmac == digest, Customer.branch_id == actor.branch_id)
            .order_by(Customer.customer_id).limit(1)
        ).first()
        lead_id = next_id(session)
        sealed, _digest, masked = sealing.seal_lead_phone(key, lead_id, phone)
        session.execute(insert(Lead).values(
            lead_id=lead_id, name=name, phone_sealed=sealed, phone_hmac=digest,
            phone_masked=masked, source=source, recorded_by=actor.staff_id,
            branch_id=actor.branch_id, note=note, est_assets_fen=est_assets_fen,
            customer_id=customer.customer_id if customer else None, created_at=clock.now()))
        audit(session, actor.staff_id, "lead_add", customer.customer_id if customer else None,
              lead_id=lead_id, source=source, linked=customer is not None)
        return _documents(session, select_leads().where(Lead.lead_id == lead_id))[0]


def _lock(session: Session) -> None:
    """One writer of leads at a time: the id and the one-per-phone rule read, then write.
    SQLite's writing transaction holds the one write lock already (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE leads IN SHARE ROW EXCLUSIVE MODE"))


def _refuse_duplicate(session: Session, outlet: str, digest: bytes) -> None:
    from vipcli.db.models import Lead

    found = session.execute(
        select(Lead.lead_id, Lead.name).where(Lead.branch_id == outlet, Lead.phone_hmac == digest)
        .order_by(Lead.lead_id).limit(1)
    ).first()
    if found is not None:
        raise InvalidInput(_("this phone is already lead {lead} ({name}) of outlet {outlet}; "
                             "nothing was recorded").format(
            lead=found.lead_id, name=mask_name(found.name), outlet=outlet))


def next_id(session: Session) -> str:
    """L0000001, L0000002, …: one more than the highest id of that form (under `_lock`)."""
    from vipcli.db.models import Lead

    taken = session.scalars(select(Lead.lead_id).where(Lead.lead_id.like(ID_PREFIX + "%"))).all()
    numbers = [int(rest) for rest in (i[len(ID_PREFIX):] for i in taken)
               if rest.isascii() and rest.isdigit()]  # an imported id may be of another form
    return f"{ID_PREFIX}{max(numbers, default=0) + 1:0{ID_DIGITS}d}"


# -- vip lead list --------------------------------------------------------------------------


def list_leads(ctx: Context, *, mine: bool = False, unassigned: bool = False) -> list[LeadDoc]:
    actor = outlet_actor(ctx, _("list leads"))
    from vipcli.db.models import Lead

    query = select_leads().where(Lead.branch_id == actor.branch_id)
    free = and_(Lead.manager_id.is_(None), Lead.customer_id.is_(None))
    own = or_(Lead.recorded_by == actor.staff_id, Lead.manager_id == actor.staff_id)
    if actor.role != "branch_head":
        query = query.where(or_(own, free))
    if mine:
        query = query.where(own)
    if unassigned:
        query = query.where(free)
    with ctx.session(write=False) as session:
        return _documents(session, query.order_by(Lead.lead_id))


def select_leads() -> Any:
    from sqlalchemy.orm import aliased

    from vipcli.db.models import Customer, Lead, Staff

    recorder, manager = aliased(Staff), aliased(Staff)
    return (
        select(Lead.lead_id, Lead.name, Lead.phone_masked, Lead.source, Lead.recorded_by,
               recorder.name.label("recorded_by_name"), Lead.branch_id, Lead.customer_id,
               Customer.name.label("customer_name"), Lead.manager_id,
               manager.name.label("manager_name"), Lead.assigned_on, Lead.est_assets_fen,
               Lead.note, Lead.created_at)
        .outerjoin(recorder, recorder.staff_id == Lead.recorded_by)
        .outerjoin(manager, manager.staff_id == Lead.manager_id)
        .outerjoin(Customer, Customer.customer_id == Lead.customer_id)
    )


def _documents(session: Session, query: Any) -> list[LeadDoc]:
    return [{
        "lead_id": r.lead_id, "name": r.name, "phone": r.phone_masked, "source": r.source,
        "recorded_by": r.recorded_by, "recorded_by_name": r.recorded_by_name,
        "branch_id": r.branch_id, "customer_id": r.customer_id,
        "customer_name": mask_name(r.customer_name), "manager_id": r.manager_id,
        "manager_name": r.manager_name, "assigned_on": r.assigned_on,
        "est_assets": money_str(r.est_assets_fen), "note": r.note, "created_at": r.created_at,
    } for r in session.execute(query)]


# -- linking (§18: a lead whose phone later appears on a customer) -------------------------


def link_leads(conn: Connection | Session, actor_id: str | None) -> int:
    """Link every unlinked lead to the customer of its outlet holding its phone: one
    set-based UPDATE joining on the phone's keyed hash (the lowest customer id when a phone
    is shared); audited. Called by the customers and leads imports and by any path that
    gives a customer a phone."""
    from vipcli.db.models import Customer, Lead

    lead, customer = Lead.__table__, Customer.__table__
    match = and_(customer.c.phone_hmac == lead.c.phone_hmac,
                 customer.c.branch_id == lead.c.branch_id)
    waiting = and_(lead.c.customer_id.is_(None), lead.c.phone_hmac.is_not(None),
                   exists().where(match))
    found = conn.execute(
        select(lead.c.lead_id, select(func.min(customer.c.customer_id)).where(match)
               .scalar_subquery()).where(waiting)
    ).all()
    if not found:
        return 0
    conn.execute(update(lead).where(waiting).values(
        customer_id=select(func.min(customer.c.customer_id)).where(match).scalar_subquery()))
    audit(conn, actor_id, "lead_link", None, leads=dict(sorted((r[0], r[1]) for r in found)))
    return len(found)

