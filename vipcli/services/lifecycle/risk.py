"""Risk assessment (风险测评, SPEC §3, §13): five levels, valid for `rules.risk.assessment_valid_days`.

Invalidating (the customer's risk situation changed) voids every assessment still on
file, so an older one cannot silently become "the valid one" again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypedDict, cast

from sqlalchemy import (
    CursorResult,
    select,
    update,
)

from vipcli import clock
from vipcli.db.light import RISK_TABLE
from vipcli.domain import labels
from vipcli.domain.suitability import Assessment
from vipcli.domain.vocabulary import RISK_LEVEL_NAMES
from vipcli.errors import InvalidInput, RuleViolation
from vipcli.i18n import _
from vipcli.services.core.access import get_visible_customer
from vipcli.services.core.batching import in_batches
from vipcli.services.core.context import Context

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from vipcli.db.models import RiskAssessment




class RiskEntry(TypedDict):
    """One assessment on file (§3), newest first in `RiskStatus.history`."""

    id: int
    level: int
    level_name: str
    level_label: str
    assessed_on: str
    valid_until: str
    recorded_by: str | None
    recorded_by_name: str | None  # the staff member's name, shown beside the id (§16)
    invalidated_at: str | None
    invalidated_reason: str | None


class RiskStatus(TypedDict):
    """`vip risk record|invalidate|show` (§3, §15 conventions): the valid assessment, if any."""

    customer_id: str
    status: str  # valid | missing | invalidated | expired
    risk_level: int | None
    risk_level_name: str | None
    risk_level_label: str | None
    assessed_on: str | None
    valid_until: str | None
    history: list[RiskEntry]


def valid_risk_assessment(session: Session, customer_id: str, on: dt.date) -> RiskAssessment | None:
    """The assessment recorded last by `on` (§3: by date, then order of recording), if valid.

    A same-day re-assessment replaces the earlier one; when the last one has expired
    there is no valid assessment, whatever an earlier one says.
    """
    from vipcli.db.models import RiskAssessment

    last = session.scalars(
        select(RiskAssessment)
        .where(
            RiskAssessment.customer_id == customer_id,
            RiskAssessment.invalidated_at.is_(None),
            RiskAssessment.assessed_on <= on,
        )
        .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())
        .limit(1)
    ).first()
    return last if last is not None and last.valid_until >= on else None


def load_assessments(session: Session | Connection, ids: list[str]) -> dict[str, list[Assessment]]:
    """Every assessment on file of each customer, as the suitability rules read them (§8, §13)."""
    found: dict[str, list[Assessment]] = {cid: [] for cid in ids}
    k = RISK_TABLE.c
    for batch in in_batches(ids):
        rows = session.execute(
            select(k.id, k.customer_id, k.level, k.assessed_on, k.valid_until, k.invalidated_at)
            .where(k.customer_id.in_(batch))
        )
        for r in rows:
            invalidated = r.invalidated_at.date() if r.invalidated_at else None
            # seq = the row id: the order of recording decides between same-day assessments (§3).
            found[r.customer_id].append(
                Assessment(r.level, r.assessed_on, r.valid_until, invalidated, seq=r.id))
    return found


def record_risk(ctx: Context, customer_id: str, level: int, on: dt.date | None = None) -> RiskStatus:
    from vipcli.db.models import RiskAssessment
    from vipcli.services.core.audit import audit

    actor = ctx.actor()
    if level not in labels.RISK_LEVEL:
        raise InvalidInput(_("--level must be 1..5 ({levels}), got {level}")
                           .format(levels=_levels_text(), level=level))
    today = clock.today()
    on = on or today
    if on > today:
        raise InvalidInput(_("--date {date} is in the future (today is {today})")
                           .format(date=on.isoformat(), today=today.isoformat()))
    valid_until = on + dt.timedelta(days=ctx.rules.risk.assessment_valid_days)
    with ctx.session() as session:
        get_visible_customer(session, actor, customer_id)
        session.add(RiskAssessment(
            customer_id=customer_id, level=level, assessed_on=on, valid_until=valid_until,
            recorded_by=actor.staff_id, recorded_at=clock.now(),
        ))
        audit(session, actor.staff_id, "risk_record", customer_id, level=level, on=on)
        session.flush()
        return _show(session, customer_id, today)


def invalidate_risk(ctx: Context, customer_id: str, reason: str) -> RiskStatus:
    from vipcli.db.models import RiskAssessment
    from vipcli.services.core.audit import audit

    actor = ctx.actor()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("--reason must say what changed (assets, income, risk appetite, "
                             "liabilities)"))
    with ctx.session() as session:
        get_visible_customer(session, actor, customer_id)
        # An UPDATE's result is a CursorResult; Session.execute is typed with the wider Result.
        voided = cast(CursorResult[Any], session.execute(
            update(RiskAssessment)
            .where(RiskAssessment.customer_id == customer_id, RiskAssessment.invalidated_at.is_(None))
            .values(invalidated_at=clock.now(), invalidated_reason=reason)
        )).rowcount
        if not voided:
            raise RuleViolation(_("customer {customer} has no risk assessment to invalidate")
                                .format(customer=customer_id))
        audit(session, actor.staff_id, "risk_invalidate", customer_id, reason=reason, voided=voided)
        return _show(session, customer_id, clock.today())


def show_risk(ctx: Context, customer_id: str) -> RiskStatus:
    actor = ctx.actor()
    with ctx.session(write=False) as session:
        get_visible_customer(session, actor, customer_id)
        return _show(session, customer_id, clock.today())


def _show(session: Session, customer_id: str, today: dt.date) -> RiskStatus:
    from vipcli.db.models import RiskAssessment, Staff

    current = valid_risk_assessment(session, customer_id, today)
    history = session.scalars(
        select(RiskAssessment)
        .where(RiskAssessment.customer_id == customer_id)
        .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())
    ).all()
    staff_ids = sorted({a.recorded_by for a in history if a.recorded_by})
    names = dict(session.execute(
        select(Staff.staff_id, Staff.name).where(Staff.staff_id.in_(staff_ids))
    ).all()) if staff_ids else {}
    return {
        "customer_id": customer_id,
        "status": _status(current, history, today),
        "risk_level": current.level if current else None,
        "risk_level_name": RISK_LEVEL_NAMES[current.level] if current else None,
        "risk_level_label": _level_label(current.level) if current else None,
        "assessed_on": current.assessed_on.isoformat() if current else None,
        "valid_until": current.valid_until.isoformat() if current else None,
        "history": [_entry(a, names) for a in history],
    }


def _status(
    current: RiskAssessment | None, history: Sequence[RiskAssessment], today: dt.date
) -> str:
    if current is not None:
        return "valid"
    if not history:
        return "missing"
    return "invalidated" if history[0].invalidated_at is not None else "expired"


def _entry(a: RiskAssessment, names: dict[str, str]) -> RiskEntry:
    return {
        "id": a.id,
        "level": a.level,
        "level_name": RISK_LEVEL_NAMES[a.level],
        "level_label": _level_label(a.level),
        "assessed_on": a.assessed_on.isoformat(),
        "valid_until": a.valid_until.isoformat(),
        "recorded_by": a.recorded_by,
        "recorded_by_name": names.get(a.recorded_by) if a.recorded_by else None,
        "invalidated_at": a.invalidated_at.isoformat() if a.invalidated_at else None,
        "invalidated_reason": a.invalidated_reason,
    }


def _level_label(level: int) -> str:
    """稳健型 (Balanced in English): the level's name in the language of the screens (§16)."""
    return _(labels.RISK_LEVEL[level])


def _levels_text() -> str:
    return ", ".join(labels.risk_level(n) for n in labels.RISK_LEVEL)
