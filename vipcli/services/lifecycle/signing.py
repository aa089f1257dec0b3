"""The customer lifecycle (SPEC §3): signing and declining.

Special admission requests live in `vipcli.services.lifecycle.admission`, risk
assessments in `vipcli.services.lifecycle.risk`.

Who may sign (the spec is silent; docs/rules.md "Signing"): the customer's own manager, the
outlet's branch head, and a teller of the customer's outlet — tellers issue the VIP
card (柜员发放贵宾卡). Declining and risk assessments need the customer visible to
the actor (its manager or advisor, or the branch head).
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import AdmissionRequest, Branch, Customer, DowngradeCount, Staff, TierHistory
from vipcli.domain import labels
from vipcli.domain.money import money_str
from vipcli.domain.screening import welcome_letter
from vipcli.domain.vocabulary import ENUM_LABELS, TIERS, tier_rank
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import _
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
    qualified_tier: str | None  # what the customer qualifies for (a card below it: --below-qualified)
    risk_level: int
    letter: str


class DeclinedCustomer(TypedDict):
    """`vip decline` (§3): the customer leaves the follow-up lists."""

    customer_id: str
    status: str  # "declined"
    previous_status: str
    reason: str


def checked_tier(tier: str) -> str:
    """A card tier: its code (any case) or its Chinese label in either script (§16)."""
    text = (tier or "").strip()
    code = text.lower() if text.lower() in TIERS else ENUM_LABELS["tier"].get(text)
    if not code:  # unknown, or a label of no tier (普通客户): no card to sign
        raise InvalidInput(_("--tier must be one of {tiers}, got {tier!r}").format(
            tiers="diamond, platinum, gold (钻石卡, 白金卡, 金卡)", tier=tier))
    return code


def checked_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(_("--reason must say why (it is kept with the record)"))
    return text


def _require_signer(actor: Actor, customer: Customer) -> None:
    if actor.role == "branch_head" and actor.branch_id == customer.branch_id:
        return
    if actor.role == "teller" and actor.branch_id == customer.branch_id:
        return
    if actor.staff_id == customer.manager_id:
        return
    raise PermissionDenied(
        _("{actor} may not sign customer {customer}: its manager, the branch head or a teller of "
          "outlet {outlet} may").format(actor=actor.describe(), customer=customer.customer_id,
                                        outlet=customer.branch_id)
    )


def sign(ctx: Context, customer_id: str, tier: str, on: dt.date | None = None, *,
         below_qualified: bool = False) -> SignedCard:
    """§3: issue the VIP card; needs a valid risk assessment and qualification or admission.

    A card below the qualified tier is a deliberate choice (§8 up: the customer is offered
    the upgrade): it needs `below_qualified`, and the refusal says what the customer
    qualifies for.
    """
    actor = ctx.actor()
    tier = checked_tier(tier)
    today = clock.today()
    on = on or today
    if on > today:
        raise InvalidInput(_("--date {date} is in the future (today is {today})")
                           .format(date=on.isoformat(), today=today.isoformat()))
    with ctx.session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(_("unknown customer {customer!r}").format(customer=customer_id))
        _require_signer(actor, customer)
        if customer.signed_tier == tier:
            raise RuleViolation(_("customer {customer} already holds a {tier} card")
                                .format(customer=customer_id, tier=labels.tier(tier)))
        if tier_rank(tier) < tier_rank(customer.qualified_tier) and not below_qualified:
            raise RuleViolation(
                _("customer {customer} qualifies for {qualified}: vip sign {customer} --tier "
                  "{code}; to issue {tier} anyway, add --below-qualified").format(
                    customer=customer_id, qualified=labels.tier(customer.qualified_tier),
                    code=customer.qualified_tier, tier=labels.tier(tier)))
        assessment = valid_risk_assessment(session, customer_id, on)
        if assessment is None:
            raise RuleViolation(
                _("customer {customer} has no valid risk assessment on {date}; record one first: "
                  "vip risk record {customer} --level 1..5").format(
                    customer=customer_id, date=on.isoformat())
            )
        admission = _admission_needed(session, customer, tier)
        previous = customer.signed_tier
        _apply_signing(session, actor, customer, tier, on, admission)
        audit(session, actor.staff_id, "sign", customer_id, tier=tier, previous=previous,
              on=on, admission_id=admission.id if admission else None)
        letter = with_privileges(_letter(session, customer, tier, on), tier,
                                 ctx.rules.privileges.of(tier))
    return {
        "customer_id": customer_id,
        "signed_tier": tier,
        "previous_tier": previous,
        "tier_since": on.isoformat(),
        "admission_id": admission.id if admission else None,
        "qualified_tier": customer.qualified_tier,
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
        now = standing.current_standing(session, customer.customer_id, customer.branch_id)
        adb12 = money_str(now.adb12_fen) or _("not screened")
        raise RuleViolation(
            _("customer {customer} qualifies for {qualified} (ADB12 {adb12}), not {tier}; signing "
              "{tier} needs an approved special admission: vip admit {customer} --tier {code} "
              "--reason …").format(
                customer=customer.customer_id, qualified=labels.tier(customer.qualified_tier),
                adb12=adb12, tier=labels.tier(tier), code=tier)
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


def with_privileges(letter: str, tier: str, privileges: list[str]) -> str:
    """§18: the letter lists the card's privileges (rules file) above its closing lines
    (the outlet's regards and the date, the letter's last two lines)."""
    if not privileges:
        return letter
    lines = letter.split("\n")
    block = [_("As a {tier} customer you enjoy:").format(tier=labels.tier(tier)),
             *(f"  · {p}" for p in privileges), ""]
    return "\n".join([*lines[:-2], *block, *lines[-2:]])


def decline(ctx: Context, customer_id: str, reason: str) -> DeclinedCustomer:
    """§3: the customer does not want VIP service: leaves the follow-up lists (终止跟进)."""
    actor = ctx.actor()
    reason = checked_reason(reason)
    with ctx.session() as session:
        customer = get_visible_customer(session, actor, customer_id)
        if customer.signed_tier is not None:
            raise RuleViolation(
                _("customer {customer} holds a {tier} card; only a prospect or potential VIP can "
                  "decline").format(customer=customer_id, tier=labels.tier(customer.signed_tier))
            )
        if customer.status == "declined":
            raise RuleViolation(_("customer {customer} has already declined: {reason}")
                                .format(customer=customer_id, reason=customer.status_reason))
        previous = customer.status
        customer.status = "declined"
        customer.status_reason = reason
        audit(session, actor.staff_id, "decline", customer_id, reason=reason, previous=previous)
    return {"customer_id": customer_id, "status": "declined", "previous_status": previous,
            "reason": reason}

