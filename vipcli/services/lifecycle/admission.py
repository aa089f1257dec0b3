"""Special admission (特殊准入, SPEC §3): a request for a tier the customer's ADB12 does not reach.

Gold is decided by the outlet's branch head, Platinum by a second-level branch approver
above the outlet, Diamond by a first-level branch approver above it. Nobody decides
their own request: a branch head's own Gold request goes one level up, to a
second-level branch approver. Anyone who sees the customer (its manager or advisor, the branch
head) may open a request.

`vip approvals` / `approve` / `reject` are also where an operator decides the role grants
that wait for a second operator (§13, services.core.grants): operators decide no
admissions and only operators decide grants, so the acting role says which an ID is.
"""

from __future__ import annotations

from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import AdmissionRequest, Customer, Staff
from vipcli.domain import labels
from vipcli.domain.money import money_str
from vipcli.domain.screening import approver_for
from vipcli.domain.vocabulary import tier_rank
from vipcli.errors import NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import N_, _
from vipcli.services.core import grants, standing
from vipcli.services.core.access import find_ancestor_at_level, get_visible_customer
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context
from vipcli.services.lifecycle.signing import checked_reason, checked_tier

DECIDERS = ("branch_head", "approver_l2", "approver_l1")

# §3: the branch head cannot decide its own Gold request; it goes one level up.
_HEAD_OWN_GOLD = ("approver_l2", 2, N_("a second-level branch approver above {outlet} "
                                       "(the branch head's own request): {people}"))


class AdmissionItem(TypedDict):
    """One special-admission request as `vip approvals`, `approve` and `reject` show it (§3)."""

    kind: str  # "admission" (an operator's role grants are "role_grant")
    id: int
    customer_id: str
    name: str
    branch_id: str
    tier: str
    qualified_tier: str | None
    adb12: str | None  # yuan, two decimals; None before the first screening
    reason: str
    requested_by: str
    requested_by_name: str | None  # shown beside the id (§16)
    requested_at: str
    status: str  # pending | approved | rejected
    decided_by: str | None
    decided_at: str | None
    decision_reason: str | None


class OpenedAdmission(AdmissionItem):
    """`vip admit`: the new request and who may decide it."""

    to_be_decided_by: str


def admit(ctx: Context, customer_id: str, tier: str, reason: str) -> OpenedAdmission:
    actor = ctx.actor()
    tier, reason = checked_tier(tier), checked_reason(reason)
    with ctx.session() as session:
        customer = get_visible_customer(session, actor, customer_id)
        if tier_rank(customer.qualified_tier) >= tier_rank(tier):
            raise RuleViolation(
                _("customer {customer} already qualifies for {qualified}; no special admission is "
                  "needed: vip sign {customer} --tier {code}").format(
                    customer=customer_id, qualified=labels.tier(customer.qualified_tier), code=tier)
            )
        if tier_rank(customer.signed_tier) >= tier_rank(tier):
            raise RuleViolation(_("customer {customer} already holds a {tier} card").format(
                customer=customer_id, tier=labels.tier(customer.signed_tier)))
        pending = session.scalars(
            select(AdmissionRequest).where(AdmissionRequest.customer_id == customer_id,
                                           AdmissionRequest.status == "pending")
        ).first()
        if pending is not None:
            raise RuleViolation(
                _("customer {customer} already has a pending request {id} ({tier}); it must be "
                  "decided first").format(customer=customer_id, id=pending.id,
                                          tier=labels.tier(pending.tier))
            )
        request = AdmissionRequest(
            customer_id=customer_id, tier=tier, reason=reason, requested_by=actor.staff_id,
            requested_at=clock.now(), status="pending",
        )
        session.add(request)
        session.flush()
        audit(session, actor.staff_id, "admission_request", customer_id, request_id=request.id,
              tier=tier, reason=reason)
        deciders = _deciders_text(session, request, customer)
        return {**_item(session, request, customer), "to_be_decided_by": deciders}


def approvals(ctx: Context) -> list[AdmissionItem] | list[grants.GrantItem]:
    """The pending requests the acting person may decide (not its own); for an operator,
    the role grants waiting for a second operator."""
    actor = ctx.actor()
    if actor.role == grants.DECIDER:
        return grants.pending(ctx)
    if actor.role not in DECIDERS:
        raise PermissionDenied(
            _("{actor} decides no special admissions: the branch head decides gold, second-level "
              "branch approvers platinum, first-level branch approvers diamond (and operators "
              "decide role grants)").format(actor=actor.describe())
        )
    with ctx.session() as session:
        rows = session.execute(
            select(AdmissionRequest, Customer)
            .join(Customer, Customer.customer_id == AdmissionRequest.customer_id)
            .where(AdmissionRequest.status == "pending",
                   AdmissionRequest.requested_by != actor.staff_id)
            .order_by(AdmissionRequest.requested_at, AdmissionRequest.id)
        ).all()
        items = []
        for request, customer in rows:  # a handful of pending requests, not a customer book
            role, _level, _how = _approver(session, request)
            if role != actor.role:
                continue
            if _deciding_branch(session, request, customer.branch_id) == actor.branch_id:
                items.append(_item(session, request, customer))
    return items


