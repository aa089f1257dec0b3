"""Logging contacts with their communication reports, and the branch head's review (SPEC §6).

Decisions (docs/rules.md "vip log-contact"): every contact gets a report (its record for the
review); a later contact by the same staff member settles that customer's earlier
follow-ups that are due by then; purpose "diagnosis" records a wealth diagnosis (§8).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, select, update

from vipcli import clock
from vipcli.db import models
from vipcli.domain.vocabulary import CONTACT_CHANNELS, ENUM_LABELS
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.services.core.access import FRONT_ROLES, get_visible_customer, require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Context

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session
from vipcli.services.sales import opportunities

DIAGNOSIS_PURPOSES = ("diagnosis", "財富診斷", "财富诊断", "wealth diagnosis")


class LoggedContact(TypedDict):
    """§15 `vip log-contact --json`: the contact, its report, follow-ups settled, opportunity."""

    contact_id: int
    customer_id: str
    staff_id: str
    at: str
    channel: str
    report_id: int
    followups_done: int
    opportunity_id: int | None


class ReviewedReport(TypedDict):
    """A communication report's review (§6): who reviewed it, when, and the comment."""

    report_id: int
    reviewed_by: str
    reviewed_at: str
    comment: str | None


class ContactReport(TypedDict):
    """A communication report with its contact (§6), one row of the reports list."""

    report_id: int
    contact_id: int
    customer_id: str
    name: str
    staff_id: str
    at: str | None
    channel: str
    purpose: str | None
    summary: str | None
    key_points: str | None
    needs: str | None
    next_plan: str | None
    next_date: str | None
    follow_up_done_at: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    review_comment: str | None


@dataclass
class ContactInput:
    customer_id: str
    channel: str
    at: dt.datetime | None = None
    purpose: str | None = None
    summary: str | None = None
    key_points: str | None = None
    needs: str | None = None
    next_plan: str | None = None
    next_date: dt.date | None = None
    opportunity_id: int | None = None
    stage: str | None = None
    open_product: str | None = None


def normalise_channel(text: str) -> str:
    """English codes or the Chinese labels (電話, 面見, 短信, 郵件, 微信)."""
    value = text.strip()
    code = value.lower() if value.lower() in CONTACT_CHANNELS else ENUM_LABELS["channel"].get(value)
    if code is None:
        raise InvalidInput(f"unknown channel {text!r}: expected one of {', '.join(CONTACT_CHANNELS)}"
                           " (or 電話, 面見, 短信, 郵件, 微信)")
    return code


def validate(entry: ContactInput, now: dt.datetime) -> dt.datetime:
    """Refuse what must never be stored; return the contact time."""
    at = entry.at or now
    if at > now:
        raise InvalidInput(f"--at {at.isoformat()} is in the future; contacts are logged after they happen")
    if entry.next_plan and entry.next_date is None:
        raise InvalidInput("--next needs --next-date (the date of the next step)")
    if entry.next_date is not None and not entry.next_plan:
        raise InvalidInput("--next-date needs --next (what the next step is)")
    if entry.next_date is not None and entry.next_date < at.date():
        raise InvalidInput(f"--next-date {entry.next_date} is before the contact ({at.date()})")
    if (entry.opportunity_id is None) != (entry.stage is None):
        raise InvalidInput("--opportunity and --stage go together")
    return at


def log_contact(ctx: Context, entry: ContactInput) -> LoggedContact:
    """Store the contact, its report, settled follow-ups and any opportunity step, at once."""
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, "log contacts")
    channel = normalise_channel(entry.channel)
    at = validate(entry, clock.now())
    with ctx.session() as s:
        customer = get_visible_customer(s, actor, entry.customer_id)
        contact = models.Contact(customer_id=customer.customer_id, staff_id=actor.staff_id,
                            contacted_at=at, channel=channel, purpose=entry.purpose,
                            summary=entry.summary)
        s.add(contact)
        s.flush()
        settled = _settle_followups(s, customer.customer_id, actor.staff_id, at)
        report = models.CommunicationReport(contact_id=contact.id, key_points=entry.key_points,
                                       needs=entry.needs, next_plan=entry.next_plan,
                                       next_date=entry.next_date)
        s.add(report)
        if (entry.purpose or "").strip().lower() in DIAGNOSIS_PURPOSES:
            # §8: the portfolio idea looks at the last wealth diagnosis.
            if customer.last_diagnosis_on is None or customer.last_diagnosis_on < at.date():
                customer.last_diagnosis_on = at.date()
        opportunity_id = _opportunity_step(s, actor, customer.customer_id, entry)
        s.flush()
        audit(s, actor.staff_id, "log_contact", customer.customer_id, contact_id=contact.id,
              channel=channel, opportunity_id=opportunity_id)
    return {"contact_id": contact.id, "customer_id": customer.customer_id,
            "staff_id": actor.staff_id, "at": at.isoformat(), "channel": channel,
            "report_id": report.id, "followups_done": settled, "opportunity_id": opportunity_id}


