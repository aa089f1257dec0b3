"""Client activities and referrals (客戶活動、圈子營銷, SPEC §10).

Friends a customer brings to an activity become prospects of the outlet (source
`referral`, managed by the referrer's manager) with a Referral row saying who referred
whom; the referral counts feed the `circle` idea of `vip recommend` (§8).
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import Activity, Customer, Invitation, Referral
from vipcli.errors import InvalidInput, NotFound, PermissionDenied
from vipcli.services.access import get_visible_customer, require_role, visible_clause
from vipcli.services.audit import audit
from vipcli.services.context import Actor, Context

KINDS = ("salon", "banquet", "trip", "lecture", "outlook")
ORGANISER_ROLES = ("branch_head", "account_manager")
_PHONE = re.compile(r"^\+?[0-9][0-9-]{4,18}$")


def add_activity(ctx: Context, *, kind: str, title: str, held_on: dt.date, place: str | None) -> dict:
    actor = ctx.actor()
    require_role(actor, ORGANISER_ROLES, "organise client activities")
    if kind not in KINDS:
        raise InvalidInput(f"unknown activity kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not title.strip():
        raise InvalidInput("an activity needs a title")
    with ctx.session() as session:
        new_id = session.execute(
            insert(Activity)
            .values(branch_id=actor.branch_id, kind=kind, title=title.strip(), held_on=held_on,
                    place=place, created_by=actor.staff_id, created_at=clock.now())
            .returning(Activity.id)
        ).scalar_one()
    return {"id": new_id, "kind": kind, "title": title.strip(), "date": held_on, "place": place,
            "branch_id": actor.branch_id}


def list_activities(ctx: Context) -> list[dict]:
    actor = ctx.actor()
    invited = func.count(Invitation.customer_id)
    attended = func.count(Invitation.attended_at)
    with ctx.session() as session:
        rows = session.execute(
            select(Activity, invited, attended)
            .outerjoin(Invitation, Invitation.activity_id == Activity.id)
            .where(Activity.branch_id == actor.branch_id)
            .group_by(Activity.id)
            .order_by(Activity.held_on.desc(), Activity.id.desc())
        ).all()
    return [
        {"id": a.id, "kind": a.kind, "title": a.title, "date": a.held_on, "place": a.place,
         "invited": n_inv, "attended": n_att}
        for a, n_inv, n_att in rows
    ]


def _activity(session: Session, actor: Actor, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(f"unknown activity {activity_id}")
    if activity.branch_id != actor.branch_id:
        raise PermissionDenied(f"activity {activity_id} belongs to another outlet")
    return activity


def invite(ctx: Context, activity_id: int, *, tier: str | None = None, occupation: str | None = None,
           orientation: str | None = None, customers: list[str] | None = None) -> dict:
    """Invite by segment among the customers the actor may see (§10), or by name."""
    from vipcli.services.segments import segment_clauses

    actor = ctx.actor()
    require_role(actor, ORGANISER_ROLES, "invite customers to activities")
    if not (tier or occupation or orientation or customers):
        raise InvalidInput("say whom to invite: --tier, --occupation, --orientation or --customer")
    with ctx.session() as session:
        _activity(session, actor, activity_id)
        chosen = {get_visible_customer(session, actor, c).customer_id for c in customers or []}
        if tier or occupation or orientation:
            query = select(Customer.customer_id).where(
                visible_clause(actor), *segment_clauses(tier, occupation, orientation),
                Customer.status.not_in(("declined", "lost")),
            )
            chosen.update(session.scalars(query))
        already = set(session.scalars(
            select(Invitation.customer_id).where(Invitation.activity_id == activity_id)
        ))
        new = sorted(chosen - already)
        if new:
            now = clock.now()
            session.execute(insert(Invitation), [
                dict(activity_id=activity_id, customer_id=c, invited_at=now,
                     invited_by=actor.staff_id, attended=False) for c in new
            ])
    return {"activity_id": activity_id, "invited": new, "already_invited": len(chosen & already)}


def parse_brought(text: str) -> tuple[str, str]:
    """'張三:13900001111' → (name, phone)."""
    name, sep, phone = text.replace("：", ":").rpartition(":")
    name, phone = name.strip(), phone.strip()
    if not sep or not name or not _PHONE.match(phone):
        raise InvalidInput(f"--brought expects NAME:PHONE (e.g. 張三:13900001111), got {text!r}")
    return name, phone


def attend(ctx: Context, activity_id: int, customer_id: str,
           brought: list[tuple[str, str]] | None = None) -> dict:
    actor = ctx.actor()
    require_role(actor, ORGANISER_ROLES, "record attendance")
    now = clock.now()
    with ctx.session() as session:
        activity = _activity(session, actor, activity_id)
        referrer = get_visible_customer(session, actor, customer_id)
        _mark_attended(session, activity_id, customer_id, actor, now)
        referred = [
            _refer(session, activity, referrer, name, phone, actor, now) for name, phone in brought or []
        ]
    return {"activity_id": activity_id, "customer_id": customer_id, "attended": True,
            "referrals": referred}


def _mark_attended(session: Session, activity_id: int, customer_id: str, actor: Actor, now) -> None:
    invitation = session.get(Invitation, (activity_id, customer_id))
    if invitation is None:  # a walk-in guest: invited and attended at once
        session.add(Invitation(activity_id=activity_id, customer_id=customer_id, invited_at=now,
                               invited_by=actor.staff_id, attended=True, attended_at=now))
    elif not invitation.attended:
        invitation.attended, invitation.attended_at = True, now
    session.flush()


def _refer(session: Session, activity: Activity, referrer: Customer, name: str, phone: str,
           actor: Actor, now) -> dict:
    """A friend brought along: an existing customer is linked, a new one becomes a prospect."""
    existing = session.scalars(
        select(Customer).where(Customer.phone == phone).order_by(Customer.customer_id).limit(1)
    ).first()
    if existing is not None:
        friend_id, created = existing.customer_id, False
    else:
        friend_id, created = _new_prospect(session, activity, referrer, name, phone, now), True
    linked = False
    if friend_id != referrer.customer_id and session.scalars(
        select(Referral.id).where(Referral.referred_id == friend_id)
    ).first() is None:
        session.execute(insert(Referral).values(referrer_id=referrer.customer_id,
                                                referred_id=friend_id, activity_id=activity.id, at=now))
        linked = True
    _mark_attended(session, activity.id, friend_id, actor, now)
    audit(session, actor.staff_id, "referral", friend_id, referrer=referrer.customer_id,
          activity=activity.id, created=created)
    return {"customer_id": friend_id, "name": name, "created": created,
            "referrer_id": referrer.customer_id, "linked": linked,
            "manager_id": referrer.manager_id if created else None}


def _new_prospect(session: Session, activity: Activity, referrer: Customer, name: str,
                  phone: str, now) -> str:
    count = session.execute(
        select(func.count()).select_from(Customer).where(Customer.source == "referral")
    ).scalar_one()
    n = count + 1
    while session.get(Customer, f"R{n:07d}") is not None:
        n += 1
    new_id = f"R{n:07d}"
    session.add(Customer(
        customer_id=new_id, name=name, phone=phone, occupation="other", birthday_calendar="solar",
        branch_id=activity.branch_id, manager_id=referrer.manager_id,
        assigned_on=now.date() if referrer.manager_id else None, source="referral",
        status="prospect", months_below_signed=0, created_at=now,
    ))
    session.flush()
    return new_id


def referral_counts(ctx: Context) -> list[dict]:
    """Referral counts per referrer the actor may see, most referrals first (feeds `circle`)."""
    actor = ctx.actor()
    with ctx.session() as session:
        rows = session.execute(
            select(Referral.referrer_id, Customer.name, Referral.referred_id)
            .join(Customer, Customer.customer_id == Referral.referrer_id)
            .where(visible_clause(actor))
            .order_by(Referral.referrer_id, Referral.referred_id)
        ).all()
    per: dict[str, dict] = {}
    for referrer_id, name, referred_id in rows:
        entry = per.setdefault(referrer_id, {"customer_id": referrer_id, "name": name,
                                             "referrals": 0, "referred": []})
        entry["referrals"] += 1
        entry["referred"].append(referred_id)
    return sorted(per.values(), key=lambda e: (-e["referrals"], e["customer_id"]))