def approve(ctx: Context, request_id: int) -> AdmissionItem | grants.GrantItem:
    if ctx.actor().role == grants.DECIDER:
        return grants.approve(ctx, request_id)
    return _decide(ctx, request_id, "approved", None)


def reject(ctx: Context, request_id: int, reason: str) -> AdmissionItem | grants.GrantItem:
    if ctx.actor().role == grants.DECIDER:
        return grants.reject(ctx, request_id, checked_reason(reason))
    return _decide(ctx, request_id, "rejected", checked_reason(reason))


def _decide(ctx: Context, request_id: int, outcome: str, reason: str | None) -> AdmissionItem:
    actor = ctx.actor()
    with ctx.session() as session:
        request = session.get(AdmissionRequest, request_id)
        if request is None:
            raise NotFound(_("unknown admission request {id}").format(id=request_id))
        customer = session.get(Customer, request.customer_id)
        if customer is None:  # the foreign key rules it out
            raise NotFound(_("unknown customer {customer!r} of request {id}")
                           .format(customer=request.customer_id, id=request_id))
        if request.requested_by == actor.staff_id:
            raise PermissionDenied(_("nobody decides their own request: {id} was opened by {staff}")
                                   .format(id=request_id, staff=actor.staff_id))
        _require_decider(session, actor, request, customer)
        if request.status != "pending":
            raise RuleViolation(
                _("request {id} was already {status} by {staff} on {date}").format(
                    id=request_id, status=grants.decided(request.status), staff=request.decided_by,
                    date=f"{request.decided_at:%Y-%m-%d}")
            )
        request.status = outcome
        request.decided_by = actor.staff_id
        request.decided_at = clock.now()
        request.decision_reason = reason
        audit(session, actor.staff_id, f"admission_{outcome[:-1]}", customer.customer_id,
              request_id=request_id, tier=request.tier, reason=reason)
        return _item(session, request, customer)


def _approver(session: Session, request: AdmissionRequest) -> tuple[str, int, str]:
    """(role, branch level, how to name them) of whoever decides this request (§3)."""
    if request.tier == "gold":
        asker_role = session.scalar(select(Staff.role).where(Staff.staff_id == request.requested_by))
        if asker_role == "branch_head":
            return _HEAD_OWN_GOLD
    return approver_for(request.tier)


def _deciding_branch(session: Session, request: AdmissionRequest, outlet: str) -> str | None:
    _role, level, _how = _approver(session, request)
    return find_ancestor_at_level(session, outlet, level)


def _require_decider(
    session: Session, actor: Actor, request: AdmissionRequest, customer: Customer
) -> None:
    role, _level, _how = _approver(session, request)
    branch = _deciding_branch(session, request, customer.branch_id)
    if actor.role == role and branch is not None and actor.branch_id == branch:
        return
    raise PermissionDenied(_deciders_text(session, request, customer, prefix=True))


def _deciders_text(
    session: Session, request: AdmissionRequest, customer: Customer, prefix: bool = False
) -> str:
    """'request 7 (Platinum) must be decided by a second-level branch approver above O001:
    孙审批 AP2' — names who may decide."""
    role, _level, how = _approver(session, request)
    branch = _deciding_branch(session, request, customer.branch_id)
    people = session.execute(
        select(Staff.staff_id, Staff.name)
        .where(Staff.role == role, Staff.branch_id == branch, Staff.active.is_(True),
               Staff.staff_id != request.requested_by)
        .order_by(Staff.staff_id)
    ).all() if branch else []
    names = ", ".join(labels.named(p.name, p.staff_id) for p in people) or (
        _("nobody holds that role at {branch} yet").format(branch=branch) if branch
        else _("no such branch above it"))
    text = _(how).format(outlet=customer.branch_id, people=names)
    if not prefix:
        return text
    return _("request {id} ({tier}) must be decided by {deciders}").format(
        id=request.id, tier=labels.tier(request.tier), deciders=text)


def _item(session: Session, request: AdmissionRequest, customer: Customer) -> AdmissionItem:
    now = standing.current_standing(session, customer.customer_id, customer.branch_id)
    return {
        "kind": "admission",
        "id": request.id,
        "customer_id": customer.customer_id,
        "name": customer.name,
        "branch_id": customer.branch_id,
        "tier": request.tier,
        "qualified_tier": customer.qualified_tier,
        "adb12": money_str(now.adb12_fen),
        "reason": request.reason,
        "requested_by": request.requested_by,
        "requested_by_name": session.scalar(
            select(Staff.name).where(Staff.staff_id == request.requested_by)),
        "requested_at": request.requested_at.isoformat(),
        "status": request.status,
        "decided_by": request.decided_by,
        "decided_at": request.decided_at.isoformat() if request.decided_at else None,
        "decision_reason": request.decision_reason,
    }
