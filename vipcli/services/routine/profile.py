"""`vip show`: the one-page profile (一纸通, SPEC §11) as one `Profile` document.

Identity is masked unless --reveal, which only the own manager or the branch head may
use and which is audited (§13). Due reasons and ideas come from the morning-list and
recommendation services when those are installed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import (
    Anniversary,
    CardStatement,
    CommunicationReport,
    Contact,
    Customer,
    Holding,
    Loan,
    MonthlyAsset,
    Opportunity,
    Product,
    Referral,
    RiskAssessment,
    Staff,
)
from vipcli.domain import labels
from vipcli.domain.due_rules import holding_value_fen
from vipcli.domain.masking import mask_card
from vipcli.domain.money import money_str
from vipcli.domain.tiers import shift_month, window
from vipcli.domain.vocabulary import CLOSED_OPPORTUNITY_STAGES
from vipcli.i18n import _
from vipcli.services.contact.due import due_reasons_for
from vipcli.services.core import sealing, standing
from vipcli.services.core.access import get_visible_customer, require_reveal
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Context
from vipcli.services.core.prices import latest_navs
from vipcli.services.sales.recommend import recommend_for

if TYPE_CHECKING:
    from vipcli.services.contact.due import DueReason
    from vipcli.services.routine.lobby import StaffRef
    from vipcli.services.sales.recommend import RankedIdea

LAST_CONTACTS = 5


class Identity(TypedDict):
    """Who the customer is; phone and ID number masked unless revealed (§13)."""

    customer_id: str
    name: str
    gender: str | None
    birth_date: dt.date | None
    birthday_calendar: str
    phone: str | None
    id_number: str | None
    revealed: bool
    occupation: str
    orientation: str | None
    maintenance: str | None
    preferred_channel: str | None
    branch_id: str
    status: str
    source: str | None


class TierNow(TypedDict):
    """The card held (signed), the tier the assets qualify for, and since when."""

    signed: str | None
    qualified: str | None
    since: dt.date | None


class MonthAverage(TypedDict):
    """One month's average daily assets in yuan (a month without a record is zero, §1)."""

    month: str
    avg_daily: str | None


class TierStanding(TypedDict):
    """Tier, ADB12 as of the latest screening, months below the card, the last 12 months."""

    tier: TierNow
    adb12: str | None
    screened_month: str | None
    months_below_signed: int
    months: list[MonthAverage]


class RiskStatus(TypedDict):
    """The latest standing risk assessment, valid or expired (§3)."""

    level: int
    label: str | None
    assessed_on: dt.date
    valid_until: dt.date
    valid: bool


class HeldProduct(TypedDict):
    """One holding, amount in yuan."""

    product_code: str
    name: str
    amount: str | None
    start_date: dt.date
    maturity_date: dt.date | None
    days_to_maturity: int | None
    # §17 fund value: units × the latest nav (on or before today) against the cost (amount);
    # None where the extract gives no units or the product no nav.
    units: str | None
    nav: str | None
    nav_date: dt.date | None
    value: str | None  # yuan
    value_vs_cost: str | None  # the ratio, 4 decimals ("0.2340" = +23.4%)


class LoanBrief(TypedDict):
    """A loan of the customer (§17), money in yuan."""

    loan_id: str
    product: str | None
    principal: str | None
    balance: str | None
    due_date: dt.date | None
    overdue_days: int
    overdue_amount: str | None


class CardBrief(TypedDict):
    """A card's latest statement (§17), the card number masked 6+4 (§13), money in yuan."""

    card_no: str
    statement_date: dt.date
    due_date: dt.date
    amount_due: str | None
    min_due: str | None
    paid: str | None


class ReportBrief(TypedDict):
    """The communication report of a contact (§6), as the profile shows it."""

    key_points: str | None
    needs: str | None
    next_plan: str | None
    next_date: dt.date | None
    reviewed: bool


class RecentContact(TypedDict):
    """One of the last contacts, newest first, with its report."""

    contact_id: int
    at: dt.datetime
    staff_id: str
    staff_name: str | None
    channel: str
    purpose: str | None
    summary: str | None
    report: ReportBrief | None


