"""`vip customers`: the customers the acting person may see, filtered (SPEC §13, §15).

Visibility follows `access.visible_clause`: a manager, advisor, lobby manager or teller
sees its own book, the branch head the whole outlet; anyone else is refused. Phones are
masked unless --reveal, which needs the right to reveal every listed customer and is
audited with one row per customer revealed.
"""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy import ColumnElement, Row, SQLColumnExpression, case, func, select

from vipcli.db.models import Customer, Staff
from vipcli.domain import vocabulary
from vipcli.domain.money import money_str
from vipcli.errors import InvalidInput, PermissionDenied
from vipcli.i18n import _
from vipcli.services.core import access, sealing, standing
from vipcli.services.core.audit import audit_many
from vipcli.services.core.context import Context

NO_TIER = ("none", "null", "-")


class CustomerRow(TypedDict):
    """One customer of `vip customers` (§15): phone masked unless --reveal."""

    customer_id: str
    name: str
    signed_tier: str | None
    qualified_tier: str | None
    adb12: str | None  # yuan, two decimals; None before the first screening
    manager_id: str | None
    manager_name: str | None  # §16: staff by name beside their id
    advisor_id: str | None
    advisor_name: str | None
    occupation: str
    orientation: str | None
    phone: str | None


def list_customers(
    ctx: Context,
    *,
    tier: str | None = None,
    qualified_tier: str | None = None,
    staff_id: str | None = None,
    unassigned: bool = False,
    reveal: bool = False,
    limit: int | None = None,
    lost: bool = False,
) -> list[CustomerRow]:
    """The §15 document: highest tier and ADB12 first. Lost customers (§18) leave the
    list; `lost` lists only them."""
    actor = ctx.actor()
    if actor.role not in access.FRONT_ROLES:
        raise PermissionDenied(
            _("{actor} has no customers to list: customer books belong to account managers, "
              "advisors, lobby managers, tellers and the outlet's branch head")
            .format(actor=actor.describe())
        )
    if staff_id and actor.role != "branch_head" and staff_id != actor.staff_id:
        raise PermissionDenied(
            _("{actor} may list only its own book (--staff {staff}); the branch head sees every "
              "manager's").format(actor=actor.describe(), staff=actor.staff_id)
        )
    latest, on = standing.latest_result_join(Customer.customer_id, Customer.branch_id)
    manager, advisor = Staff.__table__.alias("manager"), Staff.__table__.alias("advisor")
    stmt = select(
        Customer.customer_id, Customer.name, Customer.signed_tier, Customer.qualified_tier,
        latest.c.adb12_fen, Customer.manager_id, manager.c.name.label("manager_name"),
        Customer.advisor_id, advisor.c.name.label("advisor_name"), Customer.occupation,
        Customer.orientation, Customer.phone_masked, Customer.phone_sealed, Customer.branch_id,
    ).select_from(Customer).outerjoin(latest, on).outerjoin(manager, manager.c.staff_id == Customer.manager_id) \
        .outerjoin(advisor, advisor.c.staff_id == Customer.advisor_id) \
        .where(access.visible_clause(actor))
    stmt = stmt.where(Customer.status == "lost") if lost else stmt.where(Customer.status != "lost")
    if tier is not None:
        stmt = stmt.where(_tier_is(Customer.signed_tier, tier, "--tier"))
    if qualified_tier is not None:
        stmt = stmt.where(_tier_is(Customer.qualified_tier, qualified_tier, "--qualified-tier"))
    if staff_id:
        stmt = stmt.where((Customer.manager_id == staff_id) | (Customer.advisor_id == staff_id))
    if unassigned:
        # §2: every potential or signed VIP needs a primary manager — the allocation list.
        stmt = stmt.where(
            Customer.manager_id.is_(None),
            Customer.qualified_tier.is_not(None) | Customer.signed_tier.is_not(None),
            Customer.status.not_in(vocabulary.CLOSED_STATUSES),
        )
    stmt = stmt.order_by(
        _rank(func.coalesce(Customer.signed_tier, Customer.qualified_tier)).desc(),
        func.coalesce(latest.c.adb12_fen, -1).desc(),
        Customer.customer_id,
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    with ctx.session(write=reveal) as session:
        rows = session.execute(stmt).all()
        if reveal:
            refused = [r.customer_id for r in rows if not access.can_reveal(actor, r)]
            if refused:
                raise PermissionDenied(
                    _("{actor} may not --reveal {count} of the listed customers (e.g. "
                      "{customer}): only a customer's own manager and the branch head may; "
                      "narrow the list (e.g. --staff) or leave out --reveal").format(
                        actor=actor.describe(), count=len(refused), customer=refused[0])
                )
            audit_many(session, actor.staff_id, "reveal", [r.customer_id for r in rows],
                       command="customers", fields=["phone"])
            key = sealing.sealer_for_reveal(session, ctx.loaded_rules)
            return [_document(r, sealing.reveal(key, r.customer_id, "phone", r.phone_sealed,
                                                r.phone_masked)) for r in rows]
    return [_document(r, r.phone_masked) for r in rows]


def _document(row: Row[Any], phone: str | None) -> CustomerRow:
    return {
        "customer_id": row.customer_id,
        "name": row.name,
        "signed_tier": row.signed_tier,
        "qualified_tier": row.qualified_tier,
        "adb12": money_str(row.adb12_fen),
        "manager_id": row.manager_id,
        "manager_name": row.manager_name,
        "advisor_id": row.advisor_id,
        "advisor_name": row.advisor_name,
        "occupation": row.occupation,
        "orientation": row.orientation,
        "phone": phone,  # masked unless revealed (§13)
    }


def parse_tier(text: str, option: str) -> str | None:
    """A tier code, its Chinese label, or none (no tier)."""
    cleaned = text.strip()
    if cleaned.lower() in NO_TIER:
        return None
    if cleaned.lower() in vocabulary.TIERS:
        return cleaned.lower()
    found = vocabulary.ENUM_LABELS["tier"].get(cleaned)
    if found is None:
        raise InvalidInput(_("{option} {text!r}: expected diamond, platinum, gold or none")
                           .format(option=option, text=text))
    return found or None


def _tier_is(column: SQLColumnExpression[str | None], text: str, option: str) -> ColumnElement[bool]:
    tier = parse_tier(text, option)
    return column.is_(None) if tier is None else column == tier


def _rank(column: SQLColumnExpression[str | None]) -> ColumnElement[int]:
    return case({"diamond": 3, "platinum": 2, "gold": 1}, value=column, else_=0)
