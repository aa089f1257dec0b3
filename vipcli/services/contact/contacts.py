"""Logging contacts with their communication reports, and the branch head's review (SPEC §6).

Decisions (docs/rules.md "vip log-contact"): every contact gets a report (its record for the
review); a later contact by the same staff member settles that customer's earlier
follow-ups that are due by then; purpose "diagnosis" records a wealth diagnosis (§8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from vipcli import clock
from vipcli.db import models
from vipcli.domain import rows
from vipcli.domain.vocabulary import CONTACT_CHANNELS
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import _
from vipcli.services.core.access import FRONT_ROLES, get_visible_customer, require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Context

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
from vipcli.services.sales import opportunities

# What a purpose may say for a wealth diagnosis (§8), typed in either script (§16).
DIAGNOSIS_PURPOSES = ("diagnosis", "財富診斷", "财富诊断", "wealth diagnosis")  # either script


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
    satisfaction: int | None  # §18: the customer's own rating, 1–5
    complaints_acknowledged: list[int]  # §18: the owner's contact answers its open complaints


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
    staff_name: str | None
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
    reviewer_name: str | None
    reviewed_at: str | None
    review_comment: str | None


class ReportDetail(ContactReport):
    """`vip report show ID`: the whole report, with the customer's tiers (§6)."""

    signed_tier: str | None
    qualified_tier: str | None
    branch_id: str


@dataclass
class ReportList:
    """The reports shown (newest first, at most `--limit`) and how many there are in all."""

    rows: list[ContactReport]
    total: int


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
    satisfaction: int | None = None  # §18: 1–5, the customer's own rating


def code_of(text: str, codes: Sequence[str], labels: str, unknown: str) -> str:
    """An option's code, given as the code (any case) or its Chinese label in either script
    (rows.enum_of over vocabulary.ENUM_LABELS[labels]); else InvalidInput with `unknown`
    ({value}, {codes})."""
    try:
        code = rows.enum_of(codes, labels)(text.strip())
    except ValueError:
        code = None
    if code is None:
        raise InvalidInput(unknown.format(value=text, codes=", ".join(codes)))
    return code


def normalise_channel(text: str) -> str:
    """English codes or the Chinese labels in either script (电话/電話, 面见/面見 …)."""
    return code_of(text, CONTACT_CHANNELS, "channel", _(
        "Unknown channel {value!r}: expected one of {codes} (or 电话, 面见, 短信, 邮件, 微信)"))


def validate(entry: ContactInput, now: dt.datetime) -> dt.datetime:
    """Refuse what must never be stored; return the contact time."""
    at = entry.at or now
    if at > now:
        raise InvalidInput(_("--at {at} is in the future; contacts are logged after they happen")
                           .format(at=at.isoformat()))
    if entry.next_plan and entry.next_date is None:
        raise InvalidInput(_("--next needs --next-date (the date of the next step)"))
    if entry.next_date is not None and not entry.next_plan:
        raise InvalidInput(_("--next-date needs --next (what the next step is)"))
    if entry.next_date is not None and entry.next_date < at.date():
        raise InvalidInput(_("--next-date {next_date} is before the contact ({day})")
                           .format(next_date=entry.next_date, day=at.date()))
    if (entry.opportunity_id is None) != (entry.stage is None):
        raise InvalidInput(_("--opportunity and --stage go together"))
    if entry.satisfaction is not None and not 1 <= entry.satisfaction <= 5:
        raise InvalidInput(_("--satisfaction must be a whole number from 1 to 5, got {value!r}")
                           .format(value=entry.satisfaction))
    return at


