"""`vip lobby`: recognise a walk-in and say how to serve them (SPEC §9).

The lobby may look up customers of every outlet, but only through this view, which
holds no phone, ID number or balance (§13). Every lookup is audited and recorded as a
LobbyVisit, which counts as business at the outlet for the Gold no-visit rule (§5).

Every Diamond walk-in goes to the branch head, the Diamond customers' dedicated manager
(网点主任为专职客户经理, §9), whoever manages the account. The business card is for a
walk-in who is not the bank's customer, so a recognised customer is never handed one;
an unknown phone says so and gives the exact `vip lead add` command that records the
walk-in as a lead (§9, §18); on a terminal `vip lobby` offers to record it there and then.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.config import LoadedRules, Rules
from vipcli.db.models import Customer, LobbyVisit, Staff
from vipcli.domain import address, rows
from vipcli.domain.vocabulary import CLOSED_STATUSES, tier_rank
from vipcli.errors import InvalidInput, NotFound
from vipcli.i18n import _
from vipcli.services.core import sealing
from vipcli.services.core.access import require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context

if TYPE_CHECKING:
    from sqlalchemy import Row

LOBBY_ROLES = ("lobby_manager", "branch_head")


class UnknownWalkIn(NotFound):
    """A phone that is no customer's: a walk-in to record as a lead (§9, §18)."""

    def __init__(self, message: str, phone: str) -> None:
        super().__init__(message)
        self.phone = phone


def lead_command(actor_id: str, phone: str) -> str:
    """The command that records a walk-in as a lead, ready to copy (§18)."""
    name = _("NAME")  # a placeholder the lobby manager replaces
    return f"vip --as {actor_id} lead add --phone {phone} --name {name}"


class StaffRef(TypedDict):
    """A staff member as the documents name one: id, name and role."""

    staff_id: str
    name: str
    role: str


class LobbyView(TypedDict):
    """§15 `vip lobby --json`: how to greet, where to seat and whom to call for a walk-in."""

    customer_id: str
    address_as: str
    tier: str | None
    priority: int
    own_outlet: bool
    route_to: StaffRef | None
    place: str
    service: list[str]
    visited_at: dt.datetime


def lobby(ctx: Context, key: str) -> LobbyView:
    actor = ctx.actor()
    require_role(actor, LOBBY_ROLES, _("use the lobby view"))
    with ctx.session() as session:
        customer = find_walk_in(session, key.strip(), ctx.loaded_rules, actor)
        tier = customer.signed_tier
        own_outlet = customer.branch_id == actor.branch_id
        target = _route_target(session, actor, customer, own_outlet, ctx.rules)
        at = clock.now()
        session.execute(
            insert(LobbyVisit).values(
                customer_id=customer.customer_id,
                branch_id=actor.branch_id,
                staff_id=actor.staff_id,
                visited_at=at,
                routed_to=target["staff_id"] if target else None,
            )
        )
        audit(session, actor.staff_id, "lobby_lookup", customer.customer_id,
              own_outlet=own_outlet, routed_to=target["staff_id"] if target else None,
              by="customer_id" if customer.customer_id == key.strip() else "phone")
    return {
        "customer_id": customer.customer_id,
        "address_as": address.address_as(customer.name, customer.gender),
        "tier": tier,
        "priority": address.priority(tier),
        "own_outlet": own_outlet,
        "route_to": target,
        "place": address.place(tier),
        "service": _service(tier, own_outlet),
        "visited_at": at,
    }


def find_walk_in(session: Session, key: str, loaded: LoadedRules,
                 actor: Actor | None = None) -> Customer:
    """By customer number, else by the full phone number (a shared phone must be resolved):
    one index lookup of the phone's keyed hash (§13), which needs the key."""
    if not key:
        raise InvalidInput(_("give a customer number or a phone number"))
    customer = session.get(Customer, key)
    if customer is not None:
        return customer
    digest = sealing.sealer(session, loaded).digest("phone", key)
    matches = session.scalars(
        select(Customer).where(Customer.phone_hmac == digest).order_by(Customer.customer_id).limit(10)
    ).all()
    if not matches:
        # §9, §18: a walk-in who is not the bank's customer gets a card and becomes a lead.
        try:
            phone = rows.phone(key)
        except ValueError:
            raise NotFound(_("{key} is not the number or phone of any customer").format(
                key=key)) from None
        raise UnknownWalkIn(_("{key} is not the number or phone of any customer: not the "
                              "bank's customer. Hand over a business card and record them as "
                              "a lead: {command}").format(
            key=key, command=lead_command(actor.staff_id if actor else "STAFF_ID", phone)), phone)
    if len(matches) > 1:
        ids = ", ".join(c.customer_id for c in matches)
        raise InvalidInput(_("that phone belongs to several customers ({ids}); give the customer "
                             "number").format(ids=ids))
    return matches[0]


