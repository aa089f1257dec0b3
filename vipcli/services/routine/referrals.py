"""Referrals (圈子营销, SPEC §10): who referred whom, and the prospects they create.

A friend a customer brings to an activity becomes a prospect of the outlet (source
`referral`, managed by the referrer's manager) with a Referral row; the referral counts
feed the `circle` idea of `vip recommend` (§8).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from vipcli.db.models import Activity, Customer, Referral
from vipcli.errors import InvalidInput
from vipcli.i18n import _
from vipcli.services.core import sealing
from vipcli.services.core.access import visible_clause
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context

if TYPE_CHECKING:
    from vipcli.config import LoadedRules

_PHONE = re.compile(r"^\+?[0-9][0-9-]{4,18}$")


class Referred(TypedDict):
    """A friend brought to an activity (§10): linked if known, else a new prospect."""

    customer_id: str
    name: str
    created: bool
    referrer_id: str
    linked: bool
    manager_id: str | None


class ReferrerCount(TypedDict):
    """One row of `vip activity referrals --json`: a referrer and whom it referred."""

    customer_id: str
    name: str
    referrals: int
    referred: list[str]


def parse_brought(text: str) -> tuple[str, str]:
    """'张三:13900001111' → (name, phone)."""
    name, sep, phone = text.replace("：", ":").rpartition(":")
    name, phone = name.strip(), phone.strip()
    if not sep or not name or not _PHONE.match(phone):
        raise InvalidInput(_("--brought expects NAME:PHONE (e.g. 张三:13900001111), got {text!r}")
                           .format(text=text))
    return name, phone


def refer(session: Session, activity: Activity, referrer: Customer, name: str, phone: str,
           actor: Actor, now: dt.datetime, loaded: LoadedRules) -> Referred:
    """A friend brought along: an existing customer is linked, a new one becomes a prospect."""
    key = sealing.sealer(session, loaded)  # §13: found by the phone's keyed hash, stored sealed
    existing = session.scalars(
        select(Customer).where(Customer.phone_hmac == key.digest("phone", phone))
        .order_by(Customer.customer_id).limit(1)
    ).first()
    if existing is not None:
        friend_id, created = existing.customer_id, False
    else:
        friend_id, created = _new_prospect(session, activity, referrer, name, phone, now, key), True
        from vipcli.services.routine.leads import link_leads

        link_leads(session, actor.staff_id)  # §18: a lead of this phone is this customer now
    linked = False
    if friend_id != referrer.customer_id and session.scalars(
        select(Referral.id).where(Referral.referred_id == friend_id)
    ).first() is None:
        session.execute(insert(Referral).values(referrer_id=referrer.customer_id,
                                                referred_id=friend_id, activity_id=activity.id, at=now))
        linked = True
    audit(session, actor.staff_id, "referral", friend_id, referrer=referrer.customer_id,
          activity=activity.id, created=created)
    return {"customer_id": friend_id, "name": name, "created": created,
            "referrer_id": referrer.customer_id, "linked": linked,
            "manager_id": referrer.manager_id if created else None}


def _new_prospect(session: Session, activity: Activity, referrer: Customer, name: str,
                  phone: str, now: dt.datetime, key: sealing.Sealer) -> str:
    count = session.execute(
        select(func.count()).select_from(Customer).where(Customer.source == "referral")
    ).scalar_one()
    n = count + 1
    while session.get(Customer, f"R{n:07d}") is not None:
        n += 1
    new_id = f"R{n:07d}"
    session.add(Customer(
        customer_id=new_id, name=name, occupation="other", birthday_calendar="solar",
        **dict(zip(sealing.COLUMNS["phone"], key.columns(new_id, "phone", phone), strict=True)),
        branch_id=activity.branch_id, manager_id=referrer.manager_id,
        assigned_on=now.date() if referrer.manager_id else None, source="referral",
        status="prospect", created_at=now,
    ))
    session.flush()
    return new_id


def referral_counts(ctx: Context) -> list[ReferrerCount]:
    """Referral counts per referrer the actor may see, most referrals first (feeds `circle`)."""
    actor = ctx.actor()
    with ctx.session(write=False) as session:
        rows = session.execute(
            select(Referral.referrer_id, Customer.name, Referral.referred_id)
            .join(Customer, Customer.customer_id == Referral.referrer_id)
            .where(visible_clause(actor))
            .order_by(Referral.referrer_id, Referral.referred_id)
        ).all()
    per: dict[str, ReferrerCount] = {}
    for referrer_id, name, referred_id in rows:
        entry = per.setdefault(referrer_id, {"customer_id": referrer_id, "name": name,
                                             "referrals": 0, "referred": []})
        entry["referrals"] += 1
        entry["referred"].append(referred_id)
    return sorted(per.values(), key=lambda e: (-e["referrals"], e["customer_id"]))
