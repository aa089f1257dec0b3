"""Complaints (抱怨投訴，悉心處理顯真誠, SPEC §18): record, acknowledge, resolve, list, report.

Decisions where the spec is silent (docs/rules.md "Complaints"):
- who records one: the outlet's front line who meet the customer — its lobby managers
  and tellers (§9: complaints arrive at the counter and in the lobby), the customer's own
  manager or advisor, and the outlet's branch head; another manager of the outlet, an
  operator or an approver may not;
- the owner is the customer's manager, else the outlet's branch head; the owner or the
  branch head acknowledges and resolves; any contact the owner logs with the customer
  after the complaint was opened acknowledges it (vipcli.services.contact.contacts);
  resolving one not yet acknowledged acknowledges it too;
- deadlines are dates: acknowledged by the end of `ack_due`, resolved by the end of
  `resolve_due` (today + the rules' days); overdue from the day after;
- `vip report complaints --month M` counts the complaints opened in M (on time, still open,
  overdue today, satisfied) so that each month's figures stay comparable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from vipcli import clock
from vipcli.db.models import Complaint, Customer, Staff
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import _
from vipcli.services.core.access import FRONT_ROLES, require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

SEVERITIES = ("normal", "serious")
_YES = ("yes", "y", "true", "是", "满意", "滿意")  # either script
_NO = ("no", "n", "false", "否", "不满意", "不滿意")  # either script
# §9: the front line who meet customers at the counter and in the lobby.
COUNTER_ROLES = ("lobby_manager", "teller")


class NewComplaint(TypedDict):
    """§15 `vip complaint add|ack|resolve --json` (status "open" or "resolved")."""

    complaint_id: int
    customer_id: str
    severity: str
    status: str
    ack_due: dt.date
    resolve_due: dt.date
    owner_id: str
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    satisfied: bool | None


class ComplaintRow(NewComplaint):
    """One complaint of `vip complaint list --json`."""

    name: str
    owner_name: str
    recorded_by: str
    opened_at: dt.datetime
    text: str
    result: str | None
    overdue: bool
    overdue_days: int


def severity_code(text: str | None) -> str:
    """--severity: the code or its Chinese label in either script (vocabulary "severity")."""
    from vipcli.services.contact.contacts import code_of

    return code_of(text or "normal", SEVERITIES, "severity", _(
        "--severity must be normal or serious (or 一般, 严重), got {value!r}"))


def satisfied_flag(text: str | None) -> bool | None:
    """--satisfied yes|no (or 是/否, 满意/不满意); not given: not asked."""
    if text is None:
        return None
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInput(_("--satisfied must be yes or no (or 是, 否), got {value!r}").format(value=text))


def _needs_text(text: str | None, option: str) -> str:
    if not (text or "").strip():
        raise InvalidInput(_("{option} must say something").format(option=option))
    return (text or "").strip()


def _customer_for_recording(session: Session, actor: Actor, customer_id: str) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("unknown customer {customer!r}").format(customer=customer_id))
    same_outlet = customer.branch_id == actor.branch_id
    allowed = (actor.role == "branch_head" and same_outlet) or (
        actor.role in COUNTER_ROLES and same_outlet) or (
        actor.staff_id in (customer.manager_id, customer.advisor_id))
    if not allowed:
        raise PermissionDenied(_(
            "{actor} may not record a complaint for customer {customer}: its manager or "
            "advisor, the lobby managers and tellers of outlet {outlet} and its branch head may"
        ).format(actor=actor.describe(), customer=customer_id, outlet=customer.branch_id))
    return customer


def _owner(session: Session, customer: Customer) -> str:
    """§18: the customer's manager owns the complaint, else the outlet's branch head."""
    from vipcli.services.routine.lobby import branch_head

    head = None if customer.manager_id else branch_head(session, customer.branch_id)
    owner = customer.manager_id or (head["staff_id"] if head else None)
    if owner is None:
        raise RuleViolation(_("customer {customer} has no manager and outlet {outlet} no branch "
                              "head: nobody could own the complaint").format(
            customer=customer.customer_id, outlet=customer.branch_id))
    return owner


def add(ctx: Context, customer_id: str, *, text: str, severity: str | None = None) -> NewComplaint:
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, _("record complaints"))
    code = severity_code(severity)
    body = _needs_text(text, "--text")
    rules = ctx.rules.relationship
    today = clock.today()
    with ctx.session() as session:
        customer = _customer_for_recording(session, actor, customer_id)
        complaint = Complaint(
            customer_id=customer.customer_id, owner_id=_owner(session, customer),
            recorded_by=actor.staff_id, text=body, severity=code, status="open",
            opened_at=clock.now(),
            ack_due=today + dt.timedelta(days=rules.complaint_ack_days),
            resolve_due=today + dt.timedelta(days=rules.complaint_resolve_days))
        session.add(complaint)
        session.flush()
        # the text stays out of the log (§13: it may hold personal details)
        audit(session, actor.staff_id, "complaint_open", customer.customer_id,
              complaint_id=complaint.id, severity=code, owner_id=complaint.owner_id)
        return _document(complaint)


def _document(c: Complaint) -> NewComplaint:
    return {"complaint_id": c.id, "customer_id": c.customer_id, "severity": c.severity,
            "status": c.status, "ack_due": c.ack_due, "resolve_due": c.resolve_due,
            "owner_id": c.owner_id, "acknowledged_at": c.acknowledged_at,
            "resolved_at": c.resolved_at, "satisfied": c.satisfied}


def _handled(session: Session, actor: Actor, complaint_id: int) -> Complaint:
    """The complaint, if the actor owns it or heads the customer's outlet."""
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(_("unknown complaint {id}").format(id=complaint_id))
    customer = session.get(Customer, complaint.customer_id)
    head = actor.role == "branch_head" and customer is not None \
        and customer.branch_id == actor.branch_id
    if actor.staff_id != complaint.owner_id and not head:
        raise PermissionDenied(_("complaint {id} is owned by {owner}; only its owner and the "
                                 "outlet's branch head may handle it").format(
            id=complaint_id, owner=complaint.owner_id))
    if complaint.status == "resolved":
        raise RuleViolation(_("complaint {id} was already resolved on {day}").format(
            id=complaint_id, day=f"{complaint.resolved_at:%Y-%m-%d}"))
    return complaint