def _service(tier: str | None, own_outlet: bool) -> list[str]:
    """§9's service standard for a recognised customer: no business card — that one is
    for a walk-in who is not the bank's customer."""
    card = _(address.BUSINESS_CARD)
    return [item for item in address.service_standard(tier, other_outlet=not own_outlet)
            if item != card]


def _route_target(session: Session, actor: Actor, customer: Customer, own: bool,
                  rules: Rules) -> StaffRef | None:
    if customer.signed_tier == "diamond":
        # §9: the branch head receives and accompanies every Diamond customer.
        return (branch_head(session, actor.branch_id)
                or _active_staff(session, customer.manager_id, actor.branch_id)
                or least_loaded_manager(session, actor.branch_id, rules))
    manager = _active_staff(session, customer.manager_id, actor.branch_id)
    rule = address.route(customer.signed_tier, own_outlet=own, has_manager=manager is not None)
    if rule == address.OWN_MANAGER:
        return manager
    if rule == address.BRANCH_HEAD:
        return branch_head(session, actor.branch_id) or least_loaded_manager(session, actor.branch_id, rules)
    return least_loaded_manager(session, actor.branch_id, rules) or branch_head(session, actor.branch_id)


def _describe(row: Row[str, str, str] | Row[str, str, str, Decimal]) -> StaffRef:
    return {"staff_id": row.staff_id, "name": row.name, "role": row.role}


def _active_staff(session: Session, staff_id: str | None, outlet: str) -> StaffRef | None:
    """The customer's own manager, if active and working at this outlet."""
    if staff_id is None:
        return None
    row = session.execute(
        select(Staff.staff_id, Staff.name, Staff.role).where(
            Staff.staff_id == staff_id, Staff.active.is_(True), Staff.branch_id == outlet
        )
    ).first()
    return None if row is None else _describe(row)


def branch_head(session: Session, outlet: str) -> StaffRef | None:
    """The outlet's active branch head (the lowest id if there are several)."""
    row = session.execute(
        select(Staff.staff_id, Staff.name, Staff.role)
        .where(Staff.branch_id == outlet, Staff.role == "branch_head", Staff.active.is_(True))
        .order_by(Staff.staff_id)
        .limit(1)
    ).first()
    return None if row is None else _describe(row)


def least_loaded_manager(session: Session, outlet: str, rules: Rules) -> StaffRef | None:
    """The active account manager with the lowest load (§2: Σ 1/ratio ÷ capacity), then by id."""
    managers = session.execute(
        select(Staff.staff_id, Staff.name, Staff.role, Staff.capacity).where(
            Staff.branch_id == outlet, Staff.role == "account_manager", Staff.active.is_(True)
        )
    ).all()
    if not managers:
        return None
    counts = session.execute(
        select(Customer.manager_id, Customer.signed_tier, Customer.qualified_tier, func.count())
        .where(Customer.manager_id.in_([m.staff_id for m in managers]),
               Customer.status.not_in(CLOSED_STATUSES))
        .group_by(Customer.manager_id, Customer.signed_tier, Customer.qualified_tier)
    ).all()
    ratio = {
        "diamond": rules.allocation.diamond_per_manager,
        "platinum": rules.allocation.platinum_per_manager,
        "gold": rules.allocation.gold_per_manager,
    }
    load: dict[str, Fraction] = {m.staff_id: Fraction(0) for m in managers}
    for staff_id, signed, qualified, n in counts:
        tier = max((signed, qualified), key=tier_rank)  # §2: the higher tier sets the load
        if staff_id is not None and tier in ratio:  # never None: the IN list above
            load[staff_id] += Fraction(n, ratio[tier])

    def key(m):
        capacity = Fraction(Decimal(m.capacity or 1)) or Fraction(1)
        return (load[m.staff_id] / capacity, m.staff_id)

    return _describe(min(managers, key=key))
