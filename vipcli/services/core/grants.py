"""Maker-checker for bank-level roles (SPEC §13): `vip approvals` / `approve` / `reject` for operators.

A staff import that would make someone an active operator, approver or branch head does
not give the role: it records a pending grant and writes the staff row without it (a new
row inactive, an existing row keeping its role and active flag). A second operator —
neither the one who imported it nor the person it is for — approves it, which sets the
role and makes the staff member active, or rejects it. A later operator's import that
asks otherwise for that staff member supersedes the pending grant (docs/rules.md "Security").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import RoleGrant, Staff
from vipcli.domain import labels
from vipcli.errors import NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import N_, _
from vipcli.services.core.audit import audit
from vipcli.services.core.batching import in_batches
from vipcli.services.core.context import Actor, Context

BANK_ROLES = ("operator", "approver_l1", "approver_l2", "branch_head")  # §13 bank-level roles
DECIDER = "operator"


class GrantItem(TypedDict):
    """One role grant as `vip approvals`, `approve` and `reject` show it to an operator."""

    kind: str  # "role_grant" (special admissions are "admission")
    id: int
    staff_id: str
    name: str
    branch_id: str
    role: str
    previous_role: str | None  # None: the import created the staff member
    source: str
    requested_by: str
    requested_by_name: str | None  # shown beside the id (§16)
    requested_at: str
    status: str  # pending | approved | rejected | superseded
    decided_by: str | None
    decided_at: str | None
    decision_reason: str | None


def is_grant(role: str, active: bool, held: tuple[str, bool] | None) -> bool:
    """Would writing (role, active) over the held (role, active) give a bank-level role?"""
    return role in BANK_ROLES and active and held != (role, True)


def request(
    conn: Connection, staff_id: str, role: str, previous_role: str | None, source: str, by: str
) -> int:
    """Record a pending grant of `role` and return its id (the pending one's if the same
    grant is already waiting); any other pending grant for the staff member is superseded."""
    pending = conn.execute(
        select(RoleGrant.id, RoleGrant.role)
        .where(RoleGrant.staff_id == staff_id, RoleGrant.status == "pending")
    ).all()
    for grant in pending:
        if grant.role == role:
            return grant.id
    supersede(conn, [staff_id])
    grant_id = conn.execute(
        insert(RoleGrant).values(
            staff_id=staff_id, role=role, previous_role=previous_role, source=source,
            requested_by=by, requested_at=clock.now(), status="pending",
        ).returning(RoleGrant.id)
    ).scalar_one()
    audit(conn, by, "role_grant_request", grant_id=grant_id, staff_id=staff_id, role=role,
          previous_role=previous_role, file=source)
    return grant_id


def supersede(conn: Connection, staff_ids: Iterable[str]) -> None:
    """A later import asked something else for these staff members: their pending grants lapse."""
    now = clock.now()
    for batch in in_batches(sorted(staff_ids)):
        conn.execute(
            update(RoleGrant)
            .where(RoleGrant.staff_id.in_(batch), RoleGrant.status == "pending")
            .values(status="superseded", decided_at=now)
        )


def pending(ctx: Context) -> list[GrantItem]:
    """The pending grants the acting operator may decide: not its own, not for itself."""
    actor = _decider(ctx)
    with ctx.session() as session:
        grants = session.scalars(
            select(RoleGrant)
            .where(RoleGrant.status == "pending", RoleGrant.requested_by != actor.staff_id,
                   RoleGrant.staff_id != actor.staff_id)
            .order_by(RoleGrant.requested_at, RoleGrant.id)
        ).all()
        return [_item(session, grant) for grant in grants]


def approve(ctx: Context, grant_id: int) -> GrantItem:
    return _decide(ctx, grant_id, "approved", None)


def reject(ctx: Context, grant_id: int, reason: str) -> GrantItem:
    return _decide(ctx, grant_id, "rejected", reason)


def _decide(ctx: Context, grant_id: int, outcome: str, reason: str | None) -> GrantItem:
    actor = _decider(ctx)
    with ctx.session() as session:
        grant = session.get(RoleGrant, grant_id)
        if grant is None:
            raise NotFound(_("unknown role grant {id} (vip approvals lists the pending ones)")
                           .format(id=grant_id))
        if actor.staff_id in (grant.requested_by, grant.staff_id):
            if actor.staff_id == grant.requested_by:
                text = _("role grant {id} ({staff} → {role}) needs a second operator: {actor} "
                         "imported it")
            else:
                text = _("role grant {id} ({staff} → {role}) needs a second operator: {actor} is "
                         "the one it is for")
            raise PermissionDenied(text.format(id=grant_id, staff=grant.staff_id,
                                               role=labels.role(grant.role), actor=actor.staff_id))
        if grant.status != "pending":
            raise RuleViolation(_("role grant {id} is already {status}; nothing was changed")
                                .format(id=grant_id, status=decided(grant.status)))
        grant.status, grant.decided_by = outcome, actor.staff_id
        grant.decided_at, grant.decision_reason = clock.now(), reason
        if outcome == "approved":
            session.execute(
                update(Staff).where(Staff.staff_id == grant.staff_id).values(role=grant.role, active=True)
            )
        audit(session, actor.staff_id, f"role_grant_{outcome[:-1]}", grant_id=grant_id,
              staff_id=grant.staff_id, role=grant.role, reason=reason)
        session.flush()
        return _item(session, grant)


def _decider(ctx: Context) -> Actor:
    actor = ctx.actor()
    if actor.role != DECIDER:
        raise PermissionDenied(
            _("{actor} may not decide role grants: a second operator approves every grant of "
              "operator, approver or branch head").format(actor=actor.describe())
        )
    return actor


# A decision inside a sentence ("role grant 3 is already approved"); translated where shown.
DECIDED = {"approved": N_("approved"), "rejected": N_("rejected"),
           "superseded": N_("superseded"), "pending": N_("pending")}


def decided(code: str) -> str:
    """A request's or grant's status as a word in a sentence, in the active language."""
    return _(DECIDED[code]) if code in DECIDED else code


def _item(session: Session, grant: RoleGrant) -> GrantItem:
    staff = session.execute(
        select(Staff.name, Staff.branch_id).where(Staff.staff_id == grant.staff_id)
    ).one()
    return {
        "kind": "role_grant",
        "id": grant.id,
        "staff_id": grant.staff_id,
        "name": staff.name,
        "branch_id": staff.branch_id,
        "role": grant.role,
        "previous_role": grant.previous_role,
        "source": grant.source,
        "requested_by": grant.requested_by,
        "requested_by_name": session.scalar(
            select(Staff.name).where(Staff.staff_id == grant.requested_by)),
        "requested_at": grant.requested_at.isoformat(),
        "status": grant.status,
        "decided_by": grant.decided_by,
        "decided_at": grant.decided_at.isoformat() if grant.decided_at else None,
        "decision_reason": grant.decision_reason,
    }
