"""The customer lifecycle (SPEC §3): signing and declining.

Special admission requests live in `vipcli.services.lifecycle.admission`, risk
assessments in `vipcli.services.lifecycle.risk`.

Who may sign (the spec is silent; docs/rules.md "Signing"): the customer's own manager, the
outlet's branch head, and a teller of the customer's outlet — tellers issue the VIP
card (柜員發放貴賓卡). Declining and risk assessments need the customer visible to
the actor (its manager or advisor, or the branch head).
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import AdmissionRequest, Branch, Customer, DowngradeCount, Staff, TierHistory
from vipcli.domain.money import money_str
from vipcli.domain.screening import welcome_letter
from vipcli.domain.vocabulary import TIER_LABELS, TIERS, tier_rank
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.services.core import standing
from vipcli.services.core.access import get_visible_customer
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context
from vipcli.services.lifecycle.risk import valid_risk_assessment


class SignedCard(TypedDict):
    """`vip sign` (§3, §15 conventions): the new card, on what it rests, the welcome letter."""

    customer_id: str
    signed_tier: str
    previous_tier: str | None
    tier_since: str
    admission_id: int | None  # the approved special admission, when not qualified
    risk_level: int
    letter: str


class DeclinedCustomer(TypedDict):
    """`vip decline` (§3): the customer leaves the follow-up lists."""

    customer_id: str
    status: str  # "declined"
    previous_status: str
    reason: str


def checked_tier(tier: str) -> str:
    code = (tier or "").strip().lower()
    if code not in TIERS:
        raise InvalidInput(f"--tier must be one of {', '.join(TIERS)}, got {tier!r}")
    return code


def checked_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("--reason must say why (it is kept with the record)")
    return text


def _require_signer(actor: Actor, customer: Customer) -> None:
    if actor.role == "branch_head" and actor.branch_id == customer.branch_id:
        return
    if actor.role == "teller" and actor.branch_id == customer.branch_id:
        return
    if actor.staff_id == customer.manager_id:
        return
    raise PermissionDenied(
        f"{actor.describe()} may not sign customer {customer.customer_id}: its manager, the "
        f"branch head or a teller of outlet {customer.branch_id} may"
    )


def sign(ctx: Context, customer_id: str, tier: str, on: dt.date | None = None) -> SignedCard:
    """§3: issue the VIP card; needs a valid risk assessment and qualification or admission."""
    actor = ctx.actor()
    tier = checked_tier(tier)
    today = clock.today()
    on = on or today
    if on > today:
        raise InvalidInput(f"--date {on.isoformat()} is in the future (today is {today.isoformat()})")
    with ctx.session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"unknown customer {customer_id!r}")
        _require_signer(actor, customer)
        if customer.signed_tier == tier:
            raise RuleViolation(f"customer {customer_id} already holds a {tier} card")
        assessment = valid_risk_assessment(session, customer_id, on)
        if assessment is None:
            raise RuleViolation(
                f"customer {customer_id} has no valid risk assessment (風險測評) on {on.isoformat()}; "
                f"record one first: vip risk record {customer_id} --level 1..5"
            )
        admission = _admission_needed(session, customer, tier)
        previous = customer.signed_tier
        _apply_signing(session, actor, customer, tier, on, admission)
        audit(session, actor.staff_id, "sign", customer_id, tier=tier, previous=previous,
              on=on, admission_id=admission.id if admission else None)
        letter = _letter(session, customer, tier, on)
    return {
        "customer_id": customer_id,
        "signed_tier": tier,
        "previous_tier": previous,
        "tier_since": on.isoformat(),
        "admission_id": admission.id if admission else None,
        "risk_level": assessment.level,
        "letter": letter,
    }


def _admission_needed(session: Session, customer: Customer, tier: str) -> AdmissionRequest | None:
    """None when the customer qualifies; else the approved special admission for T or higher."""
    if tier_rank(customer.qualified_tier) >= tier_rank(tier):
        return None
    approved = session.scalars(
        select(AdmissionRequest)
        .where(AdmissionRequest.customer_id == customer.customer_id,
               AdmissionRequest.status == "approved",
               AdmissionRequest.tier.in_([t for t in TIERS if tier_rank(t) >= tier_rank(tier)]))
        .order_by(AdmissionRequest.decided_at.desc(), AdmissionRequest.id.desc())
    ).first()
    if approved is None:
        qualified = customer.qualified_tier or "no tier"
        now = standing.current_standing(session, customer.customer_id, customer.branch_id)
        adb12 = now.adb12_fen
        raise RuleViolation(
            f"customer {customer.customer_id} qualifies for {qualified} "
            f"(ADB12 {money_str(adb12) or 'not screened'}), not {tier}; signing "
            f"{tier} needs an approved special admission: vip admit {customer.customer_id} "
            f"--tier {tier} --reason …"
        )
    return approved


def _apply_signing(
    session: Session, actor: Actor, customer: Customer, tier: str, on: dt.date,
    admission: AdmissionRequest | None,
) -> None:
    reason = f"signed (special admission #{admission.id})" if admission else "signed"
    session.add(TierHistory(
        customer_id=customer.customer_id, kind="signed", month=None,
        from_tier=customer.signed_tier, to_tier=tier, reason=reason,
        at=clock.now(), by_staff_id=actor.staff_id,
    ))
    customer.signed_tier = tier
    customer.tier_since = on
    customer.status = "signed"
    customer.status_reason = None
    # §1: the downgrade count restarts with the new card
    session.execute(delete(DowngradeCount).where(DowngradeCount.customer_id == customer.customer_id))


def _letter(session: Session, customer: Customer, tier: str, on: dt.date) -> str:
    manager = session.get(Staff, customer.manager_id) if customer.manager_id else None
    outlet = session.get(Branch, customer.branch_id)
    return welcome_letter(
        customer_name=customer.name, gender=customer.gender, tier=tier,
        manager_name=manager.name if manager else None,
        outlet_name=outlet.name if outlet else customer.branch_id, on=on,
    )


def decline(ctx: Context, customer_id: str, reason: str) -> DeclinedCustomer:
    """§3: the customer does not want VIP service: leaves the follow-up lists (終止跟進)."""
    actor = ctx.actor()
    reason = checked_reason(reason)
    with ctx.session() as session:
        customer = get_visible_customer(session, actor, customer_id)
        if customer.signed_tier is not None:
            raise RuleViolation(
                f"customer {customer_id} holds a {TIER_LABELS[customer.signed_tier]} "
                f"({customer.signed_tier}) card; only a prospect or potential VIP can decline"
            )
        if customer.status == "declined":
            raise RuleViolation(f"customer {customer_id} has already declined: {customer.status_reason}")
        previous = customer.status
        customer.status = "declined"
        customer.status_reason = reason
        audit(session, actor.staff_id, "decline", customer_id, reason=reason, previous=previous)
    return {"customer_id": customer_id, "status": "declined", "previous_status": previous,
            "reason": reason}