class OpenOpportunity(TypedDict):
    """An open opportunity of the customer (§7), expected amount in yuan."""

    id: int
    product_code: str | None
    product_name: str | None
    stage: str
    owner_id: str
    expected_amount: str | None
    next_action: str | None
    next_date: dt.date | None


class SpecialPeriod(TypedDict):
    """§18: a special period the manager recorded (shown while it lasts)."""

    text: str
    until: dt.date


class AnniversaryDay(TypedDict):
    label: str
    date: dt.date


class CustomerFile(TypedDict):
    """§18: what the manager keeps on file (`vip customer edit`), and a loss."""

    interests: str | None
    special_period: SpecialPeriod | None
    notes: str | None
    anniversaries: list[AnniversaryDay]
    lost_on: dt.date | None
    lost_reason: str | None


class Profile(Identity, TierStanding, CustomerFile):
    """§15 `vip show --json`: the one-page profile of a customer as one object."""

    manager: StaffRef | None
    advisor: StaffRef | None
    risk: RiskStatus | None
    holdings: list[HeldProduct]
    loans: list[LoanBrief]
    cards: list[CardBrief]
    contacts: list[RecentContact]
    opportunities: list[OpenOpportunity]
    referrals: int
    due: list[DueReason]
    ideas: list[RankedIdea]
    privileges: list[str]  # §18: the card tier's privileges (rules file), signed customers


def show(ctx: Context, customer_id: str, *, reveal: bool = False) -> Profile:
    actor = ctx.actor()
    today = clock.today()
    with ctx.session(write=reveal) as session:
        customer = get_visible_customer(session, actor, customer_id)
        key = None
        if reveal:
            require_reveal(actor, customer)
            audit(session, actor.staff_id, "reveal", customer_id, command="show")
            key = sealing.sealer_for_reveal(session, ctx.loaded_rules)
        doc: Profile = {
            **_identity(customer, reveal, key),
            **_tier(session, customer, today),
            **_file(session, customer, today),
            "manager": _staff(session, customer.manager_id),
            "advisor": _staff(session, customer.advisor_id),
            "risk": _risk(session, customer_id, today),
            "holdings": _holdings(session, customer_id, today),
            "loans": _loans(session, customer_id),
            "cards": _cards(session, customer_id),
            "contacts": _contacts(session, customer_id),
            "opportunities": _opportunities(session, customer_id),
            "referrals": _referral_count(session, customer_id),
            "due": _due_reasons(session, customer_id, today, ctx),
            "ideas": _ideas(session, customer, today, ctx),
            "privileges": ctx.rules.privileges.of(
                customer.signed_tier if customer.status == "signed" else None),
        }
    return doc


def _identity(c: Customer, reveal: bool, key: sealing.Sealer | None) -> Identity:
    return {
        "customer_id": c.customer_id,
        "name": c.name,
        "gender": c.gender,
        "birth_date": c.birth_date,
        "birthday_calendar": c.birthday_calendar,
        # §13: the masks need no key; a reveal opens the sealed values (the masks without it)
        "phone": sealing.reveal(key, c.customer_id, "phone", c.phone_sealed, c.phone_masked),
        "id_number": sealing.reveal(key, c.customer_id, "id_number", c.id_number_sealed,
                                    c.id_number_masked),
        "revealed": key is not None,
        "occupation": c.occupation,
        "orientation": c.orientation,
        # §4: the orientation sets the maintenance content (§16: in the active language)
        "maintenance": labels.maintenance(c.orientation) if c.orientation else None,
        "preferred_channel": c.preferred_channel,
        "branch_id": c.branch_id,
        "status": c.status,
        "source": c.source,
    }


