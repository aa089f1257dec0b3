"""Appointments and joint visits (约访、联合拜访, SPEC §18): add, list, cancel.

Everyone involved sees the appointment on `vip due` on the day and the rules'
appointment_lead_days before it (vipcli.domain.due_rules), and in `vip plan week`.

Decisions where the spec is silent (docs/rules.md "Appointments and joint visits"):
- who makes one: the customer's own manager or advisor, or the branch head of its outlet
  (a lobby manager or a teller records a lead instead, §18); the one who makes it takes
  part, and `--with` adds other active staff of the same outlet (a joint visit);
- a time before now is refused, and so is one more than a year ahead (a typo);
- a clash is refused: a member of staff already in another appointment less than an hour
  before or after (a visit takes about an hour; cancel the other one or choose a time);
- cancelling is for anyone involved and the outlet's branch head; a cancelled or past
  appointment cannot be cancelled (again);
- `vip appointment list` shows the week's appointments the acting person takes part in,
  the branch head's the outlet's; cancelled ones are left out.
The reads go through light Core clauses (vipcli.db.light): `vip plan week` lists the
week's appointments next to the morning list's facts and must stay as quick (§18 figure).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import and_, insert, select, update

from vipcli import clock
from vipcli.db.light import (
    APPOINTMENT_STAFF_TABLE,
    APPOINTMENT_TABLE,
    CUSTOMER_TABLE,
    STAFF_TABLE,
)
from vipcli.domain import labels
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import _
from vipcli.services.core.batching import in_batches
from vipcli.services.core.context import Actor, Context

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection

AHEAD = dt.timedelta(days=366)  # further ahead than a year is a typo (ours)
PLACE_MAX = 100  # appointments.place
A, S, K, ST = APPOINTMENT_TABLE.c, APPOINTMENT_STAFF_TABLE.c, CUSTOMER_TABLE.c, STAFF_TABLE.c


class Person(TypedDict):
    staff_id: str
    name: str | None


class AppointmentDoc(TypedDict):
    """§15 `vip appointment add|cancel --json`, one element of `list`: the keys of §15
    (appointment_id, customer_id, at, staff_ids) and what a reader needs beside them."""

    appointment_id: int
    customer_id: str
    customer_name: str
    at: dt.datetime
    place: str | None
    purpose: str | None
    staff_ids: list[str]
    staff: list[Person]
    created_by: str
    cancelled_at: dt.datetime | None


def add(ctx: Context, customer_id: str, *, at: dt.datetime, place: str | None = None,
        with_staff: list[str] | None = None, purpose: str | None = None) -> AppointmentDoc:
    actor = ctx.actor()
    now = clock.now()
    if at < now:
        raise InvalidInput(_("--at {at} is in the past; an appointment is made for a time to "
                             "come").format(at=at.strftime("%Y-%m-%d %H:%M")))
    if at > now + AHEAD:
        raise InvalidInput(_("--at {at} is more than a year ahead").format(
            at=at.strftime("%Y-%m-%d %H:%M")))
    if place is not None and len(place.strip()) > PLACE_MAX:
        raise InvalidInput(_("--place: at most {max} characters").format(max=PLACE_MAX))
    with ctx.begin() as db:
        _own_customer(db, actor, customer_id)
        staff = [actor.staff_id, *_colleagues(db, actor, with_staff or [])]
        _no_clash(db, staff, at, ctx.rules.relationship.appointment_clash_minutes)
        new_id = db.execute(insert(APPOINTMENT_TABLE).values(
            customer_id=customer_id, at=at, place=_text(place), purpose=_text(purpose),
            created_by=actor.staff_id, created_at=now).returning(A.id)).scalar_one()
        from vipcli.services.core.audit import audit  # loads the ORM: the write paths only

        db.execute(insert(APPOINTMENT_STAFF_TABLE),
                   [{"appointment_id": new_id, "staff_id": s} for s in staff])
        audit(db, actor.staff_id, "appointment_add", customer_id, appointment_id=new_id,
              at=at.isoformat(), staff_ids=staff)
        return _documents(db, [new_id])[0]


def cancel(ctx: Context, appointment_id: int) -> AppointmentDoc:
    actor = ctx.actor()
    with ctx.begin() as db:
        row = db.execute(select(A.customer_id, A.at, A.cancelled_at, K.branch_id)
                         .join_from(APPOINTMENT_TABLE, CUSTOMER_TABLE,
                                    K.customer_id == A.customer_id)
                         .where(A.id == appointment_id)).first()
        if row is None:
            raise NotFound(_("unknown appointment {id}").format(id=appointment_id))
        involved = set(db.execute(select(S.staff_id).where(S.appointment_id == appointment_id))
                       .scalars())
        head = actor.role == "branch_head" and actor.branch_id == row.branch_id
        if actor.staff_id not in involved and not head:
            raise PermissionDenied(_("{actor} may not cancel appointment {id}: only those taking "
                                     "part and the outlet's branch head may").format(
                actor=actor.describe(), id=appointment_id))
        if row.cancelled_at is not None:
            raise RuleViolation(_("appointment {id} was already cancelled on {date}").format(
                id=appointment_id, date=str(row.cancelled_at)[:16]))
        if _at(row.at) < clock.now():
            raise RuleViolation(_("appointment {id} was at {at}, already past: it cannot be "
                                  "cancelled").format(id=appointment_id, at=str(row.at)[:16]))
        from vipcli.services.core.audit import audit  # loads the ORM: the write paths only

        db.execute(update(APPOINTMENT_TABLE).where(A.id == appointment_id)
                   .values(cancelled_at=clock.now()))
        audit(db, actor.staff_id, "appointment_cancel", row.customer_id,
              appointment_id=appointment_id, at=str(row.at)[:16])
        return _documents(db, [appointment_id])[0]


def list_week(ctx: Context, *, first: dt.date, last: dt.date) -> list[AppointmentDoc]:
    """The appointments on first .. last the actor takes part in (the branch head: the
    outlet's), soonest first; cancelled ones left out."""
    actor = ctx.actor()
    with ctx.engine.connect() as db:
        return week(db, actor, first, last)


def week(db: Connection, actor: Actor, first: dt.date, last: dt.date,
         staff_id: str | None = None) -> list[AppointmentDoc]:
    """`list_week` on an open connection; `staff_id`: one member of staff's (the branch
    head's --staff), else the actor's own or, for a branch head, the outlet's."""
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    stmt = select(A.id).where(A.cancelled_at.is_(None), A.at >= start, A.at < end)
    whose: ColumnElement[bool]
    if staff_id is None and actor.role == "branch_head":
        stmt = stmt.join_from(APPOINTMENT_TABLE, CUSTOMER_TABLE, K.customer_id == A.customer_id)
        whose = K.branch_id == actor.branch_id
    else:
        stmt = stmt.join_from(APPOINTMENT_TABLE, APPOINTMENT_STAFF_TABLE, S.appointment_id == A.id)
        whose = S.staff_id == (staff_id or actor.staff_id)
    return _documents(db, list(db.execute(stmt.where(whose)).scalars()))


def _documents(db: Connection, ids: list[int]) -> list[AppointmentDoc]:
    docs: dict[int, AppointmentDoc] = {}
    for part in in_batches(ids):
        for row in db.execute(select(A.id, A.customer_id, K.name, A.at, A.place, A.purpose,
                                     A.created_by, A.cancelled_at)
                              .join_from(APPOINTMENT_TABLE, CUSTOMER_TABLE,
                                         K.customer_id == A.customer_id)
                              .where(A.id.in_(part))):
            docs[row.id] = {"appointment_id": row.id, "customer_id": row.customer_id,
                            "customer_name": row.name, "at": _at(row.at), "place": row.place,
                            "purpose": row.purpose, "staff_ids": [], "staff": [],
                            "created_by": row.created_by,
                            "cancelled_at": _moment(row.cancelled_at)}
        for appointment_id, sid, name in db.execute(
                select(S.appointment_id, S.staff_id, ST.name)
                .join_from(APPOINTMENT_STAFF_TABLE, STAFF_TABLE, ST.staff_id == S.staff_id)
                .where(S.appointment_id.in_(part))):
            doc = docs[appointment_id]
            person: Person = {"staff_id": sid, "name": name}
            # the one who made it first, then the others by id
            if sid == doc["created_by"]:
                doc["staff_ids"].insert(0, sid)
                doc["staff"].insert(0, person)
            else:
                doc["staff_ids"].append(sid)
                doc["staff"].append(person)
    return sorted(docs.values(), key=lambda d: (d["at"], d["appointment_id"]))


def _own_customer(db: Connection, actor: Actor, customer_id: str) -> None:
    """§18: the customer's own manager or advisor, or the branch head of its outlet."""
    row = db.execute(select(K.manager_id, K.advisor_id, K.branch_id, K.status)
                     .where(K.customer_id == customer_id)).first()
    if row is None:
        raise NotFound(_("unknown customer {customer!r}").format(customer=customer_id))
    if actor.role == "branch_head":
        allowed = row.branch_id == actor.branch_id
    else:
        allowed = actor.staff_id in (row.manager_id, row.advisor_id)
    if not allowed:
        raise PermissionDenied(_(
            "customer {customer} is not in the book of {actor}: only its own manager or "
            "advisor and the outlet's branch head make its appointments"
        ).format(customer=customer_id, actor=actor.describe()))
    if row.status == "lost":
        raise RuleViolation(_("customer {customer} is marked lost: `vip customer reactivate` "
                              "it first").format(customer=customer_id))


def _colleagues(db: Connection, actor: Actor, ids: list[str]) -> list[str]:
    """--with: other active staff of the actor's outlet, each once, in the order given."""
    wanted = [s for s in dict.fromkeys(i.strip() for i in ids) if s and s != actor.staff_id]
    found = {row.staff_id: row for row in db.execute(
        select(ST.staff_id, ST.name, ST.branch_id, ST.active).where(ST.staff_id.in_(wanted)))}
    for sid in wanted:
        row = found.get(sid)
        if row is None:
            raise NotFound(_("--with: unknown staff member {staff!r}").format(staff=sid))
        if row.branch_id != actor.branch_id:
            raise InvalidInput(_("--with: {staff} is not at your outlet {outlet}").format(
                staff=labels.named(row.name, sid), outlet=actor.branch_id))
        if not row.active:
            raise InvalidInput(_("--with: {staff} is no longer active").format(
                staff=labels.named(row.name, sid)))
    return wanted


def _no_clash(db: Connection, staff: list[str], at: dt.datetime, minutes: int) -> None:
    """No one taking part has another appointment closer than `appointment_clash_minutes`."""
    window = dt.timedelta(minutes=minutes)
    clash = db.execute(
        select(S.staff_id, ST.name, A.id, A.at)
        .join_from(APPOINTMENT_STAFF_TABLE, APPOINTMENT_TABLE, A.id == S.appointment_id)
        .join(STAFF_TABLE, ST.staff_id == S.staff_id)
        .where(and_(S.staff_id.in_(staff), A.cancelled_at.is_(None),
                    A.at > at - window, A.at < at + window))
        .order_by(A.at).limit(1)).first()
    if clash is not None:
        raise RuleViolation(_("{staff} already has appointment {id} at {at}, less than "
                              "{minutes} minutes from {time}: cancel it or choose another "
                              "time").format(
            staff=labels.named(clash.name, clash.staff_id), id=clash.id, minutes=minutes,
            at=str(clash.at)[:16], time=at.strftime("%Y-%m-%d %H:%M")))


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _at(value: object) -> dt.datetime:
    return _moment(value) or dt.datetime.min  # appointments.at is never NULL


def _moment(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite through a Core clause without the model's type
        return dt.datetime.fromisoformat(value)
    return value  # type: ignore[return-value]