def acknowledge(ctx: Context, complaint_id: int) -> NewComplaint:
    actor = ctx.actor()
    with ctx.session() as session:
        complaint = _handled(session, actor, complaint_id)
        if complaint.acknowledged_at is not None:
            raise RuleViolation(_("complaint {id} was already acknowledged on {day}").format(
                id=complaint_id, day=f"{complaint.acknowledged_at:%Y-%m-%d}"))
        complaint.acknowledged_at = clock.now()
        audit(session, actor.staff_id, "complaint_ack", complaint.customer_id,
              complaint_id=complaint.id)
        return _document(complaint)


def resolve(ctx: Context, complaint_id: int, *, result: str,
            satisfied: bool | None = None) -> NewComplaint:
    actor = ctx.actor()
    body = _needs_text(result, "--result")
    with ctx.session() as session:
        complaint = _handled(session, actor, complaint_id)
        now = clock.now()
        if complaint.acknowledged_at is None:  # resolving it answers the customer too
            complaint.acknowledged_at = now
        complaint.status, complaint.resolved_at, complaint.resolved_by = "resolved", now, actor.staff_id
        complaint.result, complaint.satisfied = body, satisfied
        audit(session, actor.staff_id, "complaint_resolve", complaint.customer_id,
              complaint_id=complaint.id, status={"old": "open", "new": "resolved"},
              satisfied=satisfied)
        return _document(complaint)


def next_deadline(c: Complaint) -> dt.date:
    """§18: acknowledged by ack_due, then resolved by resolve_due."""
    return c.ack_due if c.acknowledged_at is None else c.resolve_due


def overdue_days(c: Complaint, today: dt.date) -> int:
    """Days past an open complaint's next deadline (0: on time, or resolved)."""
    if c.status != "open":
        return 0
    return max((today - next_deadline(c)).days, 0)


def _scope(actor: Actor) -> ColumnElement[bool]:
    """The branch head sees the outlet's; others what they own or recorded."""
    if actor.role == "branch_head":
        return Customer.branch_id == actor.branch_id
    return or_(Complaint.owner_id == actor.staff_id, Complaint.recorded_by == actor.staff_id)


def list_complaints(ctx: Context, *, open_only: bool = False) -> list[ComplaintRow]:
    """Open ones first, the most overdue first, then by deadline; resolved ones after."""
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, _("list complaints"))
    owner = aliased(Staff)
    stmt = (select(Complaint, Customer.name, owner.name)
            .join(Customer, Customer.customer_id == Complaint.customer_id)
            .join(owner, owner.staff_id == Complaint.owner_id)
            .where(_scope(actor)))
    if open_only:
        stmt = stmt.where(Complaint.status == "open")
    today = clock.today()
    with ctx.session(write=False) as session:
        rows = [_row(c, name, owner_name, today) for c, name, owner_name in session.execute(stmt)]
    return sorted(rows, key=lambda r: (r["status"] != "open", -r["overdue_days"],
                                       r["resolve_due"], r["complaint_id"]))


