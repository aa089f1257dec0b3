"""The staff file under §13: who may change whom, and roles that wait for a second operator.

Each row is judged on the staff member held in the database and on the file's row:
- a branch head changes only its own outlet's staff (held and written), gives only the
  outlet roles, and changes neither itself nor anyone holding a bank-level role;
- nobody changes their own role or deactivates themselves (another operator does it);
- a row that would make someone an active operator, approver or branch head is written
  without that (grants.py) and recorded as a pending grant for a second operator.
A row equal to what is held (in the file's columns) is no change: it passes the role and
self rules (a branch head's outlet rule still applies to it).

The optional os_user column binds a member of staff to an operating-system account (or a
PostgreSQL role) for the identity modes `os` and `database` (§13). It is unique, and a
change of it is a change of who may act as that person: only an operator's import makes
it (a branch head's is refused), without a second operator — the account itself is
created and guarded by the system's administrator, a second person already — and each
change is written to the audit log with the account before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import Connection, Row

from vipcli.db import models
from vipcli.domain import labels
from vipcli.domain.rows import RowValues
from vipcli.i18n import _
from vipcli.services.core import grants
from vipcli.services.core.access import BOOK_ROLES
from vipcli.services.core.audit import audit
from vipcli.services.imports.scope import Problem, Scope, lookup, outside

COLUMNS = ("staff_id", "name", "role", "branch_id", "capacity", "active", "os_user")  # §12 order
_ROLE, _BRANCH, _ACTIVE, _OS_USER = 2, 3, 5, 6


class PendingGrant(TypedDict):
    """A role the import asked for, waiting for `vip approve` (id None on a dry run)."""

    id: int | None
    staff_id: str
    role: str


def held_staff(conn: Connection, items: list[RowValues]) -> dict[str, Row[Any]]:
    s = models.Staff
    return lookup(conn, s.staff_id, {v[0] for v in items}, s.name, s.role, s.branch_id,
                  s.capacity, s.active, s.os_user)


def check(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
    branches = lookup(conn, models.Branch.branch_id, {v[_BRANCH] for v in items})
    held = held_staff(conn, items)
    problems = []
    for index, values in enumerate(items):
        if values[_BRANCH] not in branches:
            problems.append((index, "branch_id", _("unknown branch {branch!r}")
                             .format(branch=values[_BRANCH])))
        elif refusal := _refusal(values, held.get(values[0]), scope):
            problems.append((index, *refusal))
    if "os_user" in scope.present:
        problems += _shared_accounts(conn, items)
    return problems


def _shared_accounts(conn: Connection, items: list[RowValues]) -> list[Problem]:
    """§13: one member of staff per account — in the file, and against the staff held
    (rows of earlier chunks are already in the open transaction)."""
    accounts = {v[_OS_USER] for v in items if v[_OS_USER] is not None}
    holders = {row.os_user: row.staff_id for row in
               lookup(conn, models.Staff.os_user, accounts, models.Staff.staff_id).values()}
    first: dict[str, str] = {}
    problems = []
    for index, values in enumerate(items):
        staff_id, account = values[0], values[_OS_USER]
        if account is None:
            continue
        other: str = first.setdefault(account, staff_id)
        if other == staff_id:
            other = holders.get(account) or staff_id
        if other != staff_id:
            problems.append((index, "os_user", _(
                "account {account} is already the os_user of {staff}; one account belongs to "
                "one member of staff (empty it there first)").format(account=account, staff=other)))
    return problems


def _refusal(values: RowValues, held: Row[Any] | None, scope: Scope) -> tuple[str, str] | None:
    """(column, why) when the importer may not write this row; None when it may."""
    staff_id, role = values[0], values[_ROLE]
    if message := outside(scope, values[_BRANCH]):
        return "branch_id", message
    if held is not None and (message := outside(scope, held.branch_id)):
        return "staff_id", _("staff member {staff} {problem}").format(staff=staff_id, problem=message)
    if held is not None and not _changes(values, held, scope.present):
        return None
    if scope.outlet is None:
        if staff_id == scope.actor_id and held is not None:
            role_now, active_now = _state(values, held, scope)
            if (role_now, active_now) != (held.role, bool(held.active)):
                column = "role" if role_now != held.role else "active"
                return column, _("{staff} is you: nobody changes their own role or deactivates "
                                 "themselves; another operator does it").format(staff=staff_id)
        return None
    if staff_id == scope.actor_id:
        return "staff_id", _("{staff} is you: a branch head may not change its own staff record").format(
            staff=staff_id)
    if _account_change(values, held, scope) is not None:
        return "os_user", _("{staff}: only an operator sets or changes os_user, the account a "
                            "member of staff acts as (§13)").format(staff=staff_id)
    if held is not None and held.role in grants.BANK_ROLES:
        return "role", _("{staff} is a {role}: only an operator changes staff with a bank-level "
                         "role").format(staff=staff_id, role=labels.role(held.role))
    if role not in BOOK_ROLES:
        return "role", _("a branch head gives only the outlet roles {roles}; {role} is given by an "
                         "operator and approved by a second one").format(
            roles=", ".join(labels.role(r) for r in BOOK_ROLES), role=labels.role(role))
    return None


def _changes(values: RowValues, held: Row[Any], present: frozenset[str]) -> bool:
    return any(
        values[i] != held[i] for i, name in enumerate(COLUMNS) if i and name in present
    )


def _account_change(values: RowValues, held: Row[Any] | None,
                    scope: Scope) -> tuple[str | None, str | None] | None:
    """(before, after) when the row sets, changes or empties os_user; None when it does not."""
    if "os_user" not in scope.present:
        return None
    before = held.os_user if held is not None else None
    after = values[_OS_USER]
    return (before, after) if before != after else None


def _state(values: RowValues, held: Row[Any] | None, scope: Scope) -> tuple[str, bool]:
    """(role, active) the row would leave: an absent active column keeps what is held."""
    if "active" in scope.present or held is None:
        return values[_ROLE], bool(values[_ACTIVE])
    return values[_ROLE], bool(held.active)


@dataclass
class GrantPlan:
    """The rows to write (bank-level roles held back) and what to record once they are in."""

    items: list[RowValues]
    asked: dict[str, tuple[str, str | None] | None] = field(default_factory=dict)
    accounts: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def record(self, conn: Connection, source: str, by: str) -> list[PendingGrant]:
        """After the upsert (grants refer to staff rows): pending grants for the rows that ask
        for a bank-level role; other rows' pending grants are superseded."""
        grants.supersede(conn, [staff_id for staff_id, grant in self.asked.items() if grant is None])
        for staff_id, (before, after) in self.accounts.items():  # §13: a change of identity
            audit(conn, by, "identity", staff_id=staff_id, os_user=after, previous=before, file=source)
        pending: list[PendingGrant] = []
        for staff_id, grant in self.asked.items():
            if grant is None:
                continue
            role, previous = grant
            grant_id = grants.request(conn, staff_id, role, previous, source, by)
            pending.append(PendingGrant(id=grant_id, staff_id=staff_id, role=role))
        return pending


def hold_grants(conn: Connection, items: list[RowValues], scope: Scope) -> GrantPlan:
    """§13 maker-checker: a new row asking for a bank-level role is written inactive, an
    existing one keeps its role and active flag, until a second operator approves."""
    held = held_staff(conn, items)
    plan = GrantPlan([])
    for values in items:
        staff_id, found = values[0], held.get(values[0])
        if (account := _account_change(values, found, scope)) is not None:
            plan.accounts[staff_id] = account
        role, active = _state(values, found, scope)
        before = (found.role, bool(found.active)) if found is not None else None
        if not grants.is_grant(role, active, before):
            plan.items.append(values)
            plan.asked[staff_id] = None
            continue
        kept_role, kept_active = before if before is not None else (role, False)
        plan.items.append((*values[:_ROLE], kept_role, *values[_ROLE + 1:_ACTIVE], kept_active,
                           *values[_ACTIVE + 1:]))
        plan.asked[staff_id] = (role, found.role if found is not None else None)
    return plan
