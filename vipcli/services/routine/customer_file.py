"""`vip customer edit|lost|reactivate`: the customer file and loss (客户档案、流失, SPEC §18).

Who may (§18): the customer's own manager, or the branch head of its outlet. Anyone else
who sees the customer (its advisor) is told who may; anyone who does not see it gets the
usual "not in your book" refusal, which names nobody.

Decisions where the spec is silent (docs/rules.md "The customer file and loss"):
- an empty text (`--notes ""`) clears the field; a value equal to the stored one is no change;
- an anniversary is a date that has happened (not in the future); one per label, a new
  date for a label replaces the old;
- `--until` alone moves the end of the special period on file; a past end is refused
  (today is allowed: the period lasts to the end of that day);
- a lost customer's file is not edited: reactivate it first;
- a declined customer is not marked lost (it never was a served customer; §3);
- reactivation restores the status before the loss (a customer lost without one on file,
  e.g. by an old import: `signed` with a card, else `prospect`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import select

from vipcli import clock
from vipcli.domain import labels
from vipcli.domain.vocabulary import ORIENTATIONS
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import N_, _
from vipcli.services.core.access import get_visible_customer
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from vipcli.db.models import Customer

LABEL_MAX = 100  # anniversaries.label


class Change(TypedDict):
    old: object
    new: object


class EditResult(TypedDict):
    """§15 `vip customer edit --json`."""

    customer_id: str
    changed: dict[str, Change]


class StatusResult(TypedDict):
    """§15 `vip customer lost|reactivate --json` (plus the day and reason of a loss)."""

    customer_id: str
    status: str
    previous_status: str
    lost_on: str | None
    reason: str | None


@dataclass
class FileEdit:
    """What `vip customer edit` was asked to change (None: leave as it is)."""

    orientation: str | None = None
    channel: str | None = None
    interests: str | None = None
    anniversaries: list[str] = field(default_factory=list)  # NAME=YYYY-MM-DD
    remove_anniversaries: list[str] = field(default_factory=list)
    special_period: str | None = None
    until: dt.date | None = None
    end_special_period: bool = False
    notes: str | None = None


# -- who may ---------------------------------------------------------------------------


# One whole sentence per refusal (§16: no sentence glued from translated fragments).
MAY_NOT = {
    "edit": N_("{actor} may not edit the file of customer {customer}: only its account "
               "manager ({manager}) or the branch head of {outlet} may"),
    "lost": N_("{actor} may not mark customer {customer} as lost: only its account manager "
               "({manager}) or the branch head of {outlet} may"),
    "reactivate": N_("{actor} may not reactivate customer {customer}: only its account manager "
                     "({manager}) or the branch head of {outlet} may"),
}


def keeper_customer(session: Session, actor: Actor, customer_id: str, doing: str) -> Customer:
    """The customer, if `actor` keeps its file: its manager or its outlet's branch head;
    `doing` is a key of MAY_NOT."""
    from vipcli.db.models import Staff

    customer = get_visible_customer(session, actor, customer_id)
    if actor.staff_id == customer.manager_id:
        return customer
    if actor.role == "branch_head" and actor.branch_id == customer.branch_id:
        return customer
    manager = session.get(Staff, customer.manager_id) if customer.manager_id else None
    who = labels.named(manager.name, manager.staff_id) if manager else _("no manager yet")
    raise PermissionDenied(_(MAY_NOT[doing]).format(
        actor=actor.describe(), customer=customer_id, manager=who, outlet=customer.branch_id))


def _not_lost(customer: Customer) -> None:
    if customer.status == "lost":
        raise RuleViolation(_(
            "customer {customer} is lost (since {day}); reactivate it first: "
            "vip customer reactivate {customer}").format(
                customer=customer.customer_id, day=customer.lost_on or "—"))


# -- parsing ---------------------------------------------------------------------------


def parse_orientation(text: str) -> str:
    """A code or its Chinese label in either script (关系取向/關係取向 …)."""
    from vipcli.services.contact.contacts import code_of

    return code_of(text, ORIENTATIONS, "orientation", _(
        "Unknown orientation {value!r}: expected one of {codes} (or 关系取向, 价值取向, 服务取向)"))


def parse_anniversary(text: str, today: dt.date) -> tuple[str, dt.date]:
    """NAME=YYYY-MM-DD, a date that has happened (1900 onwards)."""
    label, sep, day_text = text.rpartition("=")
    label = label.strip()
    if not sep or not label:
        raise InvalidInput(_("--anniversary {value!r}: expected NAME=YYYY-MM-DD "
                             "(like 结婚纪念日=2001-05-20)").format(value=text))
    if len(label) > LABEL_MAX:
        raise InvalidInput(_("--anniversary: the name may have at most {count} characters")
                           .format(count=LABEL_MAX))
    try:
        day = dt.date.fromisoformat(day_text.strip())
    except ValueError:
        raise InvalidInput(_("--anniversary {value!r}: {date!r} is not a date YYYY-MM-DD").format(
            value=text, date=day_text.strip())) from None
    if day > today or day.year < 1900:
        raise InvalidInput(_("--anniversary {value!r}: the date must be from 1900-01-01 to today "
                             "({today})").format(value=text, today=today))
    return label, day


def _text(value: str | None) -> str | None:
    """Free text as stored: stripped; empty clears the field."""
    if value is None:
        return None
    return value.strip() or None


# -- edit ------------------------------------------------------------------------------


def edit(ctx: Context, customer_id: str, wanted: FileEdit) -> EditResult:
    """Apply the changes asked for; each changed field is audited with old and new (§18)."""
    from vipcli.services.contact.contacts import normalise_channel

    actor = ctx.actor()
    today = clock.today()
    _check_special(wanted, today)
    orientation = parse_orientation(wanted.orientation) if wanted.orientation is not None else None
    channel = normalise_channel(wanted.channel) if wanted.channel is not None else None
    added = dict(parse_anniversary(a, today) for a in wanted.anniversaries)
    with ctx.session() as session:
        customer = keeper_customer(session, actor, customer_id, "edit")
        _not_lost(customer)
        changed: dict[str, Change] = {}

        def put(name: str, new: object) -> None:
            old = getattr(customer, name)
            if new != old:
                changed[name] = {"old": _shown(old), "new": _shown(new)}
                setattr(customer, name, new)

        if orientation is not None:
            put("orientation", orientation)
        if channel is not None:
            put("preferred_channel", channel)
        if wanted.interests is not None:
            put("interests", _text(wanted.interests))
        if wanted.notes is not None:
            put("notes", _text(wanted.notes))
        _special(customer, wanted, put)
        anniversaries = _anniversaries(session, customer_id, added, wanted.remove_anniversaries)
        if anniversaries is not None:
            changed["anniversaries"] = anniversaries
        for name, change in changed.items():
            audit(session, actor.staff_id, "customer_edit", customer_id, field=name,
                  old=change["old"], new=change["new"])
    return {"customer_id": customer_id, "changed": changed}


def _shown(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _check_special(wanted: FileEdit, today: dt.date) -> None:
    if wanted.end_special_period and (wanted.special_period is not None or wanted.until is not None):
        raise InvalidInput(_("--end-special-period goes alone, without --special-period or --until"))
    if wanted.special_period is not None and not (wanted.special_period or "").strip():
        raise InvalidInput(_("--special-period must say what it is (use --end-special-period "
                             "to end one)"))
    if wanted.special_period is not None and wanted.until is None:
        raise InvalidInput(_("--special-period needs --until DATE (the day it ends)"))
    if wanted.until is not None and wanted.until < today:
        raise InvalidInput(_("--until {day} is in the past; a special period ends today or "
                             "later").format(day=wanted.until))


def _special(customer: Customer, wanted: FileEdit, put: Callable[[str, object], None]) -> None:
    if wanted.end_special_period:
        put("special_period", None)
        put("special_until", None)
        return
    if wanted.until is None:
        return
    if wanted.special_period is None and customer.special_period is None:
        raise InvalidInput(_("--until needs --special-period TEXT: customer {customer} has no "
                             "special period on file").format(customer=customer.customer_id))
    if wanted.special_period is not None:
        put("special_period", _text(wanted.special_period))
    put("special_until", wanted.until)


def _anniversaries(session: Session, customer_id: str, added: dict[str, dt.date],
                   removed: list[str]) -> Change | None:
    """Replace by label, remove by label; the whole list before and after when it changed."""
    from vipcli.db.models import Anniversary

    if not added and not removed:
        return None
    rows = {a.label: a for a in session.scalars(
        select(Anniversary).where(Anniversary.customer_id == customer_id).order_by(Anniversary.id))}
    before = {label: a.date.isoformat() for label, a in rows.items()}
    for label in removed:
        row = rows.pop(label.strip(), None)
        if row is None:
            raise NotFound(_("customer {customer} has no anniversary named {label!r} (on file: "
                             "{labels})").format(customer=customer_id, label=label,
                                                 labels=", ".join(before) or "—"))
        session.delete(row)
    for label, day in added.items():
        if label in rows:
            rows[label].date = day
        else:
            rows[label] = Anniversary(customer_id=customer_id, label=label, date=day)
            session.add(rows[label])
    after = {label: a.date.isoformat() for label, a in rows.items()}
    return None if after == before else {"old": before, "new": after}


# -- loss ------------------------------------------------------------------------------


def mark_lost(ctx: Context, customer_id: str, reason: str, on: dt.date | None = None) -> StatusResult:
    """§18: the customer is lost: it leaves the lists and counts in `vip report retention`."""
    actor = ctx.actor()
    today = clock.today()
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(_("--reason must say why the customer was lost (it is kept with the "
                             "record)"))
    day = on or today
    if day > today:
        raise InvalidInput(_("--date {day} is in the future; a loss is recorded after it happens")
                           .format(day=day))
    with ctx.session() as session:
        customer = keeper_customer(session, actor, customer_id, "lost")
        if customer.status == "lost":
            raise RuleViolation(_("customer {customer} is already lost (since {day}: {reason})")
                                .format(customer=customer_id, day=customer.lost_on or "—",
                                        reason=customer.status_reason or "—"))
        if customer.status == "declined":
            raise RuleViolation(_("customer {customer} declined VIP service; only a customer "
                                  "who was served can be lost").format(customer=customer_id))
        previous = customer.status
        customer.status, customer.status_before_lost = "lost", previous
        customer.lost_on, customer.status_reason = day, text
        audit(session, actor.staff_id, "customer_lost", customer_id, old=previous, new="lost",
              lost_on=day.isoformat(), reason=text)
    return {"customer_id": customer_id, "status": "lost", "previous_status": previous,
            "lost_on": day.isoformat(), "reason": text}


def reactivate(ctx: Context, customer_id: str) -> StatusResult:
    """§18: undo a loss: the status before it comes back."""
    actor = ctx.actor()
    with ctx.session() as session:
        customer = keeper_customer(session, actor, customer_id, "reactivate")
        if customer.status != "lost":
            raise RuleViolation(_("customer {customer} is not lost (status: {status}); there is "
                                  "nothing to reactivate").format(
                                      customer=customer_id, status=labels.status(customer.status)))
        restored = customer.status_before_lost or ("signed" if customer.signed_tier else "prospect")
        lost_on, reason = customer.lost_on, customer.status_reason
        customer.status, customer.status_before_lost = restored, None
        customer.lost_on, customer.status_reason = None, None
        audit(session, actor.staff_id, "customer_reactivated", customer_id, old="lost",
              new=restored, lost_on=_shown(lost_on), reason=reason)
    return {"customer_id": customer_id, "status": restored, "previous_status": "lost",
            "lost_on": None, "reason": None}