def log_contact(ctx: Context, entry: ContactInput) -> LoggedContact:
    """Store the contact, its report, settled follow-ups and any opportunity step, at once."""
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, _("log contacts"))
    channel = normalise_channel(entry.channel)
    at = validate(entry, clock.now())
    with ctx.session() as s:
        customer = get_visible_customer(s, actor, entry.customer_id)
        contact = models.Contact(customer_id=customer.customer_id, staff_id=actor.staff_id,
                            contacted_at=at, channel=channel, purpose=entry.purpose,
                            summary=entry.summary, satisfaction=entry.satisfaction)
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
        opportunity_id = _opportunity_step(s, actor, customer.customer_id, entry,
                                           ctx.rules.relationship.disclosure_from_rating)
        acknowledged = acknowledge_by_contact(s, actor.staff_id, customer.customer_id, at)
        s.flush()
        audit(s, actor.staff_id, "log_contact", customer.customer_id, contact_id=contact.id,
              channel=channel, opportunity_id=opportunity_id, satisfaction=entry.satisfaction,
              complaints_acknowledged=acknowledged or None)
    return {"contact_id": contact.id, "customer_id": customer.customer_id,
            "staff_id": actor.staff_id, "at": at.isoformat(), "channel": channel,
            "report_id": report.id, "followups_done": settled, "opportunity_id": opportunity_id,
            "satisfaction": entry.satisfaction, "complaints_acknowledged": acknowledged}


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


def _opportunity_step(s, actor, customer_id: str, entry: ContactInput,
                      disclose_from: int) -> int | None:
    """§6: open or advance an opportunity in the same transaction as the contact."""
    if entry.opportunity_id is None and not entry.open_product:
        return None
    if entry.opportunity_id is not None:
        assert entry.stage is not None  # validate(): --opportunity and --stage go together
        opp = s.get(models.Opportunity, entry.opportunity_id)
        if opp is None:
            raise NotFound(_("Unknown opportunity {id}").format(id=entry.opportunity_id))
        if opp.customer_id != customer_id:
            raise InvalidInput(_("Opportunity {id} belongs to customer {owner}, not {customer}")
                               .format(id=opp.id, owner=opp.customer_id, customer=customer_id))
        moved = opportunities.move_opportunity(
            s, actor, opp.id, entry.stage, note=entry.summary,
            next_action=entry.next_plan, next_date=entry.next_date, disclose_from=disclose_from)
        return moved.id
    opened = opportunities.open_opportunity(
        s, actor, customer_id, product_code=entry.open_product,
        next_action=entry.next_plan, next_date=entry.next_date, stage="contacted")
    return opened.id


def _reviewable(s, actor, report_id: int) -> tuple[models.CommunicationReport, str]:
    report = s.get(models.CommunicationReport, report_id)
    if report is None:
        raise NotFound(_("Unknown report {id}").format(id=report_id))
    contact = s.get(models.Contact, report.contact_id)
    customer = s.get(models.Customer, contact.customer_id)
    if actor.role != "branch_head" or customer.branch_id != actor.branch_id:
        raise PermissionDenied(
            _("{who} may not review report {id}: only the branch head of outlet {outlet} may")
            .format(who=actor.describe(), id=report_id, outlet=customer.branch_id))
    return report, customer.customer_id


def review_report(ctx: Context, report_id: int, comment: str) -> ReviewedReport:
    """§6: the branch head reviews a report once; reviewer, date and comment are kept."""
    actor = ctx.actor()
    if not comment or not comment.strip():
        raise InvalidInput(_("--comment must say something (effectiveness, progress, frequency)"))
    with ctx.session() as s:
        report, customer_id = _reviewable(s, actor, report_id)
        if report.reviewed_at is not None:
            raise RuleViolation(_("Report {id} was already reviewed by {who} on {day}").format(
                id=report_id, who=report.reviewed_by, day=f"{report.reviewed_at:%Y-%m-%d}"))
        report.reviewed_by, report.reviewed_at = actor.staff_id, clock.now()
        report.review_comment = comment.strip()
        audit(s, actor.staff_id, "review_report", customer_id, report_id=report_id)
    return {"report_id": report_id, "reviewed_by": actor.staff_id,
            "reviewed_at": report.reviewed_at.isoformat(), "comment": report.review_comment}


def _reports_query():
    """Reports with their contact, customer, author's and reviewer's names, newest first."""
    r, k, cu = models.CommunicationReport, models.Contact, models.Customer
    author, reviewer = aliased(models.Staff), aliased(models.Staff)
    return (select(r, k, cu.name, author.name, reviewer.name, cu.signed_tier, cu.qualified_tier,
                   cu.branch_id)
            .join(k, k.id == r.contact_id).join(cu, cu.customer_id == k.customer_id)
            .outerjoin(author, author.staff_id == k.staff_id)
            .outerjoin(reviewer, reviewer.staff_id == r.reviewed_by))


