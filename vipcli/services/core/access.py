"""Who may see and do what (SPEC §13): roles, visibility of customers, reveal, bootstrap.

Decisions where the spec is silent (docs/rules.md "Security"):
- an operator runs imports, screening, backups and the audit log, but lists no customers;
- approvers see admission requests of their level below their branch, not customer books;
- nobody sees a customer of another outlet except through the lobby view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sqlalchemy import ColumnElement, false, select

from vipcli.db.light import STAFF_TABLE
from vipcli.domain import labels
from vipcli.errors import NotFound, PermissionDenied
from vipcli.i18n import _
from vipcli.services.core.context import Actor, Context

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from vipcli.db.models import Customer

# The ORM models load inside the functions that use them: `vip due` imports this module
# for its role checks and must not pay for the mappers (issue 12's figure).

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
    """Refuse `actor` unless its role is one of `roles`; `doing` is already translated
    (`_("run the monthly screening")`)."""
    if actor.role not in roles:
        raise PermissionDenied(_("{actor} may not {doing}; this needs the role {roles}").format(
            actor=actor.describe(), doing=doing, roles=" / ".join(labels.role(r) for r in roles)))


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
    from vipcli.db.models import Customer

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
    from vipcli.db.models import Customer

    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_("unknown customer {customer!r}").format(customer=customer_id))
    if not can_see(actor, customer):
        raise PermissionDenied(_(
            "customer {customer} is not in the book of {actor}: only its own manager or "
            "advisor and the outlet's branch head see it"
        ).format(customer=customer_id, actor=actor.describe()))
    return customer


def require_reveal(actor: Actor, customer: Customer) -> None:
    if not can_reveal(actor, customer):
        raise PermissionDenied(_(
            "{actor} may not --reveal customer {customer}: only its own manager and the "
            "outlet's branch head may"
        ).format(actor=actor.describe(), customer=customer.customer_id))


def staff_count(ctx: Context) -> int:
    from sqlalchemy import func

    with ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(STAFF_TABLE)).scalar_one()


class GuidedContext(Context):
    """The context of a command run from the CLI (vipcli.cli.state): an acting identity
    that is unknown because the database holds no staff at all says how to start."""

    def actor(self) -> Actor:
        try:
            return super().actor()
        except NotFound:
            if staff_count(self) == 0:
                raise NotFound(_(
                    "the database has no staff yet, so nobody can be known as the acting "
                    "identity: run `vip quickstart` for the demo outlet, or import your outlet "
                    "first (vip import branches FILE, then vip import staff FILE; no --as "
                    "needed until staff exist)"
                ) if self.actor_id is None else _(
                    "the database has no staff yet, so {staff} is unknown: run `vip quickstart` "
                    "for the demo outlet, or import your outlet first (vip import branches FILE, "
                    "then vip import staff FILE; no --as needed until staff exist)"
                ).format(staff=self.actor_id)) from None
            raise


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
    from vipcli.db.models import Branch

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
    from vipcli.db.models import Branch

    for branch_id in ancestors(session, outlet_id):
        found = session.execute(
            select(Branch.level).where(Branch.branch_id == branch_id)
        ).scalar_one_or_none()
        if found == level:
            return branch_id
    return None