def _file(session: Session, c: Customer, today: dt.date) -> CustomerFile:
    """§18: the special period only while it lasts (to the end of its last day)."""
    special: SpecialPeriod | None = None
    if c.special_period and c.special_until and c.special_until >= today:
        special = {"text": c.special_period, "until": c.special_until}
    rows = session.execute(select(Anniversary.label, Anniversary.date)
                           .where(Anniversary.customer_id == c.customer_id)
                           .order_by(Anniversary.id)).all()
    lost = c.status == "lost"
    return {
        "interests": c.interests,
        "special_period": special,
        "notes": c.notes,
        "anniversaries": [{"label": label, "date": day} for label, day in rows],
        "lost_on": c.lost_on if lost else None,
        "lost_reason": c.status_reason if lost else None,
    }


def last_complete_month(today: dt.date) -> str:
    return shift_month(today.strftime("%Y-%m"), -1)


def _tier(session: Session, c: Customer, today: dt.date) -> TierStanding:
    latest = standing.current_standing(session, c.customer_id, c.branch_id)
    last = latest.month or last_complete_month(today)
    months = window(last)
    rows = dict(
        session.execute(
            select(MonthlyAsset.month, MonthlyAsset.avg_daily_fen).where(
                MonthlyAsset.customer_id == c.customer_id, MonthlyAsset.month.in_(months)
            )
        ).all()
    )
    return {
        "tier": {"signed": c.signed_tier, "qualified": c.qualified_tier, "since": c.tier_since},
        "adb12": money_str(latest.adb12_fen),
        "screened_month": latest.month,
        "months_below_signed": standing.months_below(session, c.customer_id),
        # §11: the last 12 months; a month without a record counts as zero (§1)
        "months": [{"month": m, "avg_daily": money_str(rows.get(m, 0))} for m in months],
    }


def _staff(session: Session, staff_id: str | None) -> StaffRef | None:
    if staff_id is None:
        return None
    row = session.execute(
        select(Staff.staff_id, Staff.name, Staff.role).where(Staff.staff_id == staff_id)
    ).first()
    return None if row is None else {"staff_id": row.staff_id, "name": row.name, "role": row.role}


def _risk(session: Session, customer_id: str, today: dt.date) -> RiskStatus | None:
    """The latest assessment still standing (not invalidated), valid or expired."""
    ra = session.scalars(
        select(RiskAssessment)
        .where(RiskAssessment.customer_id == customer_id, RiskAssessment.invalidated_at.is_(None))
        .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())
        .limit(1)
    ).first()
    if ra is None:
        return None
    return {
        "level": ra.level,
        "label": _(labels.RISK_LEVEL[ra.level]) if ra.level in labels.RISK_LEVEL else None,
        "assessed_on": ra.assessed_on,
        "valid_until": ra.valid_until,
        "valid": ra.valid_until >= today,
    }


def _holdings(session: Session, customer_id: str, today: dt.date) -> list[HeldProduct]:
    rows = session.execute(
        select(Holding, Product.name)
        .join(Product, Product.product_code == Holding.product_code)
        .where(Holding.customer_id == customer_id)
        .order_by(Holding.maturity_date.is_(None), Holding.maturity_date, Holding.product_code)
    ).all()
    navs = latest_navs(session, sorted({h.product_code for h, _name in rows}), today)
    held: list[HeldProduct] = []
    for h, name in rows:
        day, nav = navs.get(h.product_code, (None, None))
        value = holding_value_fen(h.units, nav) if h.units is not None and nav is not None else None
        ratio = (None if value is None or not h.amount_fen else
                 str((Decimal(value - h.amount_fen) / Decimal(h.amount_fen)).quantize(FOUR)))
        held.append({
            "product_code": h.product_code,
            "name": name,
            "amount": money_str(h.amount_fen),
            "start_date": h.start_date,
            "maturity_date": h.maturity_date,
            "days_to_maturity": None if h.maturity_date is None else (h.maturity_date - today).days,
            "units": None if h.units is None else str(h.units),
            "nav": None if nav is None else str(nav),
            "nav_date": day,
            "value": None if value is None else money_str(value),
            "value_vs_cost": ratio,
        })
    return held


FOUR = Decimal("0.0001")