def _visible(stmt, actor, staff_id: str | None):
    """§6/§13: the branch head sees the outlet's reports (or one staff member's); others
    only the reports they wrote themselves."""
    k, cu = models.Contact, models.Customer
    if actor.role == "branch_head":
        stmt = stmt.where(cu.branch_id == actor.branch_id)
        return stmt.where(k.staff_id == staff_id) if staff_id else stmt
    if staff_id not in (None, actor.staff_id):
        raise PermissionDenied(_("{who} may list only its own reports").format(who=actor.describe()))
    return stmt.where(k.staff_id == actor.staff_id)


def list_reports(ctx: Context, *, unreviewed: bool = False, staff_id: str | None = None,
                 limit: int | None = None) -> ReportList:
    """The branch head sees the outlet's reports (or one staff member's); others their own.
    Newest first; `limit` keeps the newest ones, `total` counts them all."""
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, _("list communication reports"))
    r, k = models.CommunicationReport, models.Contact
    stmt = _visible(_reports_query(), actor, staff_id)
    if unreviewed:
        stmt = stmt.where(r.reviewed_at.is_(None))
    with ctx.session(write=False) as s:
        total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
        stmt = stmt.order_by(k.contacted_at.desc(), r.id.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        rows = [_report_json(*row[:5]) for row in s.execute(stmt)]
    return ReportList(rows, total)


def get_report(ctx: Context, report_id: int) -> ReportDetail:
    """`vip report show ID`: one whole report, under the same access rules as the list."""
    actor = ctx.actor()
    require_role(actor, FRONT_ROLES, _("read communication reports"))
    r = models.CommunicationReport
    with ctx.session(write=False) as s:
        found = s.execute(_reports_query().where(r.id == report_id)).first()
        if found is None:
            raise NotFound(_("Unknown report {id}").format(id=report_id))
        if s.execute(_visible(_reports_query(), actor, None).where(r.id == report_id)).first() is None:
            raise PermissionDenied(
                _("{who} may not read report {id}: only its author and the branch head of "
                  "outlet {outlet} may").format(who=actor.describe(), id=report_id, outlet=found[7]))
        report, contact, name, author, reviewer, signed, qualified, branch = found
        row = _report_json(report, contact, name, author, reviewer)
    return {**row, "signed_tier": signed, "qualified_tier": qualified, "branch_id": branch}


def _report_json(report: models.CommunicationReport, contact: models.Contact, name: str,
                 staff_name: str | None, reviewer_name: str | None) -> ContactReport:
    def iso(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "report_id": report.id, "contact_id": contact.id, "customer_id": contact.customer_id,
        "name": name, "staff_id": contact.staff_id, "staff_name": staff_name,
        "at": iso(contact.contacted_at), "channel": contact.channel, "purpose": contact.purpose,
        "summary": contact.summary, "key_points": report.key_points, "needs": report.needs,
        "next_plan": report.next_plan, "next_date": iso(report.next_date),
        "follow_up_done_at": iso(report.follow_up_done_at), "reviewed_by": report.reviewed_by,
        "reviewer_name": reviewer_name, "reviewed_at": iso(report.reviewed_at),
        "review_comment": report.review_comment,
    }


def acknowledge_by_contact(session: Session, staff_id: str, customer_id: str,
                           at: dt.datetime) -> list[int]:
    """§18: a contact the owner logs with the customer after a complaint was opened
    acknowledges it; in the caller's transaction. The ids acknowledged."""
    c = models.Complaint
    pending = (c.customer_id == customer_id, c.owner_id == staff_id, c.status == "open",
               c.acknowledged_at.is_(None), c.opened_at <= at)
    ids = list(session.execute(select(c.id).where(*pending).order_by(c.id)).scalars())
    if ids:
        session.execute(update(c).where(c.id.in_(ids)).values(acknowledged_at=at)
                        .execution_options(synchronize_session=False))
    return ids