def _row(c: Complaint, name: str, owner_name: str, today: dt.date) -> ComplaintRow:
    late = overdue_days(c, today)
    return {**_document(c), "name": name, "owner_name": owner_name, "recorded_by": c.recorded_by,
            "opened_at": c.opened_at, "text": c.text, "result": c.result,
            "overdue": late > 0, "overdue_days": late}


# --- `vip report complaints` -----------------------------------------------------------


class Figures(TypedDict):
    """The month's complaints counted (those opened in it)."""

    opened: int
    acknowledged_on_time: int
    resolved: int
    resolved_on_time: int
    open: int
    overdue: int
    rated: int
    satisfied: int
    satisfied_share: str | None  # of those rated, 4 decimals


class ManagerFigures(Figures):
    staff_id: str
    name: str


class ComplaintReport(TypedDict):
    """`vip report complaints --json`: the month's figures, by severity and by owner."""

    month: str
    branch_id: str
    scope: str  # "outlet" (branch head) or "own"
    total: Figures
    by_severity: dict[str, Figures]
    by_manager: list[ManagerFigures]
    open_now: int  # every open complaint today, whatever month it was opened
    overdue_now: int


@dataclass
class _Tally:
    opened: int = 0
    ack_on_time: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    open: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0

    def add(self, c: Complaint, today: dt.date) -> None:
        self.opened += 1
        if c.acknowledged_at is not None and c.acknowledged_at.date() <= c.ack_due:
            self.ack_on_time += 1
        if c.status == "resolved":
            self.resolved += 1
            assert c.resolved_at is not None
            self.resolved_on_time += c.resolved_at.date() <= c.resolve_due
            if c.satisfied is not None:
                self.rated += 1
                self.satisfied += c.satisfied
        else:
            self.open += 1
            self.overdue += overdue_days(c, today) > 0

    def figures(self) -> Figures:
        share = (None if not self.rated else
                 str((Decimal(self.satisfied) / self.rated).quantize(Decimal("0.0001"))))
        return {"opened": self.opened, "acknowledged_on_time": self.ack_on_time,
                "resolved": self.resolved, "resolved_on_time": self.resolved_on_time,
                "open": self.open, "overdue": self.overdue, "rated": self.rated,
                "satisfied": self.satisfied, "satisfied_share": share}


def report(ctx: Context, month: str | None = None) -> ComplaintReport:
    """The branch head: the outlet's; a manager or advisor: the complaints it owns."""
    from vipcli.services.contact.compliance import periods, reader

    actor, month = reader(ctx, _("see the complaints report"), month)
    today = clock.today()
    first, after = periods(month)[:2]
    owner = aliased(Staff)
    scope = (Customer.branch_id == actor.branch_id if actor.role == "branch_head"
             else Complaint.owner_id == actor.staff_id)
    stmt = (select(Complaint, owner.name)
            .join(Customer, Customer.customer_id == Complaint.customer_id)
            .join(owner, owner.staff_id == Complaint.owner_id).where(scope))
    with ctx.session(write=False) as session:
        rows = list(session.execute(stmt).all())
    total, severity = _Tally(), {s: _Tally() for s in SEVERITIES}
    managers: dict[tuple[str, str], _Tally] = {}
    open_now = overdue_now = 0
    for c, owner_name in rows:
        if c.status == "open":
            open_now += 1
            overdue_now += overdue_days(c, today) > 0
        if not dt.datetime.combine(first, dt.time()) <= c.opened_at < dt.datetime.combine(after, dt.time()):
            continue
        for tally in (total, severity[c.severity], managers.setdefault((c.owner_id, owner_name), _Tally())):
            tally.add(c, today)
    return {"month": month, "branch_id": actor.branch_id,
            "scope": "outlet" if actor.role == "branch_head" else "own",
            "total": total.figures(),
            "by_severity": {s: t.figures() for s, t in severity.items()},
            "by_manager": [{"staff_id": sid, "name": name, **t.figures()}
                           for (sid, name), t in sorted(managers.items())],
            "open_now": open_now, "overdue_now": overdue_now}
