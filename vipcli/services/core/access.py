"""Who may see and do what (SPEC §13): roles, visibility of customers, reveal, bootstrap.

Decisions where the spec is silent (docs/rules.md "Security"):
- an operator runs imports, screening, backups and the audit log, but lists no customers;
- approvers see admission requests of their level below their branch, not customer books;
- nobody sees a customer of another outlet except through the lobby view.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from vipcli.db.models import Branch, Customer, Staff
from vipcli.errors import NotFound, PermissionDenied
from vipcli.services.core.context import Actor, Context

BOOK_ROLES = ("account_manager", "advisor", "lobby_manager", "teller")
FRONT_ROLES = ("branch_head", *BOOK_ROLES)
ADMIN_ROLES = ("operator", "branch_head")


class Holding(Protocol):
    """What the reveal right reads of a customer: a Customer, or a row of these columns."""

    @property
    def branch_id(self) -> str: ...

    @property
    def manager_id(self) -> str | None: ...


def require_role(actor: Actor, roles: tuple[str, ...], doing: str) -> None:
    if actor.role not in roles:
        allowed = ", ".join(roles)
        raise PermissionDenied(
            f"{actor.describe()} may not {doing}; this needs the role {allowed}"
        )


def _scope(actor: Actor) -> tuple[str, str] | None:
    """The customer attribute and value that decide what `actor` sees (§13).

    One indexed equality per role: `manager_id = X OR advisor_id = X` makes SQLite scan
    the whole table when most customers have no advisor. Advisors back customers up
    (§2), so they see the ones they advise; the other book roles are primary managers.
    """
    if actor.role == "branch_head":
        return "branch_id", actor.branch_id
    if actor.role == "advisor":
        return "advisor_id", actor.staff_id
    if actor.role in BOOK_ROLES:
        return "manager_id", actor.staff_id
    return None


def visible_clause(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Customer for the customers `actor` may see."""
    scope = _scope(actor)
    return false() if scope is None else getattr(Customer, scope[0]) == scope[1]


def can_see(actor: Actor, customer: Customer) -> bool:
    scope = _scope(actor)
    return scope is not None and getattr(customer, scope[0]) == scope[1]


def can_reveal(actor: Actor, customer: Holding) -> bool:
    """--reveal is for the customer's own manager and the outlet's branch head (§13)."""
    if actor.role == "branch_head":
        return customer.branch_id == actor.branch_id
    return actor.staff_id == customer.manager_id


def get_visible_customer(session: Session, actor: Actor, customer_id: str) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"unknown customer {customer_id!r}")
    if not can_see(actor, customer):
        raise PermissionDenied(
            f"customer {customer_id} is not visible to {actor.describe()}: "
            "only its own manager or advisor and the outlet's branch head see it"
        )
    return customer


def require_reveal(actor: Actor, customer: Customer) -> None:
    if not can_reveal(actor, customer):
        raise PermissionDenied(
            f"{actor.describe()} may not --reveal customer {customer.customer_id}: "
            "only its own manager and the outlet's branch head may"
        )


def staff_count(ctx: Context) -> int:
    from sqlalchemy import func

    with ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Staff)).scalar_one()


def require_admin(ctx: Context, doing: str, *, bootstrap_ok: bool = False) -> Actor | None:
    """Imports and screening need an operator or a branch head; while the database has
    no staff at all, importing branches and staff needs no identity (§13 bootstrap)."""
    if bootstrap_ok and staff_count(ctx) == 0:
        return None
    actor = ctx.actor()
    require_role(actor, ADMIN_ROLES, doing)
    return actor


def ancestors(session: Session, branch_id: str) -> list[str]:
    """The branch and every branch above it, nearest first."""
    chain: list[str] = []
    current: str | None = branch_id
    while current is not None and current not in chain:
        chain.append(current)
        current = session.execute(
            select(Branch.parent_id).where(Branch.branch_id == current)
        ).scalar_one_or_none()
    return chain


def approver_branch_level(role: str) -> int | None:
    """approver_l1 sits at a first-level branch (1), approver_l2 at a second-level one (2)."""
    return {"approver_l1": 1, "approver_l2": 2}.get(role)


def find_ancestor_at_level(session: Session, outlet_id: str, level: int) -> str | None:
    for branch_id in ancestors(session, outlet_id):
        found = session.execute(
            select(Branch.level).where(Branch.branch_id == branch_id)
        ).scalar_one_or_none()
        if found == level:
            return branch_id
    return None