def _loans(session: Session, customer_id: str) -> list[LoanBrief]:
    rows = session.scalars(select(Loan).where(Loan.customer_id == customer_id)
                           .order_by(Loan.overdue_days.desc(), Loan.due_date, Loan.loan_id))
    return [{"loan_id": n.loan_id, "product": n.product, "principal": money_str(n.principal_fen),
             "balance": money_str(n.balance_fen), "due_date": n.due_date,
             "overdue_days": n.overdue_days, "overdue_amount": money_str(n.overdue_amount_fen)}
            for n in rows]


def _cards(session: Session, customer_id: str) -> list[CardBrief]:
    """Each card's latest statement; the number masked 6+4 (§13)."""
    latest = (select(CardStatement.card_no, func.max(CardStatement.statement_date).label("day"))
              .where(CardStatement.customer_id == customer_id)
              .group_by(CardStatement.card_no).subquery())
    rows = session.scalars(select(CardStatement).join(
        latest, (latest.c.card_no == CardStatement.card_no)
        & (latest.c.day == CardStatement.statement_date)).order_by(CardStatement.card_no))
    return [{"card_no": mask_card(c.card_no) or "", "statement_date": c.statement_date,
             "due_date": c.due_date, "amount_due": money_str(c.amount_due_fen),
             "min_due": money_str(c.min_due_fen), "paid": money_str(c.paid_fen)} for c in rows]


def _contacts(session: Session, customer_id: str) -> list[RecentContact]:
    rows = session.execute(
        select(Contact, CommunicationReport, Staff.name)
        .outerjoin(CommunicationReport, CommunicationReport.contact_id == Contact.id)
        .outerjoin(Staff, Staff.staff_id == Contact.staff_id)
        .where(Contact.customer_id == customer_id)
        .order_by(Contact.contacted_at.desc(), Contact.id.desc())
        .limit(LAST_CONTACTS)
    ).all()
    return [
        {
            "contact_id": c.id,
            "at": c.contacted_at,
            "staff_id": c.staff_id,
            "staff_name": staff_name,
            "channel": c.channel,
            "purpose": c.purpose,
            "summary": c.summary,
            "report": None
            if r is None
            else {
                "key_points": r.key_points,
                "needs": r.needs,
                "next_plan": r.next_plan,
                "next_date": r.next_date,
                "reviewed": r.reviewed_at is not None,
            },
        }
        for c, r, staff_name in rows
    ]


def _opportunities(session: Session, customer_id: str) -> list[OpenOpportunity]:
    opps = session.execute(
        select(Opportunity, Product.name)
        .outerjoin(Product, Product.product_code == Opportunity.product_code)
        .where(Opportunity.customer_id == customer_id,
               Opportunity.stage.not_in(CLOSED_OPPORTUNITY_STAGES))
        .order_by(Opportunity.next_date.is_(None), Opportunity.next_date, Opportunity.id)
    ).all()
    return [
        {
            "id": o.id,
            "product_code": o.product_code,
            "product_name": product_name,
            "stage": o.stage,
            "owner_id": o.owner_id,
            "expected_amount": money_str(o.expected_amount_fen),
            "next_action": o.next_action,
            "next_date": o.next_date,
        }
        for o, product_name in opps
    ]


def _referral_count(session: Session, customer_id: str) -> int:
    from sqlalchemy import func

    return session.execute(
        select(func.count()).select_from(Referral).where(Referral.referrer_id == customer_id)
    ).scalar_one()


def _due_reasons(session: Session, customer_id: str, today: dt.date,
                 ctx: Context) -> list[DueReason]:
    """Upcoming due reasons, as `vip due` lists them (§5)."""
    return list(due_reasons_for(session, [customer_id], today, ctx.rules).get(customer_id, []))


def _ideas(session: Session, customer: Customer, today: dt.date,
           ctx: Context) -> list[RankedIdea]:
    """Ranked ideas, as `vip recommend` shows them (§8)."""
    return list(recommend_for(session, customer, today, ctx.rules).get("ideas", []))