def _settle_followups(s, customer_id: str, staff_id: str, at: dt.datetime) -> int:
    """A later contact by the same staff member settles the follow-ups due by then."""
    earlier = select(models.Contact.id).where(models.Contact.customer_id == customer_id,
                                         models.Contact.staff_id == staff_id,
                                         models.Contact.contacted_at < at)
    result = s.execute(
        update(models.CommunicationReport)
        .where(models.CommunicationReport.contact_id.in_(earlier),
               models.CommunicationReport.next_date <= at.date(),
               models.CommunicationReport.follow_up_done_at.is_(None))
        .values(follow_up_done_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _opportunity_step(s, actor, customer_id: str, entry: ContactInput) -> int | None:
    """§6: open or advance an opportunity in the same transaction as the contact."""
    if entry.opportunity_id is None and not entry.open_product:
        return None
    if entry.opportunity_id is not None:
        assert entry.stage is not None  # validate(): --opportunity and --stage go together
        opp = s.get(models.Opportunity, entry.opportunity_id)
        if opp is None:
            raise NotFound(f"unknown opportunity {entry.opportunity_id}")
        if opp.customer_id != customer_id:
            raise InvalidInput(f"opportunity {opp.id} belongs to customer {opp.customer_id}, "
                               f"not {customer_id}")
        moved = opportunities.move_opportunity(
            s, actor, opp.id, entry.stage, note=entry.summary,
            next_action=entry.next_plan, next_date=entry.next_date)
        return moved.id
    opened = opportunities.open_opportunity(
        s, actor, customer_id, product_code=entry.open_product,
        next_action=entry.next_plan, next_date=entry.next_date, stage="contacted")
    return opened.id


def unreviewed_count(db: Session | Connection, branch_id: str) -> int:
    r, k, cu = models.CommunicationReport, models.Contact, models.Customer
    stmt = (select(func.count()).select_from(r).join(k, k.id == r.contact_id)
            .join(cu, cu.customer_id == k.customer_id)
            .where(cu.branch_id == branch_id, r.reviewed_at.is_(None)))
    return db.execute(stmt).scalar_one()


def _reviewable(s, actor, report_id: int) -> tuple[models.CommunicationReport, str]:
    report = s.get(models.CommunicationReport, report_id)
    if report is None:
        raise NotFound(f"unknown report {report_id}")
    contact = s.get(models.Contact, report.contact_id)
    customer = s.get(models.Customer, contact.customer_id)
    if actor.role != "branch_head" or customer.branch_id != actor.branch_id:
        raise PermissionDenied(f"{actor.describe()} may not review report {report_id}: "
                               f"only the branch head of outlet {customer.branch_id} may")
    return report, customer.customer_id


def review_report(ctx: Context, report_id: int, comment: str) -> ReviewedReport:
    """§6: the branch head reviews a report once; reviewer, date and comment are kept."""
    actor = ctx.actor()
    if not comment or not comment.strip():
        raise InvalidInput("--comment must say something (effectiveness, progress, frequency)")
    with ctx.session() as s:
        report, customer_id = _reviewable(s, actor, report_id)
        if report.reviewed_at is not None:
            raise RuleViolation(f"report {report_id} was already reviewed by {report.reviewed_by} "
                                f"on {report.reviewed_at:%Y-%m-%d}")
        report.reviewed_by, report.reviewed_at = actor.staff_id, clock.now()
        report.review_comment = comment.strip()
        audit(s, actor.staff_id, "review_report", customer_id, report_id=report_id)
    return {"report_id": report_id, "reviewed_by": actor.staff_id,
            "reviewed_at": report.reviewed_at.isoformat(), "comment": report.review_comment}


def list_reports(ctx: Context, *, unreviewed: bool = False,
                 staff_id: str | None = None) -> list[ContactReport]:
    """The branch head sees the outlet's reports (or one staff member's); others their own."""
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, "list communication reports")
    r, k, cu = models.CommunicationReport, models.Contact, models.Customer
    stmt = (select(r, k, cu.name).join(k, k.id == r.contact_id)
            .join(cu, cu.customer_id == k.customer_id).order_by(k.contacted_at.desc(), r.id.desc()))
    if actor.role == "branch_head":
        stmt = stmt.where(cu.branch_id == actor.branch_id)
        if staff_id:
            stmt = stmt.where(k.staff_id == staff_id)
    elif staff_id not in (None, actor.staff_id):
        raise PermissionDenied(f"{actor.describe()} may list only its own reports")
    else:
        stmt = stmt.where(k.staff_id == actor.staff_id)
    if unreviewed:
        stmt = stmt.where(r.reviewed_at.is_(None))
    with ctx.session(write=False) as s:
        return [_report_json(report, contact, name) for report, contact, name in s.execute(stmt)]


def _report_json(report: models.CommunicationReport, contact: models.Contact,
                 name: str) -> ContactReport:
    def iso(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "report_id": report.id, "contact_id": contact.id, "customer_id": contact.customer_id,
        "name": name, "staff_id": contact.staff_id, "at": iso(contact.contacted_at),
        "channel": contact.channel, "purpose": contact.purpose, "summary": contact.summary,
        "key_points": report.key_points, "needs": report.needs, "next_plan": report.next_plan,
        "next_date": iso(report.next_date), "follow_up_done_at": iso(report.follow_up_done_at),
        "reviewed_by": report.reviewed_by, "reviewed_at": iso(report.reviewed_at),
        "review_comment": report.review_comment,
    }
