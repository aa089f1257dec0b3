"""Database status and upgrade, and the audit log reader (§13).

Which outlet an audit entry belongs to (a branch head sees its own outlet's only, §13):
the outlet of the customer it names; an entry naming no customer (an import, a backup, a
weekly export, reading the log) belongs to the outlet of the staff member who acted. So a
branch head sees what anyone did to its customers, and what its staff did that names no
customer; what its staff did to another outlet's customer (a lobby look-up) is that
outlet's. Entries of bank-level staff that name no customer are the operators' alone.
"""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy import ColumnElement, and_, or_, select

from vipcli.db.engine import make_engine, open_engine, resolve_url, stored_revision
from vipcli.db.models import AuditLog, Customer, Staff
from vipcli.db.schema import HEAD
from vipcli.errors import InvalidInput
from vipcli.i18n import _
from vipcli.services.core.access import require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context

# The most entries `vip audit --limit` returns: more than the log of years, and a number
# SQLite can bind (a limit past 2**63 would not be).
MAX_AUDIT_LIMIT = 1_000_000


class DatabaseStatus(TypedDict):
    """`vip db current` (§15 conventions): the database, its stored revision, this code's head."""

    database: str
    current: str | None
    head: str


class AuditEntry(TypedDict):
    """One entry of `vip audit` (§13, §15 conventions); `detail` is the stored JSON text."""

    id: int
    at: str
    actor_id: str | None
    actor_name: str | None  # shown beside the id (§16)
    action: str
    customer_id: str | None
    detail: str | None


def upgrade_database(db: str) -> str:
    engine = open_engine(db, migrate=True)
    try:
        return stored_revision(engine) or HEAD
    finally:
        engine.dispose()


def database_status(db: str) -> DatabaseStatus:
    url = resolve_url(db)
    engine = make_engine(url)
    try:
        current = stored_revision(engine)
    finally:
        engine.dispose()
    return {"database": engine.url.render_as_string(hide_password=True), "current": current, "head": HEAD}


def audit_entries(
    ctx: Context, *, customer: str | None, action: str | None, limit: int
) -> list[AuditEntry]:
    if not 1 <= limit <= MAX_AUDIT_LIMIT:
        raise InvalidInput(_("--limit must be between 1 and {most:,}, got {limit}")
                           .format(most=MAX_AUDIT_LIMIT, limit=limit))
    actor = ctx.actor()
    require_role(actor, ("operator", "branch_head"), _("read the audit log"))
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if actor.role == "branch_head":
        query = query.where(outlet_entries(actor))
    if customer:
        query = query.where(AuditLog.customer_id == customer)
    if action:
        query = query.where(AuditLog.action == action)
    with ctx.session() as session:
        entries = session.scalars(query).all()
        staff_ids = sorted({e.actor_id for e in entries if e.actor_id})
        names = dict(session.execute(
            select(Staff.staff_id, Staff.name).where(Staff.staff_id.in_(staff_ids))
        ).all()) if staff_ids else {}
        audit(session, actor.staff_id, "audit_read", customer, filter_action=action, limit=limit)
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor_id": e.actor_id,
            "actor_name": names.get(e.actor_id) if e.actor_id else None,
            "action": e.action,
            "customer_id": e.customer_id,
            "detail": e.detail,
        }
        for e in entries
    ]


def outlet_entries(actor: Actor) -> ColumnElement[bool]:
    """The entries of the branch head's outlet (the rule in the module docstring)."""
    customers = select(Customer.customer_id).where(Customer.branch_id == actor.branch_id)
    staff = select(Staff.staff_id).where(Staff.branch_id == actor.branch_id)
    return or_(AuditLog.customer_id.in_(customers),
               and_(AuditLog.customer_id.is_(None), AuditLog.actor_id.in_(staff)))
